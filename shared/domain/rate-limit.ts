/**
 * Pacing a sender identity to its messages-per-second limit (MPS), shared by every concurrent sender.
 *
 * Virtual scheduling (GCRA): one shared record holds `nextAt`, the earliest instant the sender's next
 * text may go. A sender takes the slot max(nextAt, now + slotLeadMs) and moves nextAt one interval
 * past it, atomically, so no two slots ever handed out are closer than one interval, whoever took
 * them and whatever their clocks said. A text goes out no earlier than its slot and at most
 * lateToleranceMs after it; one that wakes later takes a new slot instead, so delays never bunch
 * texts together.
 *
 * Why no one-second window can exceed the MPS: the texts sent in a window [a, a + 1000 ms) have
 * slots in [a − tolerance, a + 1000), a span of 1000 + tolerance ms, which holds at most
 * ⌈(1000 + tolerance) / interval⌉ slots. With interval = 1000 / (paceShare × mps) that is at most mps
 * whenever (1000 + tolerance) × paceShare ≤ 1000, i.e. a tolerance of up to 52.6 ms at paceShare 0.95,
 * whatever the MPS. lateToleranceMs uses 40 ms of it, enough for a busy event loop's timers to be
 * on time nineteen times in twenty; the other 12 ms absorb what lies between the sender's clock and
 * the provider's (network jitter, and clock skew between Lambdas, which Amazon Time Sync keeps under
 * a millisecond). While there is a backlog the slots follow each other without gaps, so the sender
 * uses paceShare of its limit, less only the slots of texts that woke late.
 */

/** Share of the MPS the sender is paced to: the rest is the margin for lateness and jitter. */
export const paceShare = 0.95;

/** A text that wakes this much later than its slot does not use it. */
export const lateToleranceMs = 40;

/**
 * An idle sender's first slot lies this far ahead of the request, so the write that reserves it
 * (milliseconds in AWS, more on a busy laptop) has returned before the slot comes.
 */
export const slotLeadMs = 100;

/** Milliseconds between consecutive slots of a sender allowed `mps` messages per second. */
export function slotIntervalMs(mps: number): number {
  return 1000 / (mps * paceShare);
}

/** Whether a text woken at `now` for `slot` may still use it. */
export function onTime(slot: number, now: number): boolean {
  return now - slot <= lateToleranceMs;
}

/**
 * The most instants (epoch milliseconds, any order) that fall in any one window [t, t + windowMs):
 * the figure the MPS limit is about.
 */
export function busiestWindow(instants: readonly number[], windowMs = 1000): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let busiest = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}
