import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postingFingerprint } from '../../../shared/domain/ledger';
import { replies } from '../../../shared/domain/replies';
import { bonusText, staffReplies } from '../../../shared/domain/staff-replies';
import {
  bonusSpent,
  type TopUpBonusRule,
  topUpBonus,
  topUpBonusRulesSchema,
  topUpRefund,
} from '../../../shared/domain/top-up-bonus';
import { loyaltySettingsSchema } from '../../../shared/schemas/merchant';
import { topUpPostings } from '../../../shared/use-cases/top-up';

const today = '2026-12-08';
const rules: TopUpBonusRule[] = [
  { name: '充200送20', minCents: 20_000, bonusCents: 2_000 },
  { name: '充500送60', minCents: 50_000, bonusCents: 6_000, bonusPoints: 100 },
  { name: '充1000送200', minCents: 100_000, bonusCents: 20_000, from: '2027-01-01' },
  { name: '双十二充100送积分', minCents: 10_000, bonusPoints: 50, from: '2026-12-12', to: '2026-12-12' },
];

describe('top-up bonuses: the rule that applies', () => {
  it('gives the highest rule the amount reaches, never several', () => {
    expect(topUpBonus(rules, 19_999, today)).toBeUndefined();
    expect(topUpBonus(rules, 20_000, today)).toEqual({
      rule: '充200送20',
      bonusCents: 2_000,
      bonusPoints: 0,
    });
    expect(topUpBonus(rules, 99_999, today)).toEqual({
      rule: '充500送60',
      bonusCents: 6_000,
      bonusPoints: 100,
    });
  });

  it('reads the dates in the merchant calendar, both days included', () => {
    // 充1000送200 starts next year: today 1000 yuan reaches 充500送60 only.
    expect(topUpBonus(rules, 100_000, today)?.rule).toBe('充500送60');
    expect(topUpBonus(rules, 100_000, '2027-01-01')?.rule).toBe('充1000送200');
    expect(topUpBonus(rules, 10_000, '2026-12-12')).toEqual({
      rule: '双十二充100送积分',
      bonusCents: 0,
      bonusPoints: 50,
    });
    expect(topUpBonus(rules, 10_000, '2026-12-13')).toBeUndefined();
  });

  it('property: the bonus is one rule that applies, and no applicable rule asks for more', () => {
    const rule = fc.record({
      minCents: fc.integer({ min: 1, max: 200_000 }),
      bonusCents: fc.integer({ min: 1, max: 50_000 }),
      from: fc.option(fc.constantFrom('2026-12-01', '2026-12-08', '2026-12-09'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 20 }), fc.integer({ min: 1, max: 300_000 }), (drawn, cents) => {
        const named = drawn.map((one, index) => ({ ...one, name: `r${index}` }));
        const applicable = named.filter((one) => cents >= one.minCents && (one.from ?? '') <= today);
        const bonus = topUpBonus(named, cents, today);
        if (applicable.length === 0) return bonus === undefined;
        const chosen = named.find((one) => one.name === bonus?.rule);
        return (
          chosen !== undefined &&
          applicable.includes(chosen) &&
          applicable.every((one) => one.minCents <= chosen.minCents) &&
          bonus?.bonusCents === chosen.bonusCents
        );
      }),
    );
  });
});

describe('top-up bonuses: settings', () => {
  it('refuses a rule that gives nothing, a wrong date order, a 21st rule and two rules of one name', () => {
    const issues = (value: unknown) =>
      topUpBonusRulesSchema
        .safeParse(value)
        .error?.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    expect(issues([{ name: 'a', minCents: 100 }])).toEqual([
      '0.bonusCents bonusCents: a rule gives bonus stored value (bonusCents), points (bonusPoints) or both',
    ]);
    expect(
      issues([{ name: 'a', minCents: 100, bonusCents: 1, from: '2027-01-02', to: '2027-01-01' }]),
    ).toEqual(['0.to to: the last day comes on or after the first']);
    const many = Array.from({ length: 21 }, (_, index) => ({
      name: `r${index}`,
      minCents: 100,
      bonusCents: 1,
    }));
    expect(issues(many)?.[0]).toContain('at most 20 rules');
    expect(issues([rules[0], rules[0]])).toEqual([' topUpBonuses: every rule needs its own name']);
  });

  it('defaults to no rules, spending the bonus last', () => {
    const loyalty = loyaltySettingsSchema.parse({});
    expect(loyalty.topUpBonuses).toEqual([]);
    expect(loyalty.bonusSpendOrder).toBe('last');
  });
});

