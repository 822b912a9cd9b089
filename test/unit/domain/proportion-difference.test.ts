import { describe, expect, it } from 'vitest';
import { differenceInterval, wilsonInterval } from '../../../shared/domain/proportion-difference';

const rounded = (interval: { low: number; high: number } | undefined) =>
  interval && [Number(interval.low.toFixed(4)), Number(interval.high.toFixed(4))];

describe('wilsonInterval', () => {
  it('matches the published score intervals', () => {
    // Newcombe 1998, table I: 81/263 → 0.2553 to 0.3662; 0/10 → 0 to 0.2775.
    expect(rounded(wilsonInterval(81, 263))).toEqual([0.2553, 0.3662]);
    expect(rounded(wilsonInterval(0, 10))).toEqual([0, 0.2775]);
  });
});

describe('differenceInterval (Newcombe hybrid score)', () => {
  it('matches the worked examples of Newcombe 1998, table II, method 10', () => {
    const of = (s1: number, n1: number, s2: number, n2: number) =>
      rounded(differenceInterval({ successes: s1, trials: n1 }, { successes: s2, trials: n2 }));
    expect(of(56, 70, 48, 80)).toEqual([0.0524, 0.3339]);
    expect(of(9, 10, 3, 10)).toEqual([0.1705, 0.809]);
    expect(of(6, 7, 2, 7)).toEqual([0.0582, 0.8062]);
    expect(of(5, 56, 0, 29)).toEqual([-0.0381, 0.1926]);
  });

  it('holds the difference, stays within −1…1, and narrows as the groups grow', () => {
    const small = differenceInterval({ successes: 3, trials: 10 }, { successes: 1, trials: 10 });
    const large = differenceInterval({ successes: 300, trials: 1000 }, { successes: 100, trials: 1000 });
    for (const interval of [small, large]) {
      expect(interval?.low).toBeLessThan(0.2);
      expect(interval?.high).toBeGreaterThan(0.2);
    }
    expect((large?.high ?? 0) - (large?.low ?? 0)).toBeLessThan((small?.high ?? 0) - (small?.low ?? 0));
    const extreme = differenceInterval({ successes: 5, trials: 5 }, { successes: 0, trials: 5 });
    expect(extreme?.high).toBeLessThanOrEqual(1);
    expect(extreme?.low).toBeGreaterThan(0);
  });

  it('has no interval while a group is empty', () => {
    expect(differenceInterval({ successes: 0, trials: 0 }, { successes: 1, trials: 4 })).toBeUndefined();
    expect(differenceInterval({ successes: 1, trials: 4 }, { successes: 0, trials: 0 })).toBeUndefined();
  });
});
