import { describe, expect, it } from 'vitest';
import {
  activityFacts,
  addCohorts,
  addToHistograms,
  applyActivity,
  churnScore,
  conditionHolds,
  emptyHistograms,
  type FactsInput,
  memberCohorts,
  retentionDecision,
  rfmScores,
  rfmValues,
  scoreMember,
  transitionKey,
  zoneOf,
} from '../../../shared/domain/retention';
import { addDays } from '../../../shared/domain/time';
import {
  type ActivityEvent,
  type ActivityFacts,
  activityDays,
  type ChurnCondition,
  type ChurnRule,
  type DayActivity,
  type MemberActivity,
  type RetentionTarget,
  retentionSettingsSchema,
} from '../../../shared/schemas/retention';

const timeZone = 'Asia/Shanghai';
const today = '2026-06-30';
const daysAgo = (days: number) => addDays(today, -days);
/** Noon in Shanghai on a date, as a stored instant. */
const noonOn = (date: string) => `${date}T04:00:00.000Z`;
const settings = retentionSettingsSchema.parse({});

const activity = (
  days: Record<string, DayActivity>,
  extra: Partial<MemberActivity> = {},
): MemberActivity => ({
  version: 1,
  days,
  targets: [],
  ...extra,
});
/** A member who joined long ago and bought a week ago, with the given activity. */
const member = (fields: Partial<FactsInput> = {}): FactsInput => ({
  joinedAt: noonOn(daysAgo(400)),
  lastPurchaseAt: noonOn(daysAgo(7)),
  points: 0,
  ...fields,
});

describe('applyActivity', () => {
  const event = (at: string, add: ActivityEvent['add']): ActivityEvent => ({ eventId: 'e1', at, add });

  it('starts a member’s activity with the event’s day, counters and time', () => {
    const at = noonOn(today);
    expect(applyActivity(undefined, event(at, { purchases: 1, spendCents: 5000 }), today, today)).toEqual({
      version: 1,
      days: { [today]: { purchases: 1, spendCents: 5000 } },
      lastActiveAt: at,
      targets: [],
    });
  });

  it('adds to the day’s counters, keeps the others, and moves the version on', () => {
    const before = activity({ [today]: { purchases: 1, spendCents: 5000, claims: 1 } }, { version: 4 });
    const after = applyActivity(
      before,
      event(noonOn(today), { purchases: 1, spendCents: 2500 }),
      today,
      today,
    );
    expect(after.days[today]).toEqual({ purchases: 2, spendCents: 7500, claims: 1 });
    expect(after.version).toBe(5);
  });

  it('records no counter for a zero or negative amount, but the member was still active', () => {
    const at = noonOn(today);
    const after = applyActivity(undefined, event(at, { inbound: 0, redemptions: -1 }), today, today);
    expect(after.days).toEqual({ [today]: {} });
    expect(after.lastActiveAt).toBe(at);
  });

  it(`keeps the ${activityDays} days ending today and drops the day before them`, () => {
    const oldest = daysAgo(activityDays - 1);
    const before = activity({ [oldest]: { purchases: 1 }, [addDays(oldest, -1)]: { purchases: 1 } });
    const after = applyActivity(before, event(noonOn(today), { inbound: 1 }), today, today);
    expect(Object.keys(after.days).sort()).toEqual([oldest, today]);
  });

  it('adds nothing for an event from before the kept days', () => {
    const late = daysAgo(activityDays);
    const after = applyActivity(activity({}), event(noonOn(late), { purchases: 1 }), late, today);
    expect(after.days).toEqual({});
  });

  it('keeps the later lastActiveAt when an older event arrives late', () => {
    const before = activity({}, { lastActiveAt: noonOn(today) });
    const after = applyActivity(before, event(noonOn(daysAgo(2)), { claims: 1 }), daysAgo(2), today);
    expect(after.lastActiveAt).toBe(noonOn(today));
    expect(after.days[daysAgo(2)]).toEqual({ claims: 1 });
  });

  it('drops retention targets older than the kept days', () => {
    const target = (date: string): RetentionTarget => ({
      ruleId: 'r1',
      at: `${date}T02:00:00.000Z`,
      group: 'treated',
      eventId: date,
    });
    const oldest = daysAgo(activityDays - 1);
    const before = activity({}, { targets: [target(addDays(oldest, -1)), target(oldest), target(today)] });
    const after = applyActivity(before, event(noonOn(today), { inbound: 1 }), today, today);
    expect(after.targets.map((t) => t.eventId)).toEqual([oldest, today]);
  });
});

