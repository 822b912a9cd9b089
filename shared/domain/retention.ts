/**
 * Retention, pure: members' activity facts, churn scoring (weighted rules, highest per group, groups
 * added up), zones, RFM quintiles from bounded histograms, the retention rules' cool-down and
 * holdout, and each rule's treated-vs-holdout cohorts. No I/O: callers pass dates and state.
 */
import {
  type ActivityEvent,
  type ActivityFacts,
  activityDays,
  type ChurnCondition,
  type ChurnRule,
  type ChurnZone,
  type Cohort,
  type DayActivity,
  type MemberActivity,
  type RetentionRule,
  type RetentionSettings,
  type RetentionTarget,
  type Rfm,
  type RfmHistograms,
  type ScoringRun,
} from '../schemas/retention';
import { isHeldOut } from './campaign';
import { addDays, dateIn, daysBetween } from './time';

/** Days after a retention text within which a purchase counts the member as retained. */
export const retentionWindowDays = 30;

/** The member's activity with one event added on its day; days and targets older than `activityDays` before `today` drop out. */
export function applyActivity(
  activity: MemberActivity | undefined,
  event: ActivityEvent,
  eventDay: string,
  today: string,
): MemberActivity {
  const oldest = addDays(today, 1 - activityDays);
  const days: Record<string, DayActivity> = {};
  for (const [day, counts] of Object.entries(activity?.days ?? {})) if (day >= oldest) days[day] = counts;
  if (eventDay >= oldest) {
    const counts: DayActivity = { ...days[eventDay] };
    for (const [counter, amount] of Object.entries(event.add) as [keyof DayActivity, number][]) {
      if (amount > 0) counts[counter] = (counts[counter] ?? 0) + amount;
    }
    days[eventDay] = counts;
  }
  const lastActiveAt =
    activity?.lastActiveAt && activity.lastActiveAt > event.at ? activity.lastActiveAt : event.at;
  const storePurchases = { ...activity?.storePurchases };
  const { storeId } = event;
  if (
    storeId &&
    (event.add.purchases ?? 0) > 0 &&
    !(storePurchases[storeId] && storePurchases[storeId] > event.at)
  ) {
    storePurchases[storeId] = event.at;
  }
  return {
    version: (activity?.version ?? 0) + 1,
    days,
    lastActiveAt,
    targets: pruneTargets(activity?.targets ?? [], today),
    ...(Object.keys(storePurchases).length > 0 ? { storePurchases } : {}),
  };
}

function pruneTargets(targets: RetentionTarget[], today: string): RetentionTarget[] {
  const oldest = addDays(today, 1 - activityDays);
  return targets.filter((target) => target.at.slice(0, 10) >= oldest);
}

/** What facts are computed from: the member's own fields and activity. */
export interface FactsInput {
  joinedAt: string;
  lastPurchaseAt?: string;
  points: number;
  activity?: MemberActivity;
}

/** Sum of a counter over the `days` days ending `today` (today included), skipping the `skip` most recent. */
function windowSum(
  days: Record<string, DayActivity>,
  counter: keyof DayActivity,
  today: string,
  length: number,
  skip = 0,
): number {
  const last = addDays(today, -skip);
  const first = addDays(today, 1 - skip - length);
  let sum = 0;
  for (const [day, counts] of Object.entries(days)) {
    if (day >= first && day <= last) sum += counts[counter] ?? 0;
  }
  return sum;
}

/** The member's facts on `today` (the merchant's date in `timeZone`). */
export function activityFacts(member: FactsInput, today: string, timeZone: string): ActivityFacts {
  const days = member.activity?.days ?? {};
  const daysSince = (at: string) => Math.max(0, daysBetween(dateIn(timeZone, new Date(at)), today));
  const daysSinceJoined = daysSince(member.joinedAt);
  const lastActive = [member.activity?.lastActiveAt, member.lastPurchaseAt]
    .filter((at): at is string => at !== undefined)
    .sort()
    .at(-1);
  const spend90 = windowSum(days, 'spendCents', today, 90);
  const spendBefore = windowSum(days, 'spendCents', today, 90, 90);
  return {
    daysSinceLastPurchase: member.lastPurchaseAt ? daysSince(member.lastPurchaseAt) : daysSinceJoined,
    daysSinceJoined,
    daysSinceLastActivity: lastActive ? daysSince(lastActive) : daysSinceJoined,
    purchases30: windowSum(days, 'purchases', today, 30),
    purchases90: windowSum(days, 'purchases', today, 90),
    purchases180: windowSum(days, 'purchases', today, 180),
    spend30: windowSum(days, 'spendCents', today, 30),
    spend90,
    spend180: spend90 + spendBefore,
    ...(spendBefore > 0
      ? { spendTrendPercent: Math.round(((spend90 - spendBefore) / spendBefore) * 100) }
      : {}),
    unusedPoints: member.points,
    redemptions90: windowSum(days, 'redemptions', today, 90),
    claims90: windowSum(days, 'claims', today, 90),
    inbound30: windowSum(days, 'inbound', today, 30),
    optOutAttempts90: windowSum(days, 'optOutAttempts', today, 90),
    complaints30: windowSum(days, 'complaints', today, 30),
    complaints90: windowSum(days, 'complaints', today, 90),
  };
}

