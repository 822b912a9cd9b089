import * as z from 'zod';
import { churnZoneSchema } from '../../events/vocabulary';
import { lazySchema } from '../lazy-schema';

export { churnZoneSchema, churnZones } from '../../events/vocabulary';
export type ChurnZone = z.infer<typeof churnZoneSchema>;

/** How long day-by-day activity is kept on the member: the longest window a fact or the report reads. */
export const activityDays = 190;

/** What happened on one day (merchant time zone); a count absent is zero. */
export const dayActivitySchema = lazySchema(() =>
  z.object({
    /** Earn entries for a purchase, and the purchase amounts in cents. */
    purchases: z.int().nonnegative().optional(),
    spendCents: z.int().nonnegative().optional(),
    redemptions: z.int().nonnegative().optional(),
    /** Stored value spent (cents): activity, not counted as purchase spend (an earn may record the same sale). */
    storedValueSpendCents: z.int().nonnegative().optional(),
    claims: z.int().nonnegative().optional(),
    /** Texts the member sent the merchant's number; opt-out attempts among them, even repeated ones. */
    inbound: z.int().nonnegative().optional(),
    optOutAttempts: z.int().nonnegative().optional(),
    complaints: z.int().nonnegative().optional(),
  }),
);
export type DayActivity = z.infer<typeof dayActivitySchema>;
export type ActivityCounter = keyof DayActivity;

/** A retention rule acted on the member: treated (texted, granted) or held out to measure the effect. */
export const retentionTargetSchema = lazySchema(() =>
  z.object({
    ruleId: z.string(),
    at: z.iso.datetime(),
    group: z.enum(['treated', 'holdout']),
    /** The churn.zone-changed event that caused it: a redelivery of it is recognised. */
    eventId: z.string(),
  }),
);
export type RetentionTarget = z.infer<typeof retentionTargetSchema>;

/**
 * A member's activity facts as events report them, kept on the member item and rewritten with a
 * condition on `version` (read, apply a pure change, write). `days` holds the last `activityDays`.
 */
export const memberActivitySchema = lazySchema(() =>
  z.object({
    version: z.int().nonnegative(),
    days: z.record(z.iso.date(), dayActivitySchema).default({}),
    /** The latest event of any kind. */
    lastActiveAt: z.iso.datetime().optional(),
    /** Retention rules that acted on the member within `activityDays` (all of them, oldest first). */
    targets: z.array(retentionTargetSchema).default([]),
    /** The member's latest purchase at each store (门店) they bought at: audiences' store condition. */
    storePurchases: z.record(z.string(), z.iso.datetime()).optional(),
  }),
);
export type MemberActivity = z.infer<typeof memberActivitySchema>;

/** One event as the activity facts see it: a counter to add to, on the day of `at`. */
export interface ActivityEvent {
  eventId: string;
  at: string;
  add: Partial<Record<ActivityCounter, number>>;
  /** The store (门店) it was recorded at, if any. */
  storeId?: string;
}

/** The facts rules can test, derived from the member and their activity on a given day. */
export const factNames = [
  /** Days since the last purchase; since joining for a member who never bought. */
  'daysSinceLastPurchase',
  'daysSinceJoined',
  /** Days since any event (purchase, redemption, claim, text); since joining if none. */
  'daysSinceLastActivity',
  'purchases30',
  'purchases90',
  'purchases180',
  'spend30',
  'spend90',
  'spend180',
  /** Spend of the last 90 days against the 90 before, in percent (−100 … ); absent when the earlier spend is 0. */
  'spendTrendPercent',
  'unusedPoints',
  'redemptions90',
  'claims90',
  'inbound30',
  'optOutAttempts90',
  'complaints30',
  'complaints90',
] as const;
export const factNameSchema = lazySchema(() => z.enum(factNames));
export type FactName = z.infer<typeof factNameSchema>;
export type ActivityFacts = Partial<Record<FactName, number>>;

const slugSchema = lazySchema(() =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'ids: 1-40 lowercase letters, digits or -, e.g. no-purchase-60d'),
);

export const churnConditionSchema = lazySchema(() =>
  z.strictObject({
    fact: factNameSchema,
    op: z.enum(['gte', 'gt', 'lte', 'lt', 'eq']),
    value: z.number().finite(),
  }),
);
export type ChurnCondition = z.infer<typeof churnConditionSchema>;

/**
 * A churn rule: when every condition holds, the member scores `score` in `group`. Within a group the
 * highest score that fires counts; the groups' scores add up. A condition on an absent fact is false.
 */
