import { describe, expect, it } from 'vitest';
import {
  defaultTierTable,
  evaluateTier,
  type TierEvaluationInput,
  tenurePoints,
  tierForScore,
  tierTableSchema,
  unknownTiers,
  yearlyScore,
} from '../../../shared/domain/tiers';

const table = defaultTierTable;
const evaluate = (input: Partial<TierEvaluationInput>) =>
  evaluateTier({ kind: 'monthly', table, current: {}, score: 0, now: '2026-01-15T00:00:00Z', ...input });

describe('tierTableSchema', () => {
  it('accepts the default table', () => {
    expect(tierTableSchema.parse(defaultTierTable)).toEqual(defaultTierTable);
  });

  const silver = { code: 'silver', name: 'Silver', threshold: 0 };
  it.each([
    ['no tiers', [], 'a tier table needs at least one tier'],
    ['a first threshold above 0', [{ ...silver, threshold: 100 }], 'the first tier must have threshold 0'],
    [
      'equal thresholds',
      [silver, { code: 'gold', name: 'Gold', threshold: 0 }],
      'tier thresholds must be strictly ascending',
    ],
    [
      'descending thresholds',
      [
        silver,
        { code: 'gold', name: 'Gold', threshold: 2000 },
        { code: 'vip', name: 'VIP', threshold: 1000 },
      ],
      'tier thresholds must be strictly ascending',
    ],
    ['a repeated code', [silver, { ...silver, threshold: 1000 }], 'tier codes must be unique'],
    ['an uppercase code', [{ ...silver, code: 'Silver' }], 'tier codes: 1–20 lowercase letters, digits or -'],
    [
      'a 21-character code',
      [{ ...silver, code: 'a'.repeat(21) }],
      'tier codes: 1–20 lowercase letters, digits or -',
    ],
    ['a blank name', [{ ...silver, name: ' ' }], 'every tier needs a name'],
  ])('rejects %s', (_, tiers, message) => {
    const result = tierTableSchema.safeParse(tiers);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it.each([-1, 0.5])('rejects threshold %s', (threshold) => {
    expect(tierTableSchema.safeParse([{ ...silver, threshold }]).success).toBe(false);
  });
});

describe('tenurePoints', () => {
  it.each([
    ['2025-01-01', '2025-12-31', 0, 'the day before the 1st anniversary'],
    ['2025-01-01', '2026-01-01', 100, 'the 1st anniversary'],
    ['2023-01-01', '2025-12-31', 100, 'the day before the 3rd anniversary'],
    ['2023-01-01', '2026-01-01', 200, 'the 3rd anniversary'],
    ['2016-01-01', '2025-12-31', 200, 'the day before the 10th anniversary'],
    ['2016-01-01', '2026-01-01', 300, 'the 10th anniversary'],
    ['2015-06-15', '2025-06-14', 200, 'the day before a mid-year 10th anniversary'],
    ['2015-06-15', '2025-06-15', 300, 'a mid-year 10th anniversary'],
    ['2000-01-01', '2026-01-01', 300, '26 years (not summed)'],
    ['2026-03-01', '2026-01-01', 0, 'a join after the day'],
    ['2024-02-29', '2025-02-28', 0, '29 Feb joiner on 28 Feb of a common year'],
    ['2024-02-29', '2025-03-01', 100, '29 Feb joiner on 1 Mar, their 1st anniversary'],
    ['2024-02-29', '2027-03-01', 200, '29 Feb joiner on 1 Mar, their 3rd anniversary'],
    ['2016-02-29', '2026-02-28', 200, '29 Feb joiner the day before their 10th anniversary'],
    ['2016-02-29', '2026-03-01', 300, '29 Feb joiner on their 10th anniversary'],
    ['2023-02-28', '2024-02-28', 100, '28 Feb joiner on 28 Feb of a leap year'],
  ])('joined %s, on %s: %i (%s)', (joinedOn, on, points) => {
    expect(tenurePoints(joinedOn, on)).toBe(points);
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => tenurePoints('2016-01-01T00:00:00Z', '2026-01-01')).toThrow(RangeError);
  });
});

describe('tierForScore', () => {
  it.each([
    [0, 'silver'],
    [999, 'silver'],
    [1000, 'gold'],
    [1999, 'gold'],
    [2000, 'platinum'],
    [3999, 'platinum'],
    [4000, 'diamond'],
    [1_000_000, 'diamond'],
  ])('%i is %s', (score, tier) => {
    expect(tierForScore(score, table)).toBe(tier);
  });
});

describe('yearly evaluation on 1 January 2026', () => {
  const on = '2026-01-01';
  it.each([
    ['no spend, joined yesterday', 0, '2025-12-31', 0, 'silver'],
    ['999.99 spent', 99_999, '2025-06-01', 999, 'silver'],
    ['1000.00 spent', 100_000, '2025-06-01', 1000, 'gold'],
    ['900 spent, 1 year tomorrow', 90_000, '2025-01-02', 900, 'silver'],
    ['900 spent, 1 year today', 90_000, '2025-01-01', 1000, 'gold'],
    ['1999.99 spent', 199_999, '2025-06-01', 1999, 'gold'],
    ['1800 spent, 3 years today', 180_000, '2023-01-01', 2000, 'platinum'],
    ['3999.99 spent', 399_999, '2025-06-01', 3999, 'platinum'],
    ['3700 spent, 10 years tomorrow', 370_000, '2016-01-02', 3900, 'platinum'],
    ['3700 spent, 10 years today', 370_000, '2016-01-01', 4000, 'diamond'],
  ])('%s', (_, spendCentsLastYear, joinedOn, score, tier) => {
    expect(yearlyScore({ spendCentsLastYear, joinedOn, on })).toBe(score);
    expect(evaluate({ kind: 'yearly', score }).tier).toBe(tier);
  });
});

describe('evaluateTier', () => {
  const gold = { tier: 'gold', earnedTier: 'gold' };
  const diamondPackage = { tier: 'diamond', endsAt: '2026-07-01T00:00:00+08:00' };

  it.each<[string, Partial<TierEvaluationInput>, ReturnType<typeof evaluateTier>]>([
    [
      'yearly downgrades a member whose score fell',
      { kind: 'yearly', current: gold, score: 999 },
      { tier: 'silver', earnedTier: 'silver', change: 'downgrade' },
    ],
    [
      'yearly upgrades',
      { kind: 'yearly', current: gold, score: 2000 },
      { tier: 'platinum', earnedTier: 'platinum', change: 'upgrade' },
    ],
    [
      'monthly never downgrades',
      { kind: 'monthly', current: gold, score: 0 },
      { tier: 'gold', earnedTier: 'gold', change: 'none' },
    ],
    [
      'monthly upgrades',
      { kind: 'monthly', current: gold, score: 4000 },
      { tier: 'diamond', earnedTier: 'diamond', change: 'upgrade' },
    ],
    [
      'a changed table keeps an earned tier it still has',
      { kind: 'table-changed', current: gold, score: 0 },
      { tier: 'gold', earnedTier: 'gold', change: 'none' },
    ],
    [
      'a changed table places a member whose tier it no longer has by score',
      { kind: 'table-changed', current: { tier: 'bronze', earnedTier: 'bronze' }, score: 1500 },
      { tier: 'gold', earnedTier: 'gold', change: 'upgrade' },
    ],
    [
      'a bought package raises the tier at once',
      { kind: 'package-bought', current: gold, score: 0, tierPackage: diamondPackage },
      { tier: 'diamond', earnedTier: 'gold', change: 'upgrade' },
    ],
    [
      'a package holds the tier through a yearly downgrade',
      { kind: 'yearly', current: { tier: 'diamond', earnedTier: 'gold' }, tierPackage: diamondPackage },
      { tier: 'diamond', earnedTier: 'silver', change: 'none' },
    ],
    [
      'a package lower than the earned tier changes nothing',
      { kind: 'package-bought', current: gold, tierPackage: { ...diamondPackage, tier: 'silver' } },
      { tier: 'gold', earnedTier: 'gold', change: 'none' },
    ],
    [
      'a package is active until the instant before it ends',
      {
        kind: 'package-ended',
        current: { tier: 'diamond', earnedTier: 'gold' },
        tierPackage: diamondPackage,
        now: '2026-06-30T15:59:59.999Z',
      },
      { tier: 'diamond', earnedTier: 'gold', change: 'none' },
    ],
    [
      'an ended package falls back to the earned tier (exactly at endsAt it has ended)',
      {
        kind: 'package-ended',
        current: { tier: 'diamond', earnedTier: 'gold' },
        tierPackage: diamondPackage,
        now: '2026-06-30T16:00:00Z',
      },
      { tier: 'gold', earnedTier: 'gold', change: 'downgrade' },
    ],
    [
      'a tier the table no longer has ranks below all',
      { kind: 'monthly', current: { tier: 'vip', earnedTier: 'vip' }, score: 0 },
      { tier: 'silver', earnedTier: 'silver', change: 'upgrade' },
    ],
    [
      'a package event places a member without a known earned tier by score',
      { kind: 'package-ended', current: { tier: 'vip', earnedTier: 'vip' }, score: 1000 },
      { tier: 'gold', earnedTier: 'gold', change: 'upgrade' },
    ],
    [
      'a package for a tier the table no longer has is ignored',
      { kind: 'package-bought', current: gold, tierPackage: { ...diamondPackage, tier: 'vip' } },
      { tier: 'gold', earnedTier: 'gold', change: 'none' },
    ],
    [
      'a member with no tier yet gets their first one as an upgrade',
      { kind: 'monthly', current: {}, score: 0 },
      { tier: 'silver', earnedTier: 'silver', change: 'upgrade' },
    ],
  ])('%s', (_, input, expected) => {
    expect(evaluate(input)).toEqual(expected);
  });
});

describe('unknownTiers', () => {
  it('names each code the table does not have, once', () => {
    expect(unknownTiers(['gold', 'bronze', 'vip', 'bronze'], table)).toEqual(['bronze', 'vip']);
    expect(unknownTiers(['silver', 'diamond'], table)).toEqual([]);
  });
});
