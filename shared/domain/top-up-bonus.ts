import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { maxCentsPerOperation, maxPointsPerOperation } from './ledger';

/**
 * Top-up bonuses (充值赠送): "top up 200, get 20". A rule gives bonus stored value and/or points to a
 * top-up of at least its `minCents`, within its dates. The highest rule a top-up reaches applies (the
 * largest `minCents`), never several.
 *
 * Bonus stored value is booked apart from what the member paid: the member's `storedValue` is the
 * whole balance, `storedValueBonus` the part of it that was given, so paid = storedValue − bonus.
 * Spending takes the paid part first (`bonusSpendOrder: 'last'`, the default) or the bonus first.
 * A refund of a top-up returns only money that was paid, never the bonus (see `topUpRefund`).
 */

export const maxTopUpBonusRules = 20;

export const topUpBonusRuleSchema = lazySchema(() =>
  z
    .strictObject({
      /** What the ledger entry and the texts name, e.g. 充200送20. */
      name: z.string().trim().min(1, 'name: the rule needs a name').max(40, 'name: at most 40 characters'),
      /** The rule applies to a top-up of at least this many cents. */
      minCents: z
        .int('minCents: whole cents')
        .min(1, 'minCents: at least 1 cent')
        .max(maxCentsPerOperation, `minCents: at most ${maxCentsPerOperation}`),
      /** Bonus stored value, in cents. */
      bonusCents: z
        .int('bonusCents: whole cents')
        .min(1, 'bonusCents: at least 1 cent, or leave it out')
        .max(maxCentsPerOperation, `bonusCents: at most ${maxCentsPerOperation}`)
        .optional(),
      /** Bonus points. */
      bonusPoints: z
        .int('bonusPoints: a whole number of points')
        .min(1, 'bonusPoints: at least 1, or leave it out')
        .max(maxPointsPerOperation, `bonusPoints: at most ${maxPointsPerOperation}`)
        .optional(),
      /** First and last day the rule applies (merchant time zone), inclusive. */
      from: z.iso.date('from: a date as YYYY-MM-DD').optional(),
      to: z.iso.date('to: a date as YYYY-MM-DD').optional(),
    })
    .refine((rule) => rule.bonusCents !== undefined || rule.bonusPoints !== undefined, {
      message: 'bonusCents: a rule gives bonus stored value (bonusCents), points (bonusPoints) or both',
      path: ['bonusCents'],
    })
    .refine((rule) => rule.from === undefined || rule.to === undefined || rule.from <= rule.to, {
      message: 'to: the last day comes on or after the first',
      path: ['to'],
    }),
);
export type TopUpBonusRule = z.infer<typeof topUpBonusRuleSchema>;

export const topUpBonusRulesSchema = lazySchema(() =>
  z
    .array(topUpBonusRuleSchema)
    .max(maxTopUpBonusRules, `topUpBonuses: at most ${maxTopUpBonusRules} rules`)
    .refine((rules) => new Set(rules.map((rule) => rule.name)).size === rules.length, {
      message: 'topUpBonuses: every rule needs its own name',
    }),
);

/** Which part of the stored value a spend takes first. */
export const bonusSpendOrderSchema = lazySchema(() => z.enum(['last', 'first']));
export type BonusSpendOrder = z.infer<typeof bonusSpendOrderSchema>;

/** What a top-up is given on top, and the rule that gave it. */
export interface TopUpBonus {
  rule: string;
  bonusCents: number;
  bonusPoints: number;
}

function valid(rule: TopUpBonusRule, today: string): boolean {
  return (rule.from === undefined || today >= rule.from) && (rule.to === undefined || today <= rule.to);
}

/**
 * The bonus a top-up of `cents` is given on `today` (the merchant's calendar): the rule with the largest
 * `minCents` the top-up reaches among those valid today (the first listed on a tie); none when no rule
 * applies.
 */
export function topUpBonus(
  rules: readonly TopUpBonusRule[],
  cents: number,
  today: string,
): TopUpBonus | undefined {
  let best: TopUpBonusRule | undefined;
  for (const rule of rules) {
    if (cents >= rule.minCents && valid(rule, today) && (best === undefined || rule.minCents > best.minCents))
      best = rule;
  }
  return best
    ? { rule: best.name, bonusCents: best.bonusCents ?? 0, bonusPoints: best.bonusPoints ?? 0 }
    : undefined;
}

/** A member's stored value: the whole balance and the bonus part of it (paid = storedValue − bonus). */
export interface StoredValueParts {
  storedValue: number;
  storedValueBonus: number;
}

/**
 * The cents of a spend that come from the bonus part, by the merchant's order: `last` takes the paid part
 * first and the bonus only for what the paid part does not cover; `first` takes the bonus first. A spend
 * beyond the balance is refused before this matters; the answer never exceeds the bonus there is.
 */
export function bonusSpent(cents: number, parts: StoredValueParts, order: BonusSpendOrder): number {
  const bonus = Math.max(0, parts.storedValueBonus);
  const paid = Math.max(0, parts.storedValue - bonus);
  return order === 'first' ? Math.min(cents, bonus) : Math.min(bonus, Math.max(0, cents - paid));
}

/** A top-up as the refund reads it: what was paid, and the bonus and points it was given. */
export interface RefundableTopUp {
  paidCents: number;
  bonusCents: number;
  bonusPoints: number;
}

export interface TopUpRefund {
  /** Paid stored value the refund takes off the balance. */
  paidRemoved: number;
  /** The top-up's bonus stored value still unspent, taken off the balance. */
  bonusRemoved: number;
  /** The top-up's bonus points still held, taken back. */
  pointsRemoved: number;
  /** The money handed back to the member: the paid cents removed less the bonus they already spent. */
  refundCents: number;
}

/**
 * A refund (退款) of one top-up. It removes the top-up's paid cents (no more than the paid part left)
 * and its bonus (no more than the bonus part left: what was spent is gone), and takes back its bonus
 * points as far as the member still has points. The money handed back is the paid cents removed less
 * the bonus the member already spent — the bonus came with the top-up, so a member who spent it and
 * refunds the top-up pays for it from what they paid. So a refund never returns bonus money, never
 * takes either part below zero, and comes to the same whichever spend order the merchant set.
 */
export function topUpRefund(
  topUp: RefundableTopUp,
  parts: StoredValueParts & { points: number },
): TopUpRefund {
  const bonus = Math.max(0, parts.storedValueBonus);
  const paid = Math.max(0, parts.storedValue - bonus);
  const paidRemoved = Math.min(topUp.paidCents, paid);
  const bonusRemoved = Math.min(topUp.bonusCents, bonus);
  const bonusUsed = topUp.bonusCents - bonusRemoved;
  return {
    paidRemoved,
    bonusRemoved,
    pointsRemoved: Math.min(topUp.bonusPoints, Math.max(0, parts.points)),
    refundCents: Math.max(0, paidRemoved - bonusUsed),
  };
}
