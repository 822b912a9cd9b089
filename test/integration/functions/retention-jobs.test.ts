import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../events';
import { type RetentionJobDeps, runRetentionJobs } from '../../../functions/retention-jobs/nightly-runs';
import { scoreRun } from '../../../functions/retention-jobs/scoring';
import { addDays } from '../../../shared/domain/time';
import type { Member, MemberInput } from '../../../shared/schemas/member';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { DayActivity, RetentionTarget, ScoringRun } from '../../../shared/schemas/retention';
import { membersStore } from '../../../shared/store/members';
import { retentionStore, scoringMembersStore } from '../../../shared/store/retention';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));
const retention = retentionStore(env.dynamo(), env.table('retention'));

/** 03:30 on 11 March in Shanghai: past the default scoring hour (3). */
const night = new Date('2027-03-10T19:30:00.000Z');
const today = '2027-03-11';
const far = () => Date.now() + 60_000;

let merchant: Merchant;
let published: DomainEvent[];
let deps: RetentionJobDeps;

/** Jobs over this test's merchants only: the Directory holds every other test's too. */
function depsFor(...merchants: Merchant[]): RetentionJobDeps {
  return {
    jobs: {
      async *merchants() {
        yield* merchants;
      },
    },
    retention,
    members: scoringMembersStore(env.dynamo(), env.table('members')),
    events: { publish: async (...events) => void published.push(...events) },
    clock: () => new Date(),
    // Small pages: 27 members make seven of them in each pass.
    pageSize: 4,
  };
}

beforeEach(async () => {
  merchant = (await newMerchant(env)).merchant;
  published = [];
  deps = depsFor(merchant);
});

const at = (daysAgo: number) => `${addDays(today, -daysAgo)}T04:00:00.000Z`;

/**
 * Ranked members 0–24: member i bought i+1 times for (i+1)×100 yuan, `daysAgo[i]` days before `today`
 * (all within 180 days). The zones follow from the default rules: no purchase in 60 days scores 3, in
 * 120 days 5; spend of the last 90 days down 100% on the 90 before (a purchase 90+ days ago) 5; a
 * complaint in 30 days 2; 500 idle points 1. Blue from 2, yellow from 4, red from 7. Members 0 and 1
 * joined within 30 days: white.
 */
const daysAgo = [
  5, 7, 10, 15, 20, 25, 30, 35, 40, 45, 50, 59, 60, 70, 80, 90, 100, 119, 120, 130, 140, 150, 160, 170, 179,
];
const complained = new Set([3, 7, 14, 20, 22]);
const expectedZones = [
  ...['white', 'white', 'green', 'blue', 'green', 'green', 'green', 'blue', 'green', 'green', 'green'],
  ...['green', 'blue', 'yellow', 'yellow', ...Array(10).fill('red')],
];
/** Retention targets of rule r-red: member 5 treated and retained, 22 held out, 9 still open. */
const targets: Record<number, RetentionTarget> = {
  5: { ruleId: 'r-red', at: at(40), group: 'treated', eventId: 'zone:a:5' },
  22: { ruleId: 'r-red', at: at(50), group: 'holdout', eventId: 'zone:a:22' },
  9: { ruleId: 'r-red', at: at(10), group: 'treated', eventId: 'zone:a:9' },
};

interface Seeded {
  ranked: MemberInput[];
  dormant: MemberInput;
  deleted: MemberInput;
}