export const churnRuleSchema = lazySchema(() =>
  z.strictObject({
    id: slugSchema,
    group: slugSchema,
    label: z.string().trim().min(1).max(80),
    when: z.array(churnConditionSchema).min(1).max(5),
    score: z.int().min(1).max(100),
  }),
);
export type ChurnRule = z.infer<typeof churnRuleSchema>;

const rule = (
  id: string,
  group: string,
  label: string,
  score: number,
  ...when: ChurnCondition[]
): ChurnRule => ({ id, group, label, when, score });

export const defaultChurnRules: ChurnRule[] = [
  rule('no-purchase-60d', 'inactivity', 'No purchase in 60 days', 3, {
    fact: 'daysSinceLastPurchase',
    op: 'gte',
    value: 60,
  }),
  rule('no-purchase-120d', 'inactivity', 'No purchase in 120 days', 5, {
    fact: 'daysSinceLastPurchase',
    op: 'gte',
    value: 120,
  }),
  rule('spend-down-30', 'spend', 'Spend down 30% or more', 3, {
    fact: 'spendTrendPercent',
    op: 'lte',
    value: -30,
  }),
  rule('spend-down-50', 'spend', 'Spend down 50% or more', 5, {
    fact: 'spendTrendPercent',
    op: 'lte',
    value: -50,
  }),
  rule('complaint-30d', 'complaints', 'A complaint in 30 days', 2, {
    fact: 'complaints30',
    op: 'gte',
    value: 1,
  }),
  rule('complaints-90d', 'complaints', 'Two complaints in 90 days', 3, {
    fact: 'complaints90',
    op: 'gte',
    value: 2,
  }),
  rule('opt-out-attempt-90d', 'opt-out', 'Tried to opt out in 90 days', 2, {
    fact: 'optOutAttempts90',
    op: 'gte',
    value: 1,
  }),
  rule(
    'idle-points',
    'points',
    '500+ points unused, no redemption in 90 days',
    1,
    { fact: 'unusedPoints', op: 'gte', value: 500 },
    { fact: 'redemptions90', op: 'eq', value: 0 },
  ),
];

/** The lowest score of each warning zone; below `blue` a scored member is green. */
export const zoneThresholdsSchema = lazySchema(() =>
  z
    .strictObject({
      blue: z.int().min(1).max(1000),
      yellow: z.int().min(1).max(1000),
      red: z.int().min(1).max(1000),
    })
    .refine((t) => t.blue < t.yellow && t.yellow < t.red, 'the thresholds must rise: blue < yellow < red'),
);
export type ZoneThresholds = z.infer<typeof zoneThresholdsSchema>;

/** A merchant's retention settings (`GET/PUT /v1/retention/settings`), kept on the merchant's profile. */
export const retentionSettingsSchema = lazySchema(() =>
  z.object({
    churnRules: z
      .array(churnRuleSchema)
      .max(50)
      .superRefine((rules, ctx) => {
        const first = new Map<string, number>();
        for (const [i, { id }] of rules.entries()) {
          const earlier = first.get(id);
          if (earlier === undefined) first.set(id, i);
          else
            ctx.addIssue({
              code: 'custom',
              path: [i, 'id'],
              message: `${id} is also the id of rule ${earlier}; ids must be unique`,
            });
        }
      })
      .default(defaultChurnRules),
    zones: zoneThresholdsSchema.default({ blue: 2, yellow: 4, red: 7 }),
    /** Members who joined fewer days ago than this are white: too new to score. */
    newMemberDays: z.int().min(0).max(365).default(30),
    /** Members with no activity at all for this many days are white: too inactive to score. */
    dormantDays: z.int().min(60).max(3650).default(365),
    /** The hour (merchant time) from which the nightly scoring runs. */
    scoringHour: z.int().min(0).max(23).default(3),
  }),
);
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

/** What a scoring run left on the member: its score, the rules that fired, and when. */
export const churnScoreSchema = lazySchema(() =>
  z.object({
    score: z.int().nonnegative(),
    rules: z.array(z.string()),
    runId: z.string(),
    scoredAt: z.iso.datetime(),
    /**
     * The zone before `runId` wrote this (absent: the first score). A run resumed from a checkpoint
     * that a crash lost finds the member already written, and still counts the change from here.
     */
    previousZone: churnZoneSchema.optional(),
  }),
);
export type ChurnScore = z.infer<typeof churnScoreSchema>;