describe('activityFacts', () => {
  const factsOf = (fields: Partial<FactsInput>) => activityFacts(member(fields), today, timeZone);

  it.each([
    ['purchases30', 29, 30],
    ['purchases90', 89, 90],
    ['purchases180', 179, 180],
  ] as const)('%s counts a purchase %i days ago and not one %i days ago', (fact, inside, outside) => {
    const days = { [daysAgo(inside)]: { purchases: 1 }, [daysAgo(outside)]: { purchases: 10 } };
    expect(factsOf({ activity: activity(days) })[fact]).toBe(1);
  });

  it('counts today in every window, and a day after today in none', () => {
    const days = { [today]: { purchases: 1, spendCents: 100 }, [addDays(today, 1)]: { purchases: 5 } };
    const facts = factsOf({ activity: activity(days) });
    expect([facts.purchases30, facts.purchases90, facts.purchases180]).toEqual([1, 1, 1]);
    expect([facts.spend30, facts.spend90, facts.spend180]).toEqual([100, 100, 100]);
  });

  it('sums spend and the other counters over their windows', () => {
    const days = {
      [daysAgo(10)]: { spendCents: 1000, redemptions: 1, complaints: 1, inbound: 2 },
      [daysAgo(45)]: { spendCents: 2000, claims: 1, complaints: 1, optOutAttempts: 2, inbound: 1 },
      [daysAgo(120)]: { spendCents: 4000, redemptions: 1, claims: 1, optOutAttempts: 1 },
    };
    expect(factsOf({ activity: activity(days), points: 640 })).toMatchObject({
      spend30: 1000,
      spend90: 3000,
      spend180: 7000,
      redemptions90: 1,
      claims90: 1,
      inbound30: 2,
      optOutAttempts90: 2,
      complaints30: 1,
      complaints90: 2,
      unusedPoints: 640,
    });
  });

  it.each([
    // (recent − before) / before × 100, rounded
    ['spend down 60%', 4000, 10_000, -60],
    ['spend up 50%', 15_000, 10_000, 50],
    ['nothing spent lately', 0, 10_000, -100],
    ['a third of before', 1000, 3000, -67],
    ['the same', 5000, 5000, 0],
  ])('spendTrendPercent: %s', (_case, recent, before, trend) => {
    const days = { [daysAgo(89)]: { spendCents: recent }, [daysAgo(90)]: { spendCents: before } };
    expect(factsOf({ activity: activity(days) }).spendTrendPercent).toBe(trend);
  });

  it('has no spendTrendPercent when nothing was spent in the 90 days before (nothing to compare with)', () => {
    const facts = factsOf({
      activity: activity({ [today]: { spendCents: 5000 }, [daysAgo(180)]: { spendCents: 1 } }),
    });
    expect(facts).not.toHaveProperty('spendTrendPercent');
    expect(facts.spend180).toBe(5000);
  });

  it('reads days since in the merchant’s time zone', () => {
    // 17:30 UTC on 28 June is already 29 June in Shanghai: one day before today there.
    const facts = factsOf({
      lastPurchaseAt: '2026-06-28T17:30:00.000Z',
      joinedAt: '2026-05-31T15:59:59.000Z',
    });
    expect(facts.daysSinceLastPurchase).toBe(1);
    expect(facts.daysSinceJoined).toBe(30);
  });

  it('counts days since joining for a member who never bought and was never active', () => {
    const facts = factsOf({ joinedAt: noonOn(daysAgo(75)), lastPurchaseAt: undefined });
    expect(facts.daysSinceLastPurchase).toBe(75);
    expect(facts.daysSinceLastActivity).toBe(75);
  });

  it('takes the latest of the last purchase and the last event as the last activity', () => {
    const recentText = activity({}, { lastActiveAt: noonOn(daysAgo(3)) });
    expect(factsOf({ lastPurchaseAt: noonOn(daysAgo(20)), activity: recentText }).daysSinceLastActivity).toBe(
      3,
    );
    const oldText = activity({}, { lastActiveAt: noonOn(daysAgo(40)) });
    expect(factsOf({ lastPurchaseAt: noonOn(daysAgo(20)), activity: oldText }).daysSinceLastActivity).toBe(
      20,
    );
  });

  it('never counts negative days for an instant after today', () => {
    expect(factsOf({ lastPurchaseAt: noonOn(addDays(today, 2)) }).daysSinceLastPurchase).toBe(0);
  });
});

