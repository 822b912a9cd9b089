import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  endPackages,
  evaluateTiers,
  expirePoints,
  type LoyaltyJobDeps,
  runLoyaltyJobs,
  tierRunFor,
} from '../../../functions/loyalty-jobs/expiry-and-tiers';
import type { MemberInput } from '../../../shared/schemas/member';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { jobsStore } from '../../../shared/store/jobs';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore, newMemberItem } from '../../../shared/store/members';
import { tiersStore } from '../../../shared/store/tiers';
import { applyTierEvaluation } from '../../../shared/use-cases/evaluate-tier';
import { newMerchant, newPhone, outboxEvent, outboxEvents, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));
const ledger = ledgerStore(env.dynamo(), env.table('ledger'), env.table('members'), env.table('outbox'));
let merchant: Merchant;
let queued: OutboundSms[];
let deps: LoyaltyJobDeps;

/** Each test has its own merchant: the jobs walk a merchant's members, and only this test's. */
beforeEach(async () => {
  merchant = (await newMerchant(env)).merchant;
  queued = [];
  deps = {
    jobs: jobsStore(env.dynamo(), env.table('directory')),
    members,
    tiers: tiersStore(env.dynamo(), env.table('members'), env.table('outbox')),
    ledger,
    outbound: {
      enqueue: async (sms) => void queued.push(sms),
      enqueueMany: async (texts) => void queued.push(...texts),
    },
  };
});

const far = Date.now() + 60_000;

/** The tier changes the test's merchant's writes committed to the outbox. */
const tierChanges = async () =>
  (await outboxEvents(env, merchant.merchantId)).filter((event) => event.detailType === 'tier.changed');

async function member(fields: Partial<MemberInput> = {}) {
  const input: MemberInput = {
    merchantId: merchant.merchantId,
    memberId: `mem-${randomUUID()}`,
    phone: newPhone(),
    joinedAt: '2026-06-01T04:00:00.000Z',
    joinChannel: 'merchant-api',
    joinRef: 'test',
    points: 0,
    tier: 'silver',
    earnedTier: 'silver',
    ...fields,
  };
  expect(await members.register(input)).toBe(true);
  return input;
}

const tierOf = async (phone: string) => (await members.contact(merchant.merchantId, phone)).member?.tier;

describe('tierRunFor', () => {
  it.each([
    ['2027-01-01', { kind: 'yearly', period: '2027' }],
    ['2027-02-01', { kind: 'monthly', period: '2027-02' }],
    ['2027-02-02', undefined],
  ])('%s → %j', (date, run) => {
    expect(tierRunFor(date)).toEqual(run);
  });
});

describe('yearly tier evaluation', () => {
  // 00:30 on 1 January in Shanghai is still 31 December in UTC: the merchant's day decides.
  const newYear = new Date('2027-01-01T00:30:00+08:00');

  it('places members sitting exactly on each threshold and tenure boundary, and texts upgrades', async () => {
    const cases = [
      // spend last year (cents), joined, expected tier on 2027-01-01
      [99_900, '2026-06-01T04:00:00.000Z', 'silver'], // 999 points, under a year
      [100_000, '2026-06-01T04:00:00.000Z', 'gold'], // exactly 1000
      [90_000, '2026-01-01T04:00:00.000Z', 'gold'], // 900 + 100 for exactly one year (local date)
      [90_000, '2026-01-01T16:30:00.000Z', 'silver'], // joined 2 January local: a day short of a year
      [180_000, '2024-01-01T04:00:00.000Z', 'platinum'], // 1800 + 200 for exactly three years
      [370_000, '2017-01-01T04:00:00.000Z', 'diamond'], // 3700 + 300 for exactly ten years
      [369_900, '2017-01-01T04:00:00.000Z', 'platinum'], // 3999
    ] as const;
    const created = [];
    for (const [cents, joinedAt] of cases)
      created.push(await member({ joinedAt, spendByYear: { '2026': cents } }));
    await evaluateTiers(merchant, newYear, far, deps);
    for (const [i, [, , tier]] of cases.entries()) expect(await tierOf(created[i]?.phone ?? '')).toBe(tier);
    expect(await tierChanges()).toHaveLength(5);
    expect(queued).toHaveLength(5);
    expect(queued[0]?.body).toMatch(/恭喜！您已升级为测试商户(金卡|白金卡|钻石卡)会员/);
  });

  it('downgrades in January, runs once per year however often it fires, and never downgrades monthly', async () => {
    const faded = await member({ tier: 'gold', earnedTier: 'gold', spendByYear: { '2025': 200_000 } });
    await evaluateTiers(merchant, newYear, far, deps);
    expect(await tierOf(faded.phone)).toBe('silver');
    expect(queued).toHaveLength(0); // no text for a downgrade

    await members.register({ ...(await member()), phone: newPhone(), memberId: `mem-${randomUUID()}` });
    await evaluateTiers(merchant, new Date('2027-01-01T09:00:00+08:00'), far, deps);
    expect(await tierChanges()).toHaveLength(1);

    const rich = await member({
      tier: 'gold',
      earnedTier: 'gold',
      spendByYear: { '2026': 10_000, '2027': 250_000 },
    });
    await evaluateTiers(merchant, new Date('2027-02-01T08:00:00+08:00'), far, deps);
    expect(await tierOf(rich.phone)).toBe('platinum');
    expect(await tierOf(faded.phone)).toBe('silver');
  });
});