describe('top-up bonuses: spending and refunds', () => {
  it('spends the paid part first (last) or the bonus first (first)', () => {
    const parts = { storedValue: 22_000, storedValueBonus: 2_000 };
    expect(bonusSpent(5_000, parts, 'last')).toBe(0);
    expect(bonusSpent(21_000, parts, 'last')).toBe(1_000);
    expect(bonusSpent(5_000, parts, 'first')).toBe(2_000);
    expect(bonusSpent(1_500, parts, 'first')).toBe(1_500);
  });

  it('refunds what was paid, less the bonus spent, the same in either spend order', () => {
    const topUp = { paidCents: 20_000, bonusCents: 2_000, bonusPoints: 100 };
    // Spent 50 yuan: paid first leaves 150 paid + 20 bonus; bonus first leaves 170 paid + 0 bonus.
    const last = topUpRefund(topUp, { storedValue: 17_000, storedValueBonus: 2_000, points: 100 });
    const first = topUpRefund(topUp, { storedValue: 17_000, storedValueBonus: 0, points: 100 });
    expect(last).toEqual({
      paidRemoved: 15_000,
      bonusRemoved: 2_000,
      pointsRemoved: 100,
      refundCents: 15_000,
    });
    expect(first).toEqual({ paidRemoved: 17_000, bonusRemoved: 0, pointsRemoved: 100, refundCents: 15_000 });
    // Points spent meanwhile are taken back only as far as there are any.
    expect(topUpRefund(topUp, { storedValue: 0, storedValueBonus: 0, points: 30 })).toEqual({
      paidRemoved: 0,
      bonusRemoved: 0,
      pointsRemoved: 30,
      refundCents: 0,
    });
  });

  it('property: a spend or refund never takes either part below zero, and a refund never pays out bonus', () => {
    const parts = fc
      .record({ paid: fc.nat(50_000), bonus: fc.nat(10_000), points: fc.nat(500) })
      .map(({ paid, bonus, points }) => ({ storedValue: paid + bonus, storedValueBonus: bonus, points }));
    fc.assert(
      fc.property(
        parts,
        fc.integer({ min: 1, max: 60_000 }),
        fc.constantFrom('first' as const, 'last' as const),
        fc.record({
          paidCents: fc.integer({ min: 1, max: 50_000 }),
          bonusCents: fc.nat(10_000),
          bonusPoints: fc.nat(500),
        }),
        (now, cents, order, topUp) => {
          const paid = now.storedValue - now.storedValueBonus;
          if (cents <= now.storedValue) {
            const fromBonus = bonusSpent(cents, now, order);
            expect(fromBonus).toBeGreaterThanOrEqual(0);
            expect(fromBonus).toBeLessThanOrEqual(now.storedValueBonus);
            expect(cents - fromBonus).toBeLessThanOrEqual(paid);
          }
          const refund = topUpRefund(topUp, now);
          expect(refund.paidRemoved).toBeLessThanOrEqual(Math.min(paid, topUp.paidCents));
          expect(refund.bonusRemoved).toBeLessThanOrEqual(Math.min(now.storedValueBonus, topUp.bonusCents));
          expect(refund.pointsRemoved).toBeLessThanOrEqual(now.points);
          expect(refund.refundCents).toBeLessThanOrEqual(refund.paidRemoved);
          expect(
            Math.min(refund.paidRemoved, refund.bonusRemoved, refund.refundCents),
          ).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('top-up bonuses: the postings and the texts', () => {
  const merchant = { loyalty: loyaltySettingsSchema.parse({ topUpBonuses: rules }) } as never;

  it('books the bonus on the top-up entry and the bonus points as an entry of their own', () => {
    const { posting, also } = topUpPostings({ merchant, cents: 50_000, reason: 'x', today });
    expect(posting).toEqual({
      book: 'storedValue',
      type: 'top-up',
      delta: 56_000,
      bonusDelta: 6_000,
      bonusRule: '充500送60',
      bonusPoints: 100,
      reason: 'x',
    });
    expect(also).toEqual([
      { book: 'points', type: 'earn', delta: 100, reason: '充值赠送（充500送60）', expiresOn: '2027-12-31' },
    ]);
    expect(topUpPostings({ merchant, cents: 100, today })).toEqual({
      posting: { book: 'storedValue', type: 'top-up', delta: 100 },
    });
  });

  it('keeps the fingerprint of a top-up whether or not a rule still applies on a retry', () => {
    const withBonus = topUpPostings({ merchant, cents: 20_000, today }).posting;
    const after = topUpPostings({
      merchant: { loyalty: loyaltySettingsSchema.parse({}) } as never,
      cents: 20_000,
      today,
    }).posting;
    expect(withBonus.delta).not.toBe(after.delta);
    expect(postingFingerprint('m', withBonus)).toBe(postingFingerprint('m', after));
    expect(postingFingerprint('m', { ...after, delta: 20_001 })).not.toBe(postingFingerprint('m', after));
  });

  it('names the bonus in the replies', () => {
    expect(bonusText('zh', { rule: '充200送20', bonusCents: 2_000, bonusPoints: 0 })).toBe(
      '，赠送20元（充200送20）',
    );
    expect(bonusText('zh', { rule: 'r', bonusCents: 2_050, bonusPoints: 100 })).toBe(
      '，赠送20.50元和100积分（r）',
    );
    expect(bonusText('en', { rule: 'r', bonusCents: 0, bonusPoints: 100 })).toBe(', bonus 100 points (r)');
    expect(bonusText('zh', undefined)).toBe('');
    const bonus = { rule: '充200送20', bonusCents: 2_000, bonusPoints: 0 };
    expect(staffReplies.toppedUp('zh', '李四', 20_000, 22_000, bonus)).toBe(
      '已为李四充值200元，赠送20元（充200送20），储值余额220元。',
    );
    expect(replies.topUpNotice({ lang: 'zh', merchantName: '洗车行' }, '200', '220', bonus)).toBe(
      '您在洗车行的储值已充值200元，赠送20元（充200送20），余额220元。',
    );
  });
});