describe('conditionHolds', () => {
  const facts: ActivityFacts = { purchases30: 3 };
  it.each([
    ['gte', 3, true],
    ['gte', 4, false],
    ['gt', 3, false],
    ['gt', 2, true],
    ['lte', 3, true],
    ['lte', 2, false],
    ['lt', 3, false],
    ['lt', 4, true],
    ['eq', 3, true],
    ['eq', 2, false],
  ] as const)('purchases30 = 3 %s %i: %s', (op, value, holds) => {
    expect(conditionHolds({ fact: 'purchases30', op, value }, facts)).toBe(holds);
  });

  it.each(['gte', 'gt', 'lte', 'lt', 'eq'] as const)('is false for an absent fact (%s)', (op) => {
    expect(conditionHolds({ fact: 'spendTrendPercent', op, value: 0 }, facts)).toBe(false);
  });
});

describe('churnScore', () => {
  const when = (fact: ChurnCondition['fact'], op: ChurnCondition['op'], value: number) => ({
    fact,
    op,
    value,
  });
  const rule = (id: string, group: string, score: number, ...conditions: ChurnCondition[]): ChurnRule => ({
    id,
    group,
    label: id,
    score,
    when: conditions,
  });
  const rules = [
    rule('no-buy-60', 'inactivity', 3, when('daysSinceLastPurchase', 'gte', 60)),
    rule('no-buy-120', 'inactivity', 5, when('daysSinceLastPurchase', 'gte', 120)),
    rule('complaint', 'unhappy', 2, when('complaints30', 'gte', 1)),
    rule('opt-out-try', 'unhappy', 2, when('optOutAttempts90', 'gte', 1)),
    rule('idle-points', 'points', 1, when('unusedPoints', 'gte', 500), when('redemptions90', 'eq', 0)),
    rule('spend-flat', 'spend', 4, when('spendTrendPercent', 'lt', 10)),
  ];
  const quiet: ActivityFacts = {
    daysSinceLastPurchase: 10,
    complaints30: 0,
    optOutAttempts90: 0,
    unusedPoints: 0,
    redemptions90: 0,
  };

  it.each([
    ['nothing fires', {}, 0, []],
    ['one rule of a group', { daysSinceLastPurchase: 60 }, 3, ['no-buy-60']],
    ['the highest of a group, not the sum', { daysSinceLastPurchase: 130 }, 5, ['no-buy-120']],
    [
      'one of two equal scores in a group: the first',
      { complaints30: 1, optOutAttempts90: 1 },
      2,
      ['complaint'],
    ],
    ['the second of a group alone', { optOutAttempts90: 2 }, 2, ['opt-out-try']],
    ['both conditions of a rule', { unusedPoints: 500, redemptions90: 0 }, 1, ['idle-points']],
    ['one of two conditions of a rule', { unusedPoints: 800, redemptions90: 1 }, 0, []],
    [
      'groups added up',
      { daysSinceLastPurchase: 200, complaints30: 1, unusedPoints: 900 },
      8,
      ['no-buy-120', 'complaint', 'idle-points'],
    ],
    ['a fact present', { spendTrendPercent: 0 }, 4, ['spend-flat']],
    [
      'every group',
      { daysSinceLastPurchase: 61, optOutAttempts90: 1, unusedPoints: 500, spendTrendPercent: -80 },
      10,
      ['no-buy-60', 'opt-out-try', 'idle-points', 'spend-flat'],
    ],
  ] as const)('%s', (_case, changes, score, fired) => {
    expect(churnScore({ ...quiet, ...changes }, rules)).toEqual({ score, rules: fired });
  });

  it('does not fire a rule on an absent fact (absent is not 0)', () => {
    expect(churnScore({ daysSinceLastPurchase: 10 }, rules)).toEqual({ score: 0, rules: [] });
    expect(churnScore({}, [rule('none-redeemed', 'points', 1, when('redemptions90', 'eq', 0))]).score).toBe(
      0,
    );
  });

  it('lists the counted rules in the order the rules are given', () => {
    const reversed = [...rules].reverse();
    const { rules: fired } = churnScore({ ...quiet, daysSinceLastPurchase: 200, complaints30: 1 }, reversed);
    expect(fired).toEqual(['complaint', 'no-buy-120']);
  });

  it('scores the default rules: 130 days without a purchase and spend down 60% is red', () => {
    const facts = { ...quiet, daysSinceLastPurchase: 130, spendTrendPercent: -60 };
    const { score, rules: fired } = churnScore(facts, settings.churnRules);
    expect({ score, fired }).toEqual({ score: 10, fired: ['no-purchase-120d', 'spend-down-50'] });
    expect(zoneOf(score, { daysSinceJoined: 400, daysSinceLastActivity: 130 }, settings)).toBe('red');
  });
});