describe('packages', () => {
  it('raise the tier at once and fall back when they end', async () => {
    const buyer = await member({ spendByYear: { '2026': 120_000 }, tier: 'gold', earnedTier: 'gold' });
    const bought = new Date('2027-03-10T10:00:00+08:00');
    const fresh = (await members.contact(merchant.merchantId, buyer.phone)).member;
    if (!fresh) throw new Error('member missing');
    const outcome = await applyTierEvaluation(
      {
        merchant,
        member: fresh,
        kind: 'package-bought',
        now: bought,
        runId: 'package:p1',
        tierPackage: { tier: 'diamond', endsAt: '2027-04-10T00:00:00.000Z' },
      },
      deps,
    );
    expect(outcome).toEqual({ status: 'changed', tier: 'diamond' });
    expect(queued.at(-1)?.body).toContain('钻石卡');

    await endPackages(merchant, new Date('2027-04-09T23:59:00Z'), deps);
    expect(await tierOf(buyer.phone)).toBe('diamond');
    await endPackages(merchant, new Date('2027-04-10T00:00:01Z'), deps);
    expect(await tierOf(buyer.phone)).toBe('gold');
    expect((await members.contact(merchant.merchantId, buyer.phone)).member?.tierPackage).toBeUndefined();
    expect((await tierChanges()).map((e) => e.detail.cause).sort()).toEqual([
      'package-bought',
      'package-ended',
    ]);
  });
});

describe('points expiry', () => {
  it('expires on the first day after the last day, in the merchant time zone, once', async () => {
    const holder = await member();
    const ref = { memberId: holder.memberId, phone: holder.phone };
    const earn = (points: number, expiresOn: string, key: string) =>
      ledger.post({
        merchantId: merchant.merchantId,
        member: ref,
        posting: { book: 'points', type: 'earn', delta: points, expiresOn },
        idempotencyKey: `${holder.memberId}:${key}`,
        at: new Date('2025-05-01T00:00:00Z'),
        year: '2025',
      });
    await earn(100, '2026-12-31', 'a');
    await earn(40, '2027-12-31', 'b');

    await expirePoints(merchant, new Date('2026-12-31T23:50:00+08:00'), deps);
    expect((await members.contact(merchant.merchantId, holder.phone)).member?.points).toBe(140);

    const newYear = new Date('2027-01-01T00:10:00+08:00');
    await expirePoints(merchant, newYear, deps);
    await expirePoints(merchant, newYear, deps);
    expect((await members.contact(merchant.merchantId, holder.phone)).member?.points).toBe(40);
    // The expiry's event was committed with it, once, for outbox-publisher to publish.
    expect(
      await outboxEvent(env, merchant.merchantId, `ledger:expire:${holder.memberId}:2026-12-31`),
    ).toMatchObject({
      detailType: 'points.expired',
      detail: { delta: -100, memberId: holder.memberId },
    });
  });
});

describe('the member index backfill', () => {
  it("runs with the merchant's loyalty jobs: a member written before the tier list's index is in it after one run", async () => {
    const { item } = newMemberItem({
      merchantId: merchant.merchantId,
      memberId: `mem-${randomUUID()}`,
      phone: newPhone(),
      joinedAt: '2026-06-01T04:00:00.000Z',
      joinChannel: 'merchant-api',
      joinRef: 'test',
      points: 0,
      tier: 'gold',
      earnedTier: 'gold',
    });
    const { filterPk: _filterPk, ...old } = item;
    await env.dynamo().send(new PutCommand({ TableName: env.table('members'), Item: old }));
    expect((await members.list(merchant.merchantId, { tier: 'gold' })).members).toEqual([]);

    // Only this test's merchant: the table holds every other test's too.
    const onlyThis = {
      ...deps,
      jobs: {
        ...deps.jobs,
        merchants: async function* () {
          yield merchant;
        },
      },
    };
    await runLoyaltyJobs(new Date('2027-03-02T10:00:00+08:00'), far, onlyThis);
    expect((await members.list(merchant.merchantId, { tier: 'gold' })).members.map((m) => m.phone)).toEqual([
      old.phone,
    ]);
  });
});
