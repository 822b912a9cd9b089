/**
 * Member tiers: a yearly score (last calendar year's spend plus tenure) places the member in the
 * merchant's tier table, and a bought package can hold them higher until it ends. Pure: the
 * caller passes dates already in the merchant's time zone and the current instant.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { isLeapYear } from './time';

export const tierSchema = lazySchema(() =>
  z.object({
    code: z.string().regex(/^[a-z0-9-]{1,20}$/, 'tier codes: 1–20 lowercase letters, digits or -'),
    name: z.string().trim().min(1, 'every tier needs a name').max(40),
    /** The yearly score a member needs to reach this tier. */
    threshold: z.number().int().nonnegative(),
  }),
);

/** A merchant's tiers, lowest first: a member sits in the highest tier whose threshold they reach. */
export const tierTableSchema = lazySchema(() =>
  z
    .array(tierSchema)
    .min(1, 'a tier table needs at least one tier')
    // Refinements still run on an empty table, which already has its message.
    .refine((tiers) => tiers.length === 0 || tiers[0]?.threshold === 0, {
      // Otherwise a member with a low score would have no tier at all.
      message: 'the first tier must have threshold 0',
    })
    .refine((tiers) => tiers.every((tier, i) => i === 0 || tier.threshold > (tiers[i - 1]?.threshold ?? 0)), {
      message: 'tier thresholds must be strictly ascending',
    })
    .refine((tiers) => new Set(tiers.map((tier) => tier.code)).size === tiers.length, {
      message: 'tier codes must be unique',
    }),
);
export type Tier = z.infer<typeof tierSchema>;
export type TierTable = z.infer<typeof tierTableSchema>;

export const defaultTierTable: TierTable = [
  { code: 'silver', name: '银卡', threshold: 0 },
  { code: 'gold', name: '金卡', threshold: 1000 },
  { code: 'platinum', name: '白金卡', threshold: 2000 },
  { code: 'diamond', name: '钻石卡', threshold: 4000 },
];

/** Where every new member starts: the first tier, whose threshold is 0. */
export function entryTier(table: TierTable): string {
  return (table[0] as Tier).code;
}

/** Loyalty points for years of membership: the highest that applies, not the sum. */
const tenureBonuses = [
  { years: 10, points: 300 },
  { years: 3, points: 200 },
  { years: 1, points: 100 },
];

/** Tenure points on a day (YYYY-MM-DD, merchant time zone) for a member who joined on `joinedOn`. */
export function tenurePoints(joinedOn: string, on: string): number {
  const years = yearsOfMembership(joinedOn, on);
  return tenureBonuses.find((bonus) => years >= bonus.years)?.points ?? 0;
}

/** Score for the yearly evaluation: one point per whole currency unit spent, plus tenure. */
export function yearlyScore(input: { spendCentsLastYear: number; joinedOn: string; on: string }): number {
  return Math.floor(input.spendCentsLastYear / 100) + tenurePoints(input.joinedOn, input.on);
}

/** The highest tier whose threshold the score reaches. */
export function tierForScore(score: number, table: TierTable): string {
  const reached = table.findLast((tier) => score >= tier.threshold);
  // A checked table starts at 0, so only an unchecked table or a negative score gets here.
  if (!reached) throw new RangeError(`no tier for score ${score}: the first tier must have threshold 0`);
  return reached.code;
}

/** Position in the table, lowest 0; a code the table no longer has (or none) ranks below all. */
export function tierRank(code: string | undefined, table: TierTable): number {
  return table.findIndex((tier) => tier.code === code);
}

/** `a`, unless `b` ranks strictly higher. */
export function higherTier(a: string, b: string | undefined, table: TierTable): string {
  return b !== undefined && tierRank(b, table) > tierRank(a, table) ? b : a;
}

/**
 * yearly: 1 January, the score decides, up or down. monthly: the score can only lift.
 * table-changed: the merchant changed the tier table; as monthly, so a member keeps an earned tier
 * the table still has, and one whose tier it no longer has is placed by score.
 * package-bought / package-ended: the earned tier stands; only the package's effect changes.
 */
export type TierEvaluationKind = 'yearly' | 'monthly' | 'table-changed' | 'package-ended' | 'package-bought';

/** Whether the score counts this year's spend so far, not only last year's: runs that can only lift. */
export const countsThisYear = (kind: TierEvaluationKind) => kind === 'monthly' || kind === 'table-changed';

/** The codes of `codes` the tier table does not have. */
export function unknownTiers(codes: Iterable<string>, table: TierTable): string[] {
  return [...new Set(codes)].filter((code) => tierRank(code, table) < 0);
}

/** The tier's name, for texts; a code the table does not have (or none) has none. */
export function tierName(code: string | undefined, table: TierTable): string | undefined {
  return table.find((tier) => tier.code === code)?.name;
}

export interface TierEvaluationInput {
  kind: TierEvaluationKind;
  table: TierTable;
  current: { tier?: string; earnedTier?: string };
  score: number;
  tierPackage?: { tier: string; endsAt: string };
  /** ISO datetime of the evaluation. */
  now: string;
}

export interface TierEvaluation {
  /** What the member has now: the higher of the earned tier and an active package's tier. */
  tier: string;
  earnedTier: string;
  /** Compared with the member's current tier, so the caller knows whether to tell them. */
  change: 'upgrade' | 'downgrade' | 'none';
}

export function evaluateTier(input: TierEvaluationInput): TierEvaluation {
  const { table, current } = input;
  const earnedTier = earnedTierAfter(input);
  const tier = higherTier(earnedTier, activePackageTier(input), table);
  const delta = tierRank(tier, table) - tierRank(current.tier, table);
  return { tier, earnedTier, change: delta > 0 ? 'upgrade' : delta < 0 ? 'downgrade' : 'none' };
}

function earnedTierAfter({ kind, table, current, score }: TierEvaluationInput): string {
  const scored = tierForScore(score, table);
  if (kind === 'yearly') return scored;
  if (countsThisYear(kind)) return higherTier(scored, current.earnedTier, table);
  const kept = current.earnedTier;
  // A member never evaluated, or whose tier the merchant removed, is placed by score.
  return kept !== undefined && tierRank(kept, table) >= 0 ? kept : scored;
}

/** A package holds the member up to, but not including, its end instant. */
function activePackageTier({ tierPackage, now }: TierEvaluationInput): string | undefined {
  if (!tierPackage) return undefined;
  return Date.parse(now) < Date.parse(tierPackage.endsAt) ? tierPackage.tier : undefined;
}

/**
 * Whole years from joining to `on`; the anniversary day itself counts. A member who joined on
 * 29 February has their anniversary on 1 March in non-leap years (the day after 28 February,
 * so they never gain a year early).
 */
function yearsOfMembership(joinedOn: string, on: string): number {
  const [joinYear, joinMonth, joinDay] = calendarDate(joinedOn);
  const [year] = calendarDate(on);
  const leapDayInCommonYear = joinMonth === 2 && joinDay === 29 && !isLeapYear(year);
  const anniversary = leapDayInCommonYear ? `${year}-03-01` : `${year}${joinedOn.slice(4)}`;
  return year - joinYear - (on < anniversary ? 1 : 0);
}

function calendarDate(date: string): [number, number, number] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return date.split('-').map(Number) as [number, number, number];
}