/** The 25 ranked members, one dormant for over a year (white) and one deleted, for `owner`. */
async function seed(owner: Merchant): Promise<Seeded> {
  const create = async (fields: Partial<MemberInput>) => {
    const input: MemberInput = {
      merchantId: owner.merchantId,
      memberId: ulid(),
      phone: newPhone(),
      joinedAt: '2026-01-01T04:00:00.000Z',
      joinChannel: 'merchant-api',
      joinRef: 'test',
      points: 0,
      ...fields,
    };
    expect(await members.register(input)).toBe(true);
    return input;
  };
  const ranked: MemberInput[] = [];
  for (const [i, ago] of daysAgo.entries()) {
    const days: Record<string, DayActivity> = {
      [addDays(today, -ago)]: { purchases: i + 1, spendCents: (i + 1) * 10_000 },
    };
    if (complained.has(i)) days[addDays(today, -3)] = { complaints: 1 };
    const target = targets[i];
    ranked.push(
      await create({
        ...(i < 2 ? { joinedAt: at(10 + i * 10) } : {}),
        ...(i === 13 ? { points: 600 } : {}),
        lastPurchaseAt: at(ago),
        activity: { version: 1, days, targets: target ? [target] : [] },
      }),
    );
  }
  const dormant = await create({ lastPurchaseAt: at(400) });
  const deleted = await create({
    lastPurchaseAt: at(1),
    activity: { version: 1, days: { [addDays(today, -1)]: { purchases: 9 } }, targets: [] },
  });
  await members.softDelete(owner.merchantId, deleted.phone, new Date());
  return { ranked, dormant, deleted };
}

const memberOf = async (input: MemberInput): Promise<Member> => {
  const found = (await members.contact(input.merchantId, input.phone)).member;
  if (!found) throw new Error(`member ${input.phone} is missing`);
  return found;
};

/** RFM quintiles among 26 members: the dormant one ranks last in every dimension, ranked member i above i others. */
const quintile = (below: number) => Math.min(5, 1 + Math.floor((5 * below) / 26));