/** A condition on an absent fact is false. */
export function conditionHolds({ fact, op, value }: ChurnCondition, facts: ActivityFacts): boolean {
  const actual = facts[fact];
  if (actual === undefined) return false;
  switch (op) {
    case 'gte':
      return actual >= value;
    case 'gt':
      return actual > value;
    case 'lte':
      return actual <= value;
    case 'lt':
      return actual < value;
    case 'eq':
      return actual === value;
  }
}

/**
 * The churn score: in each group the highest score among the rules whose conditions all hold, and
 * the groups added up. `rules` lists the rule that counted in each group, in rule order.
 */
export function churnScore(
  facts: ActivityFacts,
  rules: readonly ChurnRule[],
): { score: number; rules: string[] } {
  const best = new Map<string, ChurnRule>();
  for (const rule of rules) {
    if (!rule.when.every((condition) => conditionHolds(condition, facts))) continue;
    const current = best.get(rule.group);
    if (!current || rule.score > current.score) best.set(rule.group, rule);
  }
  const counted = new Set(best.values());
  return {
    score: [...counted].reduce((sum, rule) => sum + rule.score, 0),
    rules: rules.filter((rule) => counted.has(rule)).map((rule) => rule.id),
  };
}

/** White when too new or too inactive to score; otherwise the zone whose threshold the score reaches. */
export function zoneOf(score: number, facts: ActivityFacts, settings: RetentionSettings): ChurnZone {
  if ((facts.daysSinceJoined ?? 0) < settings.newMemberDays) return 'white';
  if ((facts.daysSinceLastActivity ?? 0) >= settings.dormantDays) return 'white';
  const { blue, yellow, red } = settings.zones;
  if (score >= red) return 'red';
  if (score >= yellow) return 'yellow';
  if (score >= blue) return 'blue';
  return 'green';
}

/** The bucket of each RFM value: days and counts as they are (capped), spend in 2% steps. */
export interface RfmValues {
  recency: number;
  frequency: number;
  monetary: number;
}

const maxRecencyDays = 3650;
const maxFrequency = 10_000;
const monetaryStep = Math.log(1.02);

/**
 * Recency (days since the last purchase), frequency (purchases in 180 days) and monetary (spend in 180
 * days) as histogram buckets. Spend is bucketed in 2% steps so a histogram stays small (under 1,000
 * buckets up to 10 million yuan) however many members there are; members within 2% of each other tie.
 */
export function rfmValues(facts: ActivityFacts): RfmValues {
  const spend = facts.spend180 ?? 0;
  return {
    recency: Math.min(facts.daysSinceLastPurchase ?? maxRecencyDays, maxRecencyDays),
    frequency: Math.min(facts.purchases180 ?? 0, maxFrequency),
    monetary: spend <= 0 ? 0 : 1 + Math.floor(Math.log(1 + spend / 100) / monetaryStep),
  };
}

export function emptyHistograms(): RfmHistograms {
  return { recency: {}, frequency: {}, monetary: {} };
}

/** Counts one member's values in the histograms (changed in place, and returned). */
export function addToHistograms(histograms: RfmHistograms, values: RfmValues): RfmHistograms {
  for (const dimension of ['recency', 'frequency', 'monetary'] as const) {
    const key = String(values[dimension]);
    histograms[dimension][key] = (histograms[dimension][key] ?? 0) + 1;
  }
  return histograms;
}

/** 1 + the fifth of members who rank strictly below: ties share a score, the top fifth scores 5. */
function quintile(histogram: Record<string, number>, value: number, lowerIsBetter: boolean): number {
  let total = 0;
  let below = 0;
  for (const [key, count] of Object.entries(histogram)) {
    total += count;
    const bucket = Number(key);
    if (lowerIsBetter ? bucket > value : bucket < value) below += count;
  }
  if (total === 0) return 1;
  return Math.min(5, 1 + Math.floor((5 * below) / total));
}

/** RFM scores by quintile within the merchant, whose histograms the counting pass built. */
export function rfmScores(values: RfmValues, histograms: RfmHistograms): Rfm {
  return {
    recency: quintile(histograms.recency, values.recency, true),
    frequency: quintile(histograms.frequency, values.frequency, false),
    monetary: quintile(histograms.monetary, values.monetary, false),
  };
}

