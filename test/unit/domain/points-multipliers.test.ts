import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointsForPurchase } from '../../../shared/domain/ledger';
import {
  applicableRule,
  isoWeekday,
  type MultiplierRule,
  multiplierRulesSchema,
  purchaseEarning,
} from '../../../shared/domain/points-multipliers';
import { loyaltySettingsSchema } from '../../../shared/schemas/merchant';

const wednesday = '2026-12-09';
const rule = (overrides: Partial<MultiplierRule>): MultiplierRule => ({
  name: '双倍',
  multiplier: 2,
  ...overrides,
});
const loyalty = (multipliers: MultiplierRule[]) => ({ pointsPerYuan: 1, multipliers });

describe('points multipliers', () => {
  it('knows the ISO weekday of a date', () => {
    expect(['2026-12-07', wednesday, '2026-12-13'].map(isoWeekday)).toEqual([1, 3, 7]);
  });

  it('applies a rule only when every one of its conditions holds', () => {
    const member = { today: wednesday, birthday: '1990-12-25', tier: 'gold' };
    const applies = (overrides: Partial<MultiplierRule>, context = member) =>
      applicableRule([rule(overrides)], context) !== undefined;
    expect(applies({})).toBe(true);
    expect(applies({ from: wednesday, to: wednesday })).toBe(true);
    expect(applies({ from: '2026-12-10' })).toBe(false);
    expect(applies({ to: '2026-12-08' })).toBe(false);
    expect(applies({ weekdays: [3] })).toBe(true);
    expect(applies({ weekdays: [6, 7] })).toBe(false);
    expect(applies({ birthdayMonth: true })).toBe(true);
    expect(applies({ birthdayMonth: true }, { ...member, birthday: '1990-11-25' })).toBe(false);
    expect(
      applies({ birthdayMonth: true }, { today: wednesday, tier: 'gold', birthday: undefined as never }),
    ).toBe(false);
    expect(applies({ tiers: ['gold', 'diamond'] })).toBe(true);
    expect(applies({ tiers: ['diamond'] })).toBe(false);
    expect(applies({ weekdays: [3], tiers: ['diamond'] })).toBe(false);
    // A store rule applies to purchases recorded at one of its stores, never to one at no store.
    expect(applies({ stores: ['xuhui', 'jingan'] }, { ...member, storeId: 'jingan' } as never)).toBe(true);
    expect(applies({ stores: ['xuhui'] }, { ...member, storeId: 'jingan' } as never)).toBe(false);
    expect(applies({ stores: ['xuhui'] })).toBe(false);
  });

  it('takes the highest multiplier that applies, never several, and the first listed on a tie', () => {
    const rules = [
      rule({ name: '周三', multiplier: 1.5, weekdays: [3] }),
      rule({ name: '金卡', multiplier: 3, tiers: ['gold'] }),
      rule({ name: '生日月', multiplier: 3, birthdayMonth: true }),
      rule({ name: '周末', multiplier: 5, weekdays: [6, 7] }),
    ];
    const earning = purchaseEarning(12_345, loyalty(rules), {
      today: wednesday,
      tier: 'gold',
      birthday: '2000-12-01',
    });
    expect(earning).toEqual({ basePoints: 123, points: 369, rule: { name: '金卡', multiplier: 3 } });
    expect(purchaseEarning(12_345, loyalty(rules), { today: wednesday })).toEqual({
      basePoints: 123,
      points: 184,
      rule: { name: '周三', multiplier: 1.5 },
    });
    expect(purchaseEarning(12_345, loyalty(rules), { today: '2026-12-10' })).toEqual({
      basePoints: 123,
      points: 123,
    });
  });

  it('rounds down to whole points without float dust, and a purchase too small stays at none', () => {
    expect(purchaseEarning(1_000, loyalty([rule({ multiplier: 1.1 })]), { today: wednesday }).points).toBe(
      11,
    );
    expect(purchaseEarning(1_000, loyalty([rule({ multiplier: 2.3 })]), { today: wednesday }).points).toBe(
      23,
    );
    expect(purchaseEarning(50, loyalty([rule({ multiplier: 10 })]), { today: wednesday })).toEqual({
      basePoints: 0,
      points: 0,
    });
  });

  it('earns the base points times the best multiplier, rounded down, whatever the rules', () => {
    const rules = fc.array(
      fc.record(
        {
          name: fc.string({ minLength: 1, maxLength: 5 }),
          multiplier: fc.integer({ min: 11, max: 100 }).map((tenths) => tenths / 10),
          weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
          tiers: fc.constantFrom<string[]>(['gold'], ['silver', 'gold'], ['diamond']),
        },
        { requiredKeys: ['name', 'multiplier'] },
      ),
      { maxLength: 6 },
    );
    const dates = fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), rules, dates, (cents, list, date) => {
        const today = date.toISOString().slice(0, 10);
        const context = { today, tier: 'gold' };
        const earning = purchaseEarning(cents, loyalty(list), context);
        const base = pointsForPurchase(cents, 1);
        const best = Math.max(
          1,
          ...list.filter((r) => applicableRule([r], context)).map((r) => r.multiplier),
        );
        expect(earning.basePoints).toBe(base);
        expect(earning.points).toBe(Math.floor(Math.round(base * best * 10) / 10));
        // A purchase too small for a point names no rule: nothing was multiplied.
        expect(earning.rule?.multiplier ?? 1).toBe(base === 0 ? 1 : best);
      }),
    );
  });

  it('refuses rules a merchant could not mean, each with its reason at its field', () => {
    const issues = (value: unknown) =>
      multiplierRulesSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ??
      [];
    expect(issues([rule({ multiplier: 1 })])).toEqual(['0.multiplier: multiplier: more than 1']);
    expect(issues([rule({ multiplier: 12 })])).toEqual(['0.multiplier: multiplier: at most 10']);
    expect(issues([rule({ multiplier: 1.25 })])).toEqual([
      '0.multiplier: multiplier: at most one decimal place',
    ]);
    expect(issues([rule({ name: ' ' })])).toEqual(['0.name: name: the rule needs a name']);
    expect(issues([rule({ from: '2026-12-10', to: '2026-12-09' })])).toEqual([
      '0.to: to: the last day comes on or after the first',
    ]);
    expect(issues([rule({ weekdays: [0] })])).toEqual(['0.weekdays.0: weekdays: 1 (Monday) to 7 (Sunday)']);
    expect(issues([rule({}), rule({})])).toEqual([': multipliers: every rule needs its own name']);
    expect(issues(Array.from({ length: 21 }, (_, i) => rule({ name: `r${i}` })))).toEqual([
      ': multipliers: at most 20 rules',
    ]);
    expect(issues([{ ...rule({}), shops: ['x'] } as MultiplierRule])).toHaveLength(1);
    expect(issues([rule({ stores: [] })])).toHaveLength(1);
  });

  it('refuses a rule for a tier the merchant does not have, at that rule', () => {
    const result = loyaltySettingsSchema.safeParse({ multipliers: [rule({ tiers: ['gold', 'jade'] })] });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['multipliers.0.tiers', 'tiers: jade is not one of the tiers (silver, gold, platinum, diamond)'],
    ]);
    expect(loyaltySettingsSchema.parse({}).multipliers).toEqual([]);
  });
});
