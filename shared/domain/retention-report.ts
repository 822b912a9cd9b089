/**
 * The retention report, pure: members by churn zone now and 30 days before, the zone changes in
 * between, and each retention rule's effect (members who bought within 30 days of the text, treated
 * against held out). Built from the daily zone snapshots the scoring runs leave; no I/O.
 */
import * as z from 'zod';
import {
  type Cohort,
  churnZoneSchema,
  type RetentionRule,
  retentionRuleSchema,
  type ZoneSnapshot,
  zoneCountsSchema,
} from '../schemas/retention';
import { differenceInterval } from './proportion-difference';
import { emptyCohort } from './retention';
import { addDays } from './time';

/** How far back the report compares, and over how many days it sums the zone changes. */
export const reportDays = 30;

const groupSchema = z.object({
  /** Members targeted whose 30-day window has closed. */
  members: z.int().nonnegative(),
  /** Of them, members who bought on one of the 30 days after. */
  retained: z.int().nonnegative(),
  /** `retained` of `members` in percent (one decimal); null while no window has closed. */
  rate: z.number().nullable(),
});

export const ruleReportSchema = retentionRuleSchema
  .pick({ ruleId: true, name: true, zone: true, status: true })
  .extend({
    treated: groupSchema,
    holdout: groupSchema,
    /** Treated rate − holdout rate, in percentage points (one decimal); null unless both have a rate. */
    liftPoints: z.number().nullable(),
    /**
     * The 95% interval of `liftPoints` (Newcombe's hybrid score method), in percentage points (one
     * decimal): an interval that holds 0 means the rule's effect is not told apart from chance yet.
     * Null when `liftPoints` is.
     */
    liftInterval: z.object({ low: z.number(), high: z.number() }).nullable(),
    /** Members targeted whose 30-day window is still running: not counted above yet. */
    openWindows: z.int().nonnegative(),
  });
export type RuleReport = z.infer<typeof ruleReportSchema>;

const zonesOnSchema = z.object({ date: z.iso.date(), zones: zoneCountsSchema });

export const retentionReportSchema = z.object({
  /** The latest scoring (null before the first run finished) and the members in each zone then. */
  latest: zonesOnSchema.extend({ scoredAt: z.iso.datetime() }).nullable(),
  /** The snapshot of 30 days before the latest, or the nearest older one; null if there is none. */
  previous: zonesOnSchema.nullable(),
  /** Zone changes over the 30 days up to the latest, keyed `<from>><to>` (`none>red`: a first score). */
  transitions: z.record(z.string(), z.int().nonnegative()),
  /** Members entering each zone over those 30 days, from any other zone or unscored. */
  entered: z.partialRecord(churnZoneSchema, z.int().nonnegative()),
  rules: z.array(ruleReportSchema),
});
export type RetentionReport = z.infer<typeof retentionReportSchema>;

/** A share in percent with one decimal; null of nobody. */
const percent = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((1000 * part) / whole) / 10;

function ruleReport(rule: RetentionRule, cohort: Cohort): RuleReport {
  const treatedRate = percent(cohort.treatedRetained, cohort.treated);
  const holdoutRate = percent(cohort.holdoutRetained, cohort.holdout);
  // From the exact shares, so the lift is not off by the rounding of both rates.
  const lift =
    cohort.treated > 0 && cohort.holdout > 0
      ? Math.round(
          1000 * (cohort.treatedRetained / cohort.treated - cohort.holdoutRetained / cohort.holdout),
        ) / 10
      : null;
  const interval = differenceInterval(
    { successes: cohort.treatedRetained, trials: cohort.treated },
    { successes: cohort.holdoutRetained, trials: cohort.holdout },
  );
  const points = (share: number) => Math.round(1000 * share) / 10;
  return {
    ruleId: rule.ruleId,
    name: rule.name,
    zone: rule.zone,
    status: rule.status,
    treated: { members: cohort.treated, retained: cohort.treatedRetained, rate: treatedRate },
    holdout: { members: cohort.holdout, retained: cohort.holdoutRetained, rate: holdoutRate },
    liftPoints: lift,
    liftInterval: interval ? { low: points(interval.low), high: points(interval.high) } : null,
    openWindows: cohort.open,
  };
}

/**
 * The report from the merchant's snapshots (oldest first, any span that reaches 30 days before the
 * latest) and retention rules (in the order to show them). Cohorts come from the latest snapshot
 * alone: each run counts every member's targets afresh, so they are not added across days.
 */
export function retentionReport(
  snapshots: readonly ZoneSnapshot[],
  rules: readonly RetentionRule[],
): RetentionReport {
  const latest = snapshots.at(-1);
  if (!latest) {
    return {
      latest: null,
      previous: null,
      transitions: {},
      entered: {},
      rules: rules.map((rule) => ruleReport(rule, emptyCohort())),
    };
  }
  const monthAgo = addDays(latest.date, -reportDays);
  const previous = snapshots.filter((snapshot) => snapshot.date <= monthAgo).at(-1);
  const transitions: Record<string, number> = {};
  for (const snapshot of snapshots) {
    if (snapshot.date <= monthAgo || snapshot.date > latest.date) continue;
    for (const [key, count] of Object.entries(snapshot.transitions)) {
      transitions[key] = (transitions[key] ?? 0) + count;
    }
  }
  const entered: RetentionReport['entered'] = {};
  for (const [key, count] of Object.entries(transitions)) {
    const [from, to] = key.split('>');
    const zone = churnZoneSchema.safeParse(to);
    if (from !== to && zone.success) entered[zone.data] = (entered[zone.data] ?? 0) + count;
  }
  return {
    latest: { date: latest.date, zones: latest.zones, scoredAt: latest.scoredAt },
    previous: previous ? { date: previous.date, zones: previous.zones } : null,
    transitions,
    entered,
    rules: rules.map((rule) => ruleReport(rule, latest.cohorts[rule.ruleId] ?? emptyCohort())),
  };
}