describe('zoneOf', () => {
  // Default thresholds: blue 2, yellow 4, red 7; white when joined < 30 days or idle ≥ 365 days.
  const scored: ActivityFacts = { daysSinceJoined: 400, daysSinceLastActivity: 10 };
  it.each([
    [0, 'green'],
    [1, 'green'],
    [2, 'blue'],
    [3, 'blue'],
    [4, 'yellow'],
    [6, 'yellow'],
    [7, 'red'],
    [50, 'red'],
  ] as const)('a score of %i is %s', (score, zone) => {
    expect(zoneOf(score, scored, settings)).toBe(zone);
  });

  it.each([
    ['joined 29 days ago: new', { daysSinceJoined: 29 }, 'white'],
    ['joined 30 days ago: scored', { daysSinceJoined: 30 }, 'red'],
    ['idle 364 days: scored', { daysSinceLastActivity: 364 }, 'red'],
    ['idle 365 days: dormant', { daysSinceLastActivity: 365 }, 'white'],
    ['no joining date known: new', { daysSinceJoined: undefined }, 'white'],
  ] as const)('%s', (_case, changes, zone) => {
    expect(zoneOf(9, { ...scored, ...changes }, settings)).toBe(zone);
  });

  it('follows the merchant’s own thresholds and white limits', () => {
    const own = retentionSettingsSchema.parse({
      zones: { blue: 5, yellow: 10, red: 20 },
      newMemberDays: 0,
      dormantDays: 60,
    });
    expect(zoneOf(9, { daysSinceJoined: 0, daysSinceLastActivity: 59 }, own)).toBe('blue');
    expect(zoneOf(9, { daysSinceJoined: 0, daysSinceLastActivity: 60 }, own)).toBe('white');
  });
});

