import { describe, expect, it } from 'vitest';
import { monthStart, sums, weekStart } from '../../../console/src/features/dashboard/figures';

const day = (
  date: string,
  figures: Partial<Record<'joins' | 'optOuts' | 'texts' | 'costFen', number>> = {},
) => ({
  date,
  joins: 0,
  optOuts: 0,
  texts: 0,
  parts: 0,
  costFen: 0,
  pointsEarned: 0,
  pointsRedeemed: 0,
  couponsRedeemed: 0,
  ...figures,
});

describe('dashboard figures', () => {
  it('starts a week on Monday and a month on the 1st', () => {
    expect(weekStart('2026-12-07')).toBe('2026-12-07'); // a Monday
    expect(weekStart('2026-12-06')).toBe('2026-11-30'); // a Sunday
    expect(weekStart('2027-01-02')).toBe('2026-12-28');
    expect(monthStart('2026-12-31')).toBe('2026-12-01');
  });

  it('sums today, the week up to today and the month, adding costs in tenths of a fen', () => {
    const recent = [
      day('2026-11-29', { joins: 5, texts: 100, costFen: 450 }),
      day('2026-11-30', { joins: 2, optOuts: 1 }),
      day('2026-12-01', { joins: 1, texts: 3, costFen: 13.5 }),
      day('2026-12-02', { joins: 1, optOuts: 2, texts: 1, costFen: 4.5 }),
    ];
    const month = recent.slice(2);
    expect(sums(recent, month)).toEqual({
      joinsThisWeek: 4,
      optOutsToday: 2,
      optOutsThisMonth: 2,
      textsToday: 1,
      costFenToday: 4.5,
      textsThisMonth: 4,
      costFenThisMonth: 18,
    });
  });
});
