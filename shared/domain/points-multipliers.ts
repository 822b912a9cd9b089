import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { pointsForPurchase } from './ledger';

/**
 * Points multipliers (积分加倍): rules that multiply the points a purchase earns on some days or for
 * some members — a date range, weekdays, the member's birthday month, tiers, stores. A rule applies when all
 * of its conditions hold; when several apply, the highest multiplier wins (they never stack), the
 * first listed on a tie. Points given outright (not for a purchase) are never multiplied.
 */

export const maxMultiplierRules = 20;

export const multiplierRuleSchema = lazySchema(() =>
  z
    .strictObject({
      /** What the ledger entry and the member's text name, e.g. 会员日双倍积分. */
      name: z.string().trim().min(1, 'name: the rule needs a name').max(40, 'name: at most 40 characters'),
      /** 1.5 is one and a half times the points; at most one decimal place. */
      multiplier: z
        .number()
        .gt(1, 'multiplier: more than 1')
        .max(10, 'multiplier: at most 10')
        .refine((value) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9, {
          message: 'multiplier: at most one decimal place',
        }),
      /** First and last day the rule applies (merchant time zone), inclusive. */
      from: z.iso.date('from: a date as YYYY-MM-DD').optional(),
      to: z.iso.date('to: a date as YYYY-MM-DD').optional(),
      /** ISO weekdays the rule applies on: 1 Monday … 7 Sunday. */
      weekdays: z
        .array(
          z.int().min(1, 'weekdays: 1 (Monday) to 7 (Sunday)').max(7, 'weekdays: 1 (Monday) to 7 (Sunday)'),
        )
        .min(1, 'weekdays: at least one day, or leave it out')
        .max(7)
        .optional(),
      /** Only in the member's birthday month. */
      birthdayMonth: z.boolean().optional(),
      /** Only for members in these tiers (codes of the tier table). */
      tiers: z
        .array(z.string().min(1).max(20))
        .min(1, 'tiers: at least one tier, or leave it out')
        .max(10)
        .optional(),
      /** Only for purchases recorded at these stores (门店 ids). */
      stores: z
        .array(z.string().min(1).max(32))
        .min(1, 'stores: at least one store, or leave it out')
        .max(100)
        .optional(),
    })
    .refine((rule) => rule.from === undefined || rule.to === undefined || rule.from <= rule.to, {
      message: 'to: the last day comes on or after the first',
      path: ['to'],
    }),
);
export type MultiplierRule = z.infer<typeof multiplierRuleSchema>;

export const multiplierRulesSchema = lazySchema(() =>
  z
    .array(multiplierRuleSchema)
    .max(maxMultiplierRules, `multipliers: at most ${maxMultiplierRules} rules`)
    .refine((rules) => new Set(rules.map((rule) => rule.name)).size === rules.length, {
      message: 'multipliers: every rule needs its own name',
    }),
);

/** What the member is and when, as far as a rule can ask. */
export interface EarnContext {
  /** The day of the purchase in the merchant's time zone, YYYY-MM-DD. */
  today: string;
  birthday?: string;
  tier?: string;
  /** The store the purchase is recorded at, if any. */
  storeId?: string;
}

/** The rule a multiplied earn went by, as the ledger entry and the texts name it. */
export interface MultipliedBy {
  name: string;
  multiplier: number;
}

export interface Earning {
  /** The points at the merchant's rate before any multiplier. */
  basePoints: number;
  points: number;
  /** The rule that multiplied them, if one applied. */
  rule?: MultipliedBy;
}

/** ISO weekday (1 Monday … 7 Sunday) of a calendar date. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

export function ruleApplies(rule: MultiplierRule, context: EarnContext): boolean {
  const { today } = context;
  if (rule.from !== undefined && today < rule.from) return false;
  if (rule.to !== undefined && today > rule.to) return false;
  if (rule.weekdays && !rule.weekdays.includes(isoWeekday(today))) return false;
  if (rule.birthdayMonth && context.birthday?.slice(5, 7) !== today.slice(5, 7)) return false;
  if (rule.tiers && (context.tier === undefined || !rule.tiers.includes(context.tier))) return false;
  if (rule.stores && (context.storeId === undefined || !rule.stores.includes(context.storeId))) return false;
  return true;
}

/** The rule that applies with the highest multiplier, the first listed on a tie. */
export function applicableRule(
  rules: readonly MultiplierRule[],
  context: EarnContext,
): MultiplierRule | undefined {
  let best: MultiplierRule | undefined;
  for (const rule of rules) {
    if (ruleApplies(rule, context) && (best === undefined || rule.multiplier > best.multiplier)) best = rule;
  }
  return best;
}

/**
 * The points a purchase earns: whole points at the merchant's rate, then times the highest rule that
 * applies, rounded down.
 */
export function purchaseEarning(
  purchaseCents: number,
  loyalty: { pointsPerYuan: number; multipliers: readonly MultiplierRule[] },
  context: EarnContext,
): Earning {
  const basePoints = pointsForPurchase(purchaseCents, loyalty.pointsPerYuan);
  const rule = applicableRule(loyalty.multipliers, context);
  if (!rule || basePoints === 0) return { basePoints, points: basePoints };
  // Tenths keep 1.1 × 10 from becoming 10.999…: the multiplier has one decimal place at most.
  const points = Math.floor((basePoints * Math.round(rule.multiplier * 10)) / 10);
  return { basePoints, points, rule: { name: rule.name, multiplier: rule.multiplier } };
}

/** What a ledger entry keeps of a multiplied earn: nothing when no rule applied. */
export function multipliedFields(earning: Earning): {
  basePoints?: number;
  multiplierRule?: string;
  multiplier?: number;
} {
  return earning.rule
    ? {
        basePoints: earning.basePoints,
        multiplierRule: earning.rule.name,
        multiplier: earning.rule.multiplier,
      }
    : {};
}

/** The rule an entry's points went by, if they were multiplied. */
export function multipliedBy(entry: {
  multiplierRule?: string;
  multiplier?: number;
}): MultipliedBy | undefined {
  return entry.multiplierRule !== undefined && entry.multiplier !== undefined
    ? { name: entry.multiplierRule, multiplier: entry.multiplier }
    : undefined;
}