describe('RFM', () => {
  const histogramOf = (values: { recency?: number; frequency?: number; monetary?: number }[]) => {
    const histograms = emptyHistograms();
    for (const v of values) addToHistograms(histograms, { recency: 0, frequency: 0, monetary: 0, ...v });
    return histograms;
  };
  const scoresOf = (values: { recency?: number; frequency?: number; monetary?: number }[]) => {
    const histograms = histogramOf(values);
    return values.map((v) => rfmScores({ recency: 0, frequency: 0, monetary: 0, ...v }, histograms));
  };

  it('gives 5 distinct values the scores 1 to 5; fewer days since the last purchase is better', () => {
    const scores = scoresOf([1, 2, 3, 4, 5].map((n) => ({ recency: n * 10, frequency: n, monetary: n })));
    expect(scores.map((s) => s.frequency)).toEqual([1, 2, 3, 4, 5]);
    expect(scores.map((s) => s.monetary)).toEqual([1, 2, 3, 4, 5]);
    expect(scores.map((s) => s.recency)).toEqual([5, 4, 3, 2, 1]);
  });

  it('gives ties one score: 1 + the fifth of members strictly below', () => {
    // 10 members: six at 0 (none below → 1), two at 1 (6 below → 1 + ⌊5·6/10⌋ = 4),
    // one at 2 (8 below → 5), one at 3 (9 below → 1 + ⌊4.5⌋ = 5).
    const frequencies = [0, 0, 0, 0, 0, 0, 1, 1, 2, 3];
    expect(scoresOf(frequencies.map((frequency) => ({ frequency }))).map((s) => s.frequency)).toEqual([
      1, 1, 1, 1, 1, 1, 4, 4, 5, 5,
    ]);
  });

  it('gives every member 1 when all are equal', () => {
    const scores = scoresOf(Array.from({ length: 7 }, () => ({ recency: 30, frequency: 2, monetary: 200 })));
    expect(new Set(scores.map((s) => `${s.recency}${s.frequency}${s.monetary}`))).toEqual(new Set(['111']));
  });

  it('scores 1 against empty histograms', () => {
    expect(rfmScores({ recency: 1, frequency: 9, monetary: 9 }, emptyHistograms())).toEqual({
      recency: 1,
      frequency: 1,
      monetary: 1,
    });
  });

  it('counts each member once in each histogram, by bucket', () => {
    expect(
      histogramOf([
        { recency: 3, frequency: 1 },
        { recency: 3, frequency: 2 },
      ]),
    ).toEqual({
      recency: { '3': 2 },
      frequency: { '1': 1, '2': 1 },
      monetary: { '0': 2 },
    });
  });

  it('reads recency from days since the last purchase and frequency from purchases in 180 days, capped', () => {
    expect(rfmValues({ daysSinceLastPurchase: 12, purchases180: 4, spend180: 0 })).toEqual({
      recency: 12,
      frequency: 4,
      monetary: 0,
    });
    expect(rfmValues({ daysSinceLastPurchase: 99_999, purchases180: 99_999 })).toMatchObject({
      recency: 3650,
      frequency: 10_000,
    });
    expect(rfmValues({}).recency).toBe(3650);
  });

  it('buckets spend in 2% steps: under 2% apart at most one bucket, more spend never a lower one, under 1,000 buckets', () => {
    const bucket = (spend180: number) => rfmValues({ spend180 }).monetary;
    for (const spend of [5000, 100_000, 100_500, 7_777_777]) {
      expect(bucket(Math.round(spend * 1.019)) - bucket(spend)).toBeLessThanOrEqual(1);
      expect(bucket(Math.round(spend * 1.05))).toBeGreaterThan(bucket(spend));
    }
    expect(bucket(1)).toBeGreaterThan(0);
    const spends = [1, 50, 999, 10_000, 123_456, 5_000_000, 1e9];
    const buckets = spends.map(bucket);
    expect([...buckets].sort((a, b) => a - b)).toEqual(buckets);
    expect(bucket(1e9)).toBeLessThan(1000);
  });
});