describe('the nightly scoring', () => {
  it('scores every current member: RFM within the merchant, zones, first transitions, one event each, cohorts, snapshot', async () => {
    const { ranked, dormant, deleted } = await seed(merchant);
    const other = (await newMerchant(env)).merchant;
    const bystander = (await seed(other)).ranked[20] as MemberInput;

    await runRetentionJobs(night, far(), deps);

    const run = await retention.run(merchant.merchantId, today);
    expect(run).toMatchObject({
      status: 'done',
      trigger: 'nightly',
      counted: 26,
      scored: 26,
      asOf: night.toISOString(),
    });
    expect(run?.histograms).toBeUndefined();
    const zones = { white: 3, green: 8, blue: 3, yellow: 2, red: 10 };
    expect(run?.zones).toEqual(zones);
    const firstScores = Object.fromEntries(Object.entries(zones).map(([zone, n]) => [`none>${zone}`, n]));
    expect(run?.transitions).toEqual(firstScores);
    const cohorts = { 'r-red': { treated: 1, treatedRetained: 1, holdout: 1, holdoutRetained: 0, open: 1 } };
    expect(run?.cohorts).toEqual(cohorts);
    expect(await retention.snapshots(merchant.merchantId, today, today)).toEqual([
      {
        merchantId: merchant.merchantId,
        date: today,
        runId: today,
        zones,
        transitions: firstScores,
        cohorts,
        scoredAt: night.toISOString(),
      },
    ]);

    for (const [i, input] of ranked.entries()) {
      const scored = await memberOf(input);
      expect(scored.churnZone, `member ${i}`).toBe(expectedZones[i]);
      expect(scored.rfm, `member ${i}`).toEqual({
        recency: quintile(25 - i),
        frequency: quintile(i + 1),
        monetary: quintile(i + 1),
      });
      expect(scored.churn).toMatchObject({ runId: today, scoredAt: night.toISOString() });
    }
    expect(await memberOf(ranked[22] as MemberInput)).toMatchObject({
      churn: { score: 12, rules: ['no-purchase-120d', 'spend-down-50', 'complaint-30d'] },
    });
    expect(await memberOf(dormant)).toMatchObject({
      churnZone: 'white',
      rfm: { recency: 1, frequency: 1, monetary: 1 },
    });
    expect((await memberOf(deleted)).churnZone).toBeUndefined();
    expect((await memberOf(bystander)).churnZone).toBeUndefined();

    expect(published).toHaveLength(26);
    expect(new Set(published.map((e) => e.detail.eventId)).size).toBe(26);
    const red = published.find((e) => e.detail.memberId === ranked[20]?.memberId);
    expect(red).toEqual({
      detailType: 'churn.zone-changed',
      detail: {
        eventId: `zone:${today}:${ranked[20]?.memberId}`,
        merchantId: merchant.merchantId,
        memberId: ranked[20]?.memberId,
        phone: ranked[20]?.phone,
        to: 'red',
        score: 12,
        rules: ['no-purchase-120d', 'spend-down-50', 'complaint-30d'],
        runId: today,
        scoredAt: night.toISOString(),
      },
    });
  });

  it('asks for the night’s run only from the scoring hour, and once: a later tick that day does nothing', async () => {
    const { ranked } = await seed(merchant);
    await runRetentionJobs(new Date('2027-03-10T18:59:00.000Z'), far(), deps);
    expect(await retention.run(merchant.merchantId, today)).toBeUndefined();
    expect(published).toHaveLength(0);

    await runRetentionJobs(night, far(), deps);
    const done = await retention.run(merchant.merchantId, today);
    await runRetentionJobs(new Date('2027-03-11T02:00:00.000Z'), far(), deps);
    expect(await retention.run(merchant.merchantId, today)).toEqual(done);
    expect(published).toHaveLength(26);
    expect((await memberOf(ranked[0] as MemberInput)).churn?.runId).toBe(today);
  });

  it('the next night publishes and writes only what changed, and counts the moves between zones', async () => {
    const { ranked, dormant } = await seed(merchant);
    await runRetentionJobs(night, far(), deps);
    published = [];
    const tomorrow = addDays(today, 1);
    await runRetentionJobs(new Date(night.getTime() + 86_400_000), far(), deps);

    const run = await retention.run(merchant.merchantId, tomorrow);
    // A day on: member 11 reaches 60 days without buying; member 24's purchase leaves the 180 days,
    // and with it the spend that fell.
    expect(run?.transitions).toEqual({ 'green>blue': 1, 'red>yellow': 1 });
    expect(run?.zones).toEqual({ white: 3, green: 7, blue: 4, yellow: 3, red: 9 });
    expect(published).toHaveLength(2);
    expect(published.map((e) => [e.detail.memberId, e.detail.from, e.detail.to])).toEqual(
      expect.arrayContaining([
        [ranked[11]?.memberId, 'green', 'blue'],
        [ranked[24]?.memberId, 'red', 'yellow'],
      ]),
    );
    expect(await memberOf(ranked[11] as MemberInput)).toMatchObject({
      churnZone: 'blue',
      churn: { runId: tomorrow, previousZone: 'green' },
    });
    // Nothing changed for the dormant member: the first night's scores stay, unwritten.
    expect((await memberOf(dormant)).churn?.runId).toBe(today);

    // Asked for again by hand the same day: the same zones, nothing to publish.
    published = [];
    const manual: ScoringRun = {
      merchantId: merchant.merchantId,
      runId: `manual-${ulid()}`,
      trigger: 'manual',
      status: 'requested',
      requestedAt: new Date(night.getTime() + 90_000_000).toISOString(),
      asOf: new Date(night.getTime() + 90_000_000).toISOString(),
      counted: 0,
      scored: 0,
      zones: {},
      transitions: {},
      cohorts: {},
      updatedAt: new Date().toISOString(),
    };
    expect(await retention.requestRun(manual)).toBe(true);
    await runRetentionJobs(new Date(night.getTime() + 90_000_000), far(), deps);
    expect(await retention.run(merchant.merchantId, manual.runId)).toMatchObject({
      status: 'done',
      transitions: {},
    });
    expect(published).toHaveLength(0);
    expect(
      (await retention.snapshots(merchant.merchantId, tomorrow, tomorrow)).map((s) => s.runId),
    ).toContain(manual.runId);
  });
});

