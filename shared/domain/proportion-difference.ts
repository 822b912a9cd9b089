/**
 * How sure a difference of two shares is: the 95% interval for p1 − p2 by Newcombe's hybrid score
 * method ("Interval estimation for the difference between independent proportions", Statistics in
 * Medicine 17, 1998, method 10). Unlike the textbook Wald interval it stays within −1…1 and keeps its
 * coverage for the small groups and shares near 0 or 1 a shop's holdout gives. Pure; no I/O.
 */

/** The normal quantile of a two-sided 95% interval. */
export const z95 = 1.959964;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's score interval for `successes` of `trials` (trials > 0). */
export function wilsonInterval(successes: number, trials: number, z = z95): Interval {
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * The interval for `a.successes / a.trials − b.successes / b.trials`; undefined unless both groups
 * have someone in them.
 */
export function differenceInterval(
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
  z = z95,
): Interval | undefined {
  if (a.trials <= 0 || b.trials <= 0) return undefined;
  const p1 = a.successes / a.trials;
  const p2 = b.successes / b.trials;
  const one = wilsonInterval(a.successes, a.trials, z);
  const two = wilsonInterval(b.successes, b.trials, z);
  const difference = p1 - p2;
  return {
    low: difference - Math.sqrt((p1 - one.low) ** 2 + (two.high - p2) ** 2),
    high: difference + Math.sqrt((one.high - p1) ** 2 + (p2 - two.low) ** 2),
  };
}