describe('retentionDecision', () => {
  const rule = { ruleId: 'R1', coolDownDays: 30, holdoutPercent: 0 };
  const memberId = 'm-1';
  const last: RetentionTarget = {
    ruleId: 'R1',
    at: '2026-05-01T19:00:00.000Z',
    group: 'treated',
    eventId: 'ev-1',
  };
  const at = (iso: string) => new Date(iso);

  it('targets a member the rule never acted on, as treated with no holdout', () => {
    expect(retentionDecision([], rule, { memberId }, 'ev-2', at('2026-06-01T19:00:00.000Z'))).toEqual({
      kind: 'target',
      target: { ruleId: 'R1', at: '2026-06-01T19:00:00.000Z', group: 'treated', eventId: 'ev-2' },
    });
  });

  it('answers a redelivered event with the target it made, even after the cool-down', () => {
    expect(retentionDecision([last], rule, { memberId }, 'ev-1', at('2026-09-01T00:00:00.000Z'))).toEqual({
      kind: 'repeat',
      target: last,
    });
  });

  it('cools down until exactly coolDownDays after the last target, then targets again', () => {
    const until = '2026-05-31T19:00:00.000Z';
    expect(retentionDecision([last], rule, { memberId }, 'ev-2', at('2026-05-31T18:59:59.999Z'))).toEqual({
      kind: 'cooling-down',
      until,
    });
    expect(retentionDecision([last], rule, { memberId }, 'ev-2', at(until)).kind).toBe('target');
  });

  it('cools down from the latest target of the rule, held out ones included', () => {
    const later: RetentionTarget = {
      ...last,
      at: '2026-05-20T00:00:00.000Z',
      group: 'holdout',
      eventId: 'ev-9',
    };
    const decision = retentionDecision(
      [later, last],
      rule,
      { memberId },
      'ev-2',
      at('2026-06-05T00:00:00.000Z'),
    );
    expect(decision).toEqual({ kind: 'cooling-down', until: '2026-06-19T00:00:00.000Z' });
  });

  it('is not cooled down by another rule’s targets', () => {
    const other = { ...last, ruleId: 'R2' };
    expect(retentionDecision([other], rule, { memberId }, 'ev-2', at('2026-05-02T00:00:00.000Z')).kind).toBe(
      'target',
    );
  });

  it('holds out about holdoutPercent of members, each on the same side every time, per rule', () => {
    const memberIds = Array.from({ length: 2000 }, (_, i) => `member-${i}`);
    const groupOf = (ruleId: string, id: string) => {
      const decision = retentionDecision(
        [],
        { ...rule, ruleId, holdoutPercent: 20 },
        { memberId: id },
        'e',
        new Date(),
      );
      return decision.kind === 'target' ? decision.target.group : 'none';
    };
    const first = memberIds.map((id) => groupOf('R1', id));
    const heldOut = first.filter((group) => group === 'holdout').length;
    expect(heldOut).toBeGreaterThan(320);
    expect(heldOut).toBeLessThan(480);
    expect(memberIds.map((id) => groupOf('R1', id))).toEqual(first);
    // Another rule draws its own holdout.
    expect(memberIds.map((id) => groupOf('R2', id))).not.toEqual(first);
  });
});