export const rfmSchema = lazySchema(() =>
  z.object({
    recency: z.int().min(1).max(5),
    frequency: z.int().min(1).max(5),
    monetary: z.int().min(1).max(5),
  }),
);
export type Rfm = z.infer<typeof rfmSchema>;

/**
 * A retention rule (a retention campaign): when a member enters `zone`, text them `templateId` and
 * optionally grant bonus points or a benefit; at most once per `coolDownDays`; `holdoutPercent` of
 * the members it would target are held out (nothing sent or granted) to measure the effect.
 */
export const retentionRuleSchema = lazySchema(() =>
  z.object({
    merchantId: z.string(),
    ruleId: z.string(),
    name: z.string().trim().min(1).max(60),
    zone: churnZoneSchema.exclude(['white', 'green']),
    templateId: z.string().min(1).max(100),
    grant: z
      .discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('points'), points: z.int().min(1).max(100_000) }),
        z.strictObject({ kind: z.literal('benefit'), code: z.string().min(1).max(40) }),
      ])
      .optional(),
    // At most the days targets are kept on the member (`activityDays`), which the cool-down reads.
    coolDownDays: z.int().min(1).max(180).default(30),
    holdoutPercent: z.number().min(0).max(50).default(0),
    status: z.enum(['active', 'stopped']),
    createdAt: z.iso.datetime(),
    stoppedAt: z.iso.datetime().optional(),
  }),
);
export type RetentionRule = z.infer<typeof retentionRuleSchema>;

/** Counts of members per zone. */
export const zoneCountsSchema = lazySchema(() => z.partialRecord(churnZoneSchema, z.int().nonnegative()));
export type ZoneCounts = z.infer<typeof zoneCountsSchema>;

/**
 * A rule's cohorts as the run saw them: members targeted (treated or held out) whose 30-day window
 * has closed, and how many of them bought within 30 days after; `open`: windows still running.
 */
export const cohortSchema = lazySchema(() =>
  z.object({
    treated: z.int().nonnegative(),
    treatedRetained: z.int().nonnegative(),
    holdout: z.int().nonnegative(),
    holdoutRetained: z.int().nonnegative(),
    open: z.int().nonnegative(),
  }),
);
export type Cohort = z.infer<typeof cohortSchema>;

/** Bounded histograms of the RFM values (see shared/domain/retention.ts), keyed by bucket. */
export const rfmHistogramsSchema = lazySchema(() =>
  z.object({
    recency: z.record(z.string(), z.int().nonnegative()),
    frequency: z.record(z.string(), z.int().nonnegative()),
    monetary: z.record(z.string(), z.int().nonnegative()),
  }),
);
export type RfmHistograms = z.infer<typeof rfmHistogramsSchema>;

/** A scoring run: first it counts (the RFM histograms), then it scores; both pages are checkpointed. */
export const scoringRunSchema = lazySchema(() =>
  z.object({
    merchantId: z.string(),
    /** `YYYY-MM-DD` (the merchant's date) for the nightly run, `manual-<ulid>` for one asked for. */
    runId: z.string(),
    trigger: z.enum(['nightly', 'manual']),
    status: z.enum(['requested', 'counting', 'scoring', 'done']),
    requestedAt: z.iso.datetime(),
    /** The instant the run scores for: facts are as of the merchant's date at this time. */
    asOf: z.iso.datetime(),
    startedAt: z.iso.datetime().optional(),
    finishedAt: z.iso.datetime().optional(),
    cursor: z.string().optional(),
    /** Members seen by the counting pass, and scored so far. */
    counted: z.int().nonnegative().default(0),
    scored: z.int().nonnegative().default(0),
    histograms: rfmHistogramsSchema.optional(),
    zones: zoneCountsSchema.default({}),
    /** Zone changes this run made, keyed `<from>><to>` (`none>red` for a first score). */
    transitions: z.record(z.string(), z.int().nonnegative()).default({}),
    cohorts: z.record(z.string(), cohortSchema).default({}),
    updatedAt: z.iso.datetime(),
  }),
);
export type ScoringRun = z.infer<typeof scoringRunSchema>;

/** What a finished run leaves for the report: one per merchant date. */
export const zoneSnapshotSchema = lazySchema(() =>
  z.object({
    merchantId: z.string(),
    date: z.iso.date(),
    runId: z.string(),
    zones: zoneCountsSchema,
    transitions: z.record(z.string(), z.int().nonnegative()),
    cohorts: z.record(z.string(), cohortSchema),
    scoredAt: z.iso.datetime(),
  }),
);
export type ZoneSnapshot = z.infer<typeof zoneSnapshotSchema>;
