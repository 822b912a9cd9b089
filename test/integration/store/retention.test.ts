import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MemberInput } from '../../../shared/schemas/member';
import type { RetentionRule, ScoringRun, ZoneSnapshot } from '../../../shared/schemas/retention';
import { membersStore } from '../../../shared/store/members';
import {
  InvalidScoringCursorError,
  retentionStore,
  scoringMembersStore,
} from '../../../shared/store/retention';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const retention = retentionStore(env.dynamo(), env.table('retention'));
const scoring = scoringMembersStore(env.dynamo(), env.table('members'));
const members = membersStore(env.dynamo(), env.table('members'));
let merchantId: string;

beforeEach(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

function rule(fields: Partial<RetentionRule> = {}): RetentionRule {
  return {
    merchantId,
    ruleId: ulid(),
    name: '红区挽回',
    zone: 'red',
    templateId: 'we-miss-you',
    coolDownDays: 30,
    holdoutPercent: 10,
    status: 'active',
    createdAt: '2027-01-01T00:00:00.000Z',
    ...fields,
  };
}

function run(runId: string, requestedAt: string, fields: Partial<ScoringRun> = {}): ScoringRun {
  return {
    merchantId,
    runId,
    trigger: runId.startsWith('manual-') ? 'manual' : 'nightly',
    status: 'requested',
    requestedAt,
    asOf: requestedAt,
    counted: 0,
    scored: 0,
    zones: {},
    transitions: {},
    cohorts: {},
    updatedAt: requestedAt,
    ...fields,
  };
}

describe('retention rules', () => {
  it('are created once, read back, listed newest first and found by zone while active', async () => {
    const older = rule({ createdAt: '2027-01-01T00:00:00.000Z' });
    const newer = rule({
      createdAt: '2027-01-02T00:00:00.000Z',
      zone: 'yellow',
      grant: { kind: 'points', points: 200 },
    });
    expect(await retention.createRule(older)).toBe(true);
    expect(await retention.createRule(newer)).toBe(true);
    expect(await retention.createRule({ ...older, name: '又一次' })).toBe(false);

    expect(await retention.rule(merchantId, older.ruleId)).toEqual(older);
    expect(await retention.rule('another-shop', older.ruleId)).toBeUndefined();
    expect(await retention.rules(merchantId)).toEqual([newer, older]);
    expect(await retention.activeRulesFor(merchantId, 'red')).toEqual([older]);
    expect(await retention.activeRulesFor(merchantId, 'blue')).toEqual([]);
  });

  it('stop once: the first stop is kept, a stopped rule no longer acts, an unknown one is refused', async () => {
    const red = rule();
    await retention.createRule(red);
    expect(await retention.stopRule(merchantId, red.ruleId, new Date('2027-02-01T00:00:00Z'))).toBe(true);
    expect(await retention.stopRule(merchantId, red.ruleId, new Date('2027-03-01T00:00:00Z'))).toBe(true);
    expect(await retention.rule(merchantId, red.ruleId)).toEqual({
      ...red,
      status: 'stopped',
      stoppedAt: '2027-02-01T00:00:00.000Z',
    });
    expect(await retention.activeRulesFor(merchantId, 'red')).toEqual([]);
    expect(await retention.stopRule(merchantId, 'no-such-rule', new Date())).toBe(false);
  });

  it('refuses a rule its schema refuses', async () => {
    await expect(
      retention.createRule({ ...rule(), zone: 'green' } as unknown as RetentionRule),
    ).rejects.toThrow();
  });
});

describe('scoring runs', () => {
  it('are requested once and pending, oldest first, until saved done', async () => {
    const nightly = run('2027-01-05', '2027-01-05T19:00:00.000Z');
    const manual = run(`manual-${ulid()}`, '2027-01-05T10:00:00.000Z');
    expect(await retention.requestRun(nightly)).toBe(true);
    expect(await retention.requestRun(manual)).toBe(true);
    expect(await retention.requestRun({ ...nightly, requestedAt: '2027-01-05T20:00:00.000Z' })).toBe(false);
    expect(await retention.run(merchantId, nightly.runId)).toEqual(nightly);
    expect(await retention.pendingRuns(merchantId)).toEqual([manual, nightly]);

    const done = {
      ...manual,
      status: 'done' as const,
      finishedAt: '2027-01-05T10:05:00.000Z',
      updatedAt: '2027-01-05T10:05:00.000Z',
    };
    expect(await retention.saveRun(done, manual)).toBe(true);
    expect(await retention.pendingRuns(merchantId)).toEqual([nightly]);
    expect(await retention.pendingRuns('another-shop')).toEqual([]);
  });

  it('move only from the checkpoint they were read at', async () => {
    const requested = run('2027-01-06', '2027-01-06T19:00:00.000Z');
    await retention.requestRun(requested);
    const counting = { ...requested, status: 'counting' as const, updatedAt: '2027-01-06T19:00:01.000Z' };
    expect(await retention.saveRun(counting, requested)).toBe(true);
    const page1 = { ...counting, cursor: 'page-2', counted: 1000, updatedAt: '2027-01-06T19:00:02.000Z' };
    expect(await retention.saveRun(page1, counting)).toBe(true);
    // A second invocation still holding the first checkpoint cannot move the run back or aside.
    expect(await retention.saveRun({ ...page1, cursor: 'elsewhere' }, counting)).toBe(false);
    expect(await retention.saveRun(page1, { ...page1, cursor: 'page-3' })).toBe(false);
    expect(await retention.saveRun(page1, { ...page1, status: 'scoring' })).toBe(false);
    expect(await retention.run(merchantId, requested.runId)).toEqual(page1);
    // The checkpoint of a run never requested is refused too.
    expect(await retention.saveRun(run('2027-01-07', '2027-01-07T19:00:00.000Z'), requested)).toBe(false);
  });

  it('list newest first across nightly and manual runs', async () => {
    const days = ['2027-01-01', '2027-01-02', '2027-01-03'];
    for (const day of days) await retention.requestRun(run(day, `${day}T19:00:00.000Z`));
    const manual = run(`manual-${ulid()}`, '2027-01-02T08:00:00.000Z');
    await retention.requestRun(manual);
    const recent = await retention.recentRuns(merchantId, 3);
    expect(recent.map((r) => r.runId)).toEqual(['2027-01-03', '2027-01-02', manual.runId]);
  });
});

describe('zone snapshots', () => {
  const snapshot = (date: string, red: number): ZoneSnapshot => ({
    merchantId,
    date,
    runId: date,
    zones: { green: 10, red },
    transitions: { 'green>red': red },
    cohorts: { r1: { treated: 2, treatedRetained: 1, holdout: 1, holdoutRetained: 0, open: 3 } },
    scoredAt: `${date}T19:00:00.000Z`,
  });

  it('are kept one per run, oldest first (runs of a day as they scored), a run written again replacing itself, and read by date range', async () => {
    for (const [date, red] of [
      ['2027-01-01', 1],
      ['2027-01-02', 2],
      ['2027-01-03', 3],
    ] as const)
      await retention.putSnapshot(snapshot(date, red));
    const redone = {
      ...snapshot('2027-01-02', 5),
      runId: `manual-${ulid()}`,
      scoredAt: '2027-01-02T20:00:00.000Z',
    };
    await retention.putSnapshot(redone);
    await retention.putSnapshot(redone);
    expect(await retention.snapshots(merchantId, '2027-01-02', '2027-01-03')).toEqual([
      snapshot('2027-01-02', 2),
      redone,
      snapshot('2027-01-03', 3),
    ]);
    expect(await retention.snapshots('another-shop', '2027-01-01', '2027-01-03')).toEqual([]);
  });
});

describe('members as scoring reads and writes them', () => {
  async function member(fields: Partial<MemberInput> = {}) {
    const input: MemberInput = {
      merchantId,
      memberId: ulid(),
      phone: newPhone(),
      joinedAt: '2026-01-01T00:00:00.000Z',
      joinChannel: 'merchant-api',
      joinRef: 'test',
      points: 0,
      ...fields,
    };
    await members.register(input);
    return input;
  }
  const scores = {
    rfm: { recency: 3, frequency: 2, monetary: 5 },
    churnZone: 'yellow' as const,
    churn: {
      score: 4,
      rules: ['no-purchase-60d'],
      runId: '2027-01-05',
      scoredAt: '2027-01-05T19:00:00.000Z',
    },
  };

  it('pages through current members in join order, in pages of at most the limit', async () => {
    const joined = [];
    for (let i = 0; i < 5; i++) joined.push(await member({ joinedAt: `2026-0${i + 1}-01T00:00:00.000Z` }));
    const gone = joined[2];
    if (!gone) throw new Error('no member');
    await members.softDelete(merchantId, gone.phone, new Date());

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await scoring.page(merchantId, { limit: 2, cursor });
      expect(page.members.length).toBeLessThanOrEqual(2);
      seen.push(...page.members.map((m) => m.memberId));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(joined.filter((m) => m !== gone).map((m) => m.memberId));
    await expect(scoring.page(merchantId, { limit: 1001 })).rejects.toThrow(RangeError);
  });

  it('refuses a cursor issued for another merchant', async () => {
    await member();
    await member();
    const { cursor } = await scoring.page(merchantId, { limit: 1 });
    const other = (await newMerchant(env)).merchant.merchantId;
    await expect(scoring.page(other, { limit: 1, cursor })).rejects.toThrow(InvalidScoringCursorError);
    await expect(scoring.page(merchantId, { limit: 1, cursor: 'not-a-cursor' })).rejects.toThrow(
      InvalidScoringCursorError,
    );
  });

  it('writes the scores and nothing else, never on a deleted or unknown member', async () => {
    const kept = await member({ points: 700, name: '王芳' });
    expect(await scoring.saveScores(merchantId, kept.phone, scores)).toBe(true);
    const after = (await members.contact(merchantId, kept.phone)).member;
    expect(after).toMatchObject({ ...scores, points: 700, name: '王芳' });

    const gone = await member();
    await members.softDelete(merchantId, gone.phone, new Date());
    expect(await scoring.saveScores(merchantId, gone.phone, scores)).toBe(false);
    expect((await members.contact(merchantId, gone.phone)).member?.churnZone).toBeUndefined();
    expect(await scoring.saveScores(merchantId, newPhone(), scores)).toBe(false);
    expect((await members.contact(merchantId, newPhone())).member).toBeUndefined();
  });
});