describe('memberCohorts', () => {
  // The target at 20:00 UTC on 1 May is 2 May in Shanghai: its window is 3 May to 1 June.
  const day = '2026-05-02';
  const target = (
    group: RetentionTarget['group'],
    ruleId = 'R1',
    at = '2026-05-01T20:00:00.000Z',
  ): RetentionTarget => ({
    ruleId,
    at,
    group,
    eventId: `${ruleId}-${at}`,
  });
  const closed = addDays(day, 31);
  const cohortsWith = (purchaseDays: string[], targets: RetentionTarget[], on = closed) =>
    memberCohorts(
      activity(Object.fromEntries(purchaseDays.map((d) => [d, { purchases: 1 }])), { targets }),
      on,
      timeZone,
    );

  it.each([
    ['on day 30', [addDays(day, 30)], 1],
    ['on day 1', [addDays(day, 1)], 1],
    ['on day 31 only', [addDays(day, 31)], 0],
    ['on the day of the text only', [day], 0],
    ['never', [], 0],
  ])('counts a treated member who bought %s as retained %i times', (_case, purchases, retained) => {
    expect(cohortsWith(purchases, [target('treated')])).toEqual({
      R1: { treated: 1, treatedRetained: retained, holdout: 0, holdoutRetained: 0, open: 0 },
    });
  });

  it('keeps the window open through its 30th day, and closes it the day after', () => {
    const purchases = [addDays(day, 5)];
    expect(cohortsWith(purchases, [target('treated')], addDays(day, 30)).R1).toMatchObject({
      treated: 0,
      open: 1,
    });
    expect(cohortsWith(purchases, [target('treated')], addDays(day, 31)).R1).toMatchObject({
      treated: 1,
      treatedRetained: 1,
      open: 0,
    });
  });

  it('counts held-out members apart, and each rule apart', () => {
    const targets = [
      target('holdout'),
      target('treated', 'R2'),
      target('treated', 'R2', '2026-06-20T02:00:00.000Z'),
    ];
    expect(cohortsWith([addDays(day, 3)], targets)).toEqual({
      R1: { treated: 0, treatedRetained: 0, holdout: 1, holdoutRetained: 1, open: 0 },
      R2: { treated: 1, treatedRetained: 1, holdout: 0, holdoutRetained: 0, open: 1 },
    });
  });

  it('is empty for a member no rule acted on', () => {
    expect(memberCohorts(undefined, today, timeZone)).toEqual({});
  });

  it('adds members’ cohorts up by rule', () => {
    const one = { treated: 1, treatedRetained: 1, holdout: 0, holdoutRetained: 0, open: 2 };
    const sum = addCohorts({ R1: { ...one } }, { R1: one, R2: one });
    expect(sum).toEqual({
      R1: { treated: 2, treatedRetained: 2, holdout: 0, holdoutRetained: 0, open: 4 },
      R2: one,
    });
  });
});

describe('transitionKey', () => {
  it('names a zone change, and a first score as from none', () => {
    expect(transitionKey('green', 'red')).toBe('green>red');
    expect(transitionKey(undefined, 'blue')).toBe('none>blue');
  });
});

describe('scoreMember', () => {
  it('puts the facts, churn score, zone and RFM of one member together', () => {
    const lapsed = member({
      lastPurchaseAt: noonOn(daysAgo(130)),
      activity: activity(
        { [daysAgo(130)]: { purchases: 1, spendCents: 8000 } },
        { lastActiveAt: noonOn(daysAgo(130)) },
      ),
    });
    const histograms = emptyHistograms();
    addToHistograms(histograms, { recency: 5, frequency: 3, monetary: 300 });
    addToHistograms(histograms, { recency: 130, frequency: 1, monetary: 222 });
    const scored = scoreMember(lapsed, settings, histograms, today, timeZone);
    // No purchase in 120 days (5) + spend down 100% against the 90 days before (5) = 10: red (≥ 7).
    expect(scored).toMatchObject({ score: 10, rules: ['no-purchase-120d', 'spend-down-50'], zone: 'red' });
    expect(scored.facts).toMatchObject({
      daysSinceLastPurchase: 130,
      purchases180: 1,
      spend180: 8000,
      spendTrendPercent: -100,
    });
    expect(scored.rfm).toEqual({ recency: 1, frequency: 1, monetary: 1 });
  });
});