describe('a run cut short', () => {
  /** What a run left: its counts and each member's scores, by seed position (ids differ between merchants). */
  async function outcome(owner: Merchant, seeded: Seeded) {
    const run = await retention.run(owner.merchantId, today);
    const inputs = [...seeded.ranked, seeded.dormant];
    const scores = await Promise.all(
      inputs.map(async (input) => {
        const { rfm, churnZone, churn } = await memberOf(input);
        return { rfm, churnZone, churn };
      }),
    );
    const position = (memberId: unknown) => inputs.findIndex((input) => input.memberId === memberId);
    const events = published
      .filter((e) => e.detail.merchantId === owner.merchantId)
      .map(({ detail: { eventId: _, merchantId: _m, memberId, phone: _p, ...detail } }) => ({
        member: position(memberId),
        ...detail,
      }))
      .sort((a, b) => a.member - b.member);
    return {
      run: {
        counted: run?.counted,
        scored: run?.scored,
        zones: run?.zones,
        transitions: run?.transitions,
        cohorts: run?.cohorts,
      },
      scores,
      events,
    };
  }

  it('continued from its checkpoint after the deadline gives what an uninterrupted run gives', async () => {
    const whole = await seed(merchant);
    const other = (await newMerchant(env)).merchant;
    const cut = await seed(other);
    await runRetentionJobs(night, far(), deps);

    const otherDeps = depsFor(other);
    await runRetentionJobs(night, far(), {
      ...otherDeps,
      retention: { ...retention, pendingRuns: async () => [] },
    });
    let run = await retention.run(other.merchantId, today);
    let invocations = 0;
    while (run && run.status !== 'done') {
      invocations += 1;
      let pages = 0;
      // Three pages an invocation: the deadline falls mid-pass, and once between the passes.
      const result = await scoreRun(other, run, () => pages++ >= 3, otherDeps);
      run = result.run;
    }
    expect(invocations).toBeGreaterThan(3);
    const expected = await outcome(merchant, whole);
    const resumed = await outcome(other, cut);
    expect(resumed).toEqual(expected);
    expect(resumed.events).toHaveLength(26);
  });

  it('by a crash after a page’s writes, before its checkpoint, counts and publishes the same again', async () => {
    const whole = await seed(merchant);
    const other = (await newMerchant(env)).merchant;
    const crashed = await seed(other);
    await runRetentionJobs(night, far(), deps);

    let saves = 0;
    const crashing = depsFor(other);
    crashing.retention = {
      ...retention,
      // Started, seven pages counted, one scored: the tenth checkpoint is the second page scored. Its
      // members are written and its checkpoint is lost.
      saveRun: async (run, previous) => {
        saves += 1;
        if (saves === 10) throw new Error('Lambda ran out of memory');
        return retention.saveRun(run, previous);
      },
    };
    await expect(runRetentionJobs(night, far(), crashing)).rejects.toThrow('out of memory');
    expect(await retention.run(other.merchantId, today)).toMatchObject({ status: 'scoring', scored: 4 });
    await runRetentionJobs(night, far(), crashing);

    const expected = await outcome(merchant, whole);
    const retried = await outcome(other, crashed);
    expect(retried.run).toEqual(expected.run);
    expect(retried.scores).toEqual(expected.scores);
    // The retried page's four changes went out again, with the same ids.
    const ids = published
      .filter((e) => e.detail.merchantId === other.merchantId)
      .map((e) => e.detail.eventId);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(26);
  });

  it('is left to the invocation that moved it on', async () => {
    await seed(merchant);
    await runRetentionJobs(night, far(), {
      ...deps,
      retention: { ...retention, pendingRuns: async () => [] },
    });
    const requested = await retention.run(merchant.merchantId, today);
    if (!requested) throw new Error('the run was not requested');
    let pages = 0;
    const first = await scoreRun(merchant, requested, () => pages++ >= 2, deps);
    expect(first.outcome).toBe('continues');
    // A second invocation still holding the run as requested finds it moved on.
    expect((await scoreRun(merchant, requested, () => false, deps)).outcome).toBe('taken');
    expect(await retention.run(merchant.merchantId, today)).toEqual(first.run);
  });
});