/** What a retention rule does for a member entering its zone. */
export type RetentionDecision =
  /** Act now: text and grant when treated, record only when held out. */
  | { kind: 'target'; target: RetentionTarget }
  /** The same event again (a redelivery): finish what it started, with the same ids. */
  | { kind: 'repeat'; target: RetentionTarget }
  /** Targeted within the cool-down: nothing, until `until`. */
  | { kind: 'cooling-down'; until: string };

/**
 * Whether `rule` acts on a member entering its zone by event `eventId` at `now`: once per event, and not
 * again within `coolDownDays` of the last time (treated or held out). Held out by a stable hash of rule
 * and member, so a member stays on one side of a rule's comparison.
 */
export function retentionDecision(
  targets: readonly RetentionTarget[],
  rule: Pick<RetentionRule, 'ruleId' | 'coolDownDays' | 'holdoutPercent'>,
  member: { memberId: string },
  eventId: string,
  now: Date,
): RetentionDecision {
  const mine = targets.filter((target) => target.ruleId === rule.ruleId);
  const repeat = mine.find((target) => target.eventId === eventId);
  if (repeat) return { kind: 'repeat', target: repeat };
  const last = mine
    .map((target) => target.at)
    .sort()
    .at(-1);
  if (last) {
    const until = new Date(Date.parse(last) + rule.coolDownDays * 86_400_000).toISOString();
    if (now.toISOString() < until) return { kind: 'cooling-down', until };
  }
  const group = isHeldOut(`retention#${rule.ruleId}`, member.memberId, rule.holdoutPercent)
    ? 'holdout'
    : 'treated';
  return { kind: 'target', target: { ruleId: rule.ruleId, at: now.toISOString(), group, eventId } };
}

export function emptyCohort(): Cohort {
  return { treated: 0, treatedRetained: 0, holdout: 0, holdoutRetained: 0, open: 0 };
}

/**
 * One member's part of each rule's cohorts on `today`: each target whose 30-day window has closed counts
 * as treated or holdout, and as retained if the member bought on one of the 30 days after the target's
 * day; a window still running counts as open.
 */
export function memberCohorts(
  activity: MemberActivity | undefined,
  today: string,
  timeZone: string,
): Record<string, Cohort> {
  const cohorts: Record<string, Cohort> = {};
  for (const target of activity?.targets ?? []) {
    const cohort = cohorts[target.ruleId] ?? emptyCohort();
    cohorts[target.ruleId] = cohort;
    const day = dateIn(timeZone, new Date(target.at));
    // Today's purchases are not all in yet: a window whose last day is today is still open.
    const lastDay = addDays(day, retentionWindowDays);
    if (lastDay >= today) {
      cohort.open++;
      continue;
    }
    let retained = false;
    for (let offset = 1; offset <= retentionWindowDays && !retained; offset++) {
      retained = (activity?.days[addDays(day, offset)]?.purchases ?? 0) > 0;
    }
    if (target.group === 'treated') {
      cohort.treated++;
      if (retained) cohort.treatedRetained++;
    } else {
      cohort.holdout++;
      if (retained) cohort.holdoutRetained++;
    }
  }
  return cohorts;
}

/** Adds `from` into `into` (changed in place, and returned). */
export function addCohorts(
  into: Record<string, Cohort>,
  from: Record<string, Cohort>,
): Record<string, Cohort> {
  for (const [ruleId, cohort] of Object.entries(from)) {
    const sum = into[ruleId] ?? emptyCohort();
    into[ruleId] = sum;
    for (const key of Object.keys(sum) as (keyof Cohort)[]) sum[key] += cohort[key];
  }
  return into;
}

/** The key of a zone change in a run's transitions: `none>red` for a member's first score. */
export const transitionKey = (from: ChurnZone | undefined, to: ChurnZone) => `${from ?? 'none'}>${to}`;

/** A member's scoring in one run: the facts, the churn score and zone, and the RFM scores. */
export interface MemberScore {
  facts: ActivityFacts;
  score: number;
  rules: string[];
  zone: ChurnZone;
  rfm: Rfm;
}

export function scoreMember(
  member: FactsInput,
  settings: RetentionSettings,
  histograms: RfmHistograms,
  today: string,
  timeZone: string,
): MemberScore {
  const facts = activityFacts(member, today, timeZone);
  const { score, rules } = churnScore(facts, settings.churnRules);
  return {
    facts,
    score,
    rules,
    zone: zoneOf(score, facts, settings),
    rfm: rfmScores(rfmValues(facts), histograms),
  };
}

/** A scoring run as requested: nothing counted yet; it scores as of the moment it was asked for. */
export function requestedRun(
  merchantId: string,
  runId: string,
  trigger: ScoringRun['trigger'],
  now: Date,
): ScoringRun {
  const at = now.toISOString();
  return {
    merchantId,
    runId,
    trigger,
    status: 'requested',
    requestedAt: at,
    asOf: at,
    counted: 0,
    scored: 0,
    zones: {},
    transitions: {},
    cohorts: {},
    updatedAt: at,
  };
}
