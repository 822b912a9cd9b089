import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as inboundSms from '../../../functions/inbound-sms/handler';
import { recordConsent } from '../../../functions/merchant-api/consent';
import type { Request } from '../../../functions/merchant-api/http';
import { earn } from '../../../functions/merchant-api/ledger';
import { lambdaContext } from '../../../local/local-lambda';
import { snsEventOf } from '../../../local/local-sms-gateway';
import type { Env } from '../../../shared/env';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { ActivityCounter } from '../../../shared/schemas/retention';
import { benefitsStore } from '../../../shared/store/benefits';
import { dailyStatsStore } from '../../../shared/store/daily-stats';
import { exchangesStore } from '../../../shared/store/exchanges';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { tiersStore } from '../../../shared/store/tiers';
import { claimBenefit } from '../../../shared/use-cases/claim-benefit';
import { applyTierEvaluation } from '../../../shared/use-cases/evaluate-tier';
import { recordComplaint } from '../../../shared/use-cases/record-complaint';
import { redeemCoupon } from '../../../shared/use-cases/redeem-coupon';
import { apiKeyCaller, newMerchant, newPhone } from '../../support';
import { outboxHarness } from './outbox-harness';

/**
 * A write killed as Lambda can kill its function, right after its transaction committed and before
 * anything else: its event was committed with it in the outbox, so the outbox's stream still puts it
 * on the bus, and its subscriber counts it exactly once, though the bus delivers it twice and the
 * publisher may be retried. One write of each kind: a ledger posting, a join by text, a consent
 * change, a coupon redeemed, a benefit claimed, a complaint and a change of tier.
 */
let harness: Awaited<ReturnType<typeof outboxHarness>>;
let env: Env;
beforeAll(async () => {
  harness = await outboxHarness();
  env = harness.env;
});
afterAll(() => harness?.stop());

const members = () => membersStore(env.dynamo(), env.table('members'), env.table('outbox'));
const dailyStats = () => dailyStatsStore(env.dynamo(), env.table('dailyStats'), env.table('idempotency'));
const noTexts = { enqueue: async () => undefined, enqueueMany: async () => undefined };

/** The merchant's daily figure, summed over every day. */
const figure = async (merchantId: string, name: 'joins' | 'optOuts' | 'couponsRedeemed' | 'pointsEarned') =>
  [...(await dailyStats().days(merchantId, '2000-01-01', '2999-12-31')).values()].reduce(
    (sum, counts) => sum + (counts[name] ?? 0),
    0,
  );

/** A member's activity counter, summed over the days kept. */
async function activity(merchantId: string, phone: string, counter: ActivityCounter) {
  const { member } = await members().contact(merchantId, phone);
  return Object.values(member?.activity?.days ?? {}).reduce((sum, day) => sum + (day[counter] ?? 0), 0);
}

async function member(merchant: Merchant, fields: Record<string, unknown> = {}) {
  const phone = newPhone();
  await members().create({
    merchantId: merchant.merchantId,
    memberId: `mem-${randomUUID()}`,
    phone,
    joinedAt: new Date().toISOString(),
    joinChannel: 'merchant-api',
    joinRef: randomUUID(),
    points: 0,
    tier: 'silver',
    earnedTier: 'silver',
    ...fields,
  });
  const found = (await members().contact(merchant.merchantId, phone)).member;
  if (!found) throw new Error('member missing');
  return found;
}

const detailTypes = (merchantId: string) => harness.published(merchantId).map((event) => event.detailType);

describe('a ledger posting killed after its commit', () => {
  const killedEnv = () => harness.killable('merchant-api');
  const earnFor = (merchant: Merchant, fnEnv: Env, phone: string, key: string, body: object) =>
    earn(
      {
        pathParameters: { phone },
        headers: { 'idempotency-key': key },
        body: JSON.stringify(body),
        isBase64Encoded: false,
      } as unknown as Request,
      merchant,
      {
        members: members(),
        ledger: ledgerStore(fnEnv.dynamo(), env.table('ledger'), env.table('members'), env.table('outbox')),
        clock: () => new Date(),
      },
      apiKeyCaller(merchant),
    ).then((response) => ({ status: response.statusCode, body: JSON.parse(response.body ?? '{}') }));

  it('reaches the bus and its subscriber once, and a retry adds nothing', async () => {
    const { merchant } = await newMerchant(env);
    const { phone } = await member(merchant);
    const fnEnv = killedEnv();

    harness.killAfterNextCommit();
    await expect(earnFor(merchant, fnEnv, phone, 'order-1', { purchaseCents: 12_000 })).rejects.toThrow(
      'Lambda killed',
    );
    await harness.drain();
    expect(harness.published(merchant.merchantId).map((event) => [event.detailType, event.detail])).toEqual([
      ['points.earned', expect.objectContaining({ eventId: 'ledger:order-1', delta: 120, balance: 120 })],
    ]);
    // Delivered twice to the subscriber, counted once.
    expect(await figure(merchant.merchantId, 'pointsEarned')).toBe(120);

    // The till retries the earn: the same entry answers, and nothing more is written or published.
    const retried = await earnFor(merchant, fnEnv, phone, 'order-1', { purchaseCents: 12_000 });
    expect(retried).toMatchObject({ status: 200, body: { replayed: true, balances: { points: 120 } } });
    await harness.drain();
    expect(harness.published(merchant.merchantId)).toHaveLength(1);
    expect(await figure(merchant.merchantId, 'pointsEarned')).toBe(120);
  });

  it('is published again when the bus refused it, and still counts once', async () => {
    const { merchant } = await newMerchant(env);
    const { phone } = await member(merchant);
    harness.refuse(1);
    expect((await earnFor(merchant, killedEnv(), phone, 'order-2', { points: 30 })).status).toBe(201);
    await harness.drain();
    expect(harness.refusalsLeft()).toBe(0);
    expect(harness.published(merchant.merchantId).map((event) => event.detail.eventId)).toEqual([
      'ledger:order-2',
    ]);
    expect(await figure(merchant.merchantId, 'pointsEarned')).toBe(30);
  });
});

describe('a write killed after its commit, before anything is published', () => {
  it('a join by text: member.registered and the opt-in reach the dashboard once', async () => {
    const { merchant } = await newMerchant(env);
    const handler = inboundSms.createHandler({
      ...inboundSms.depsFromEnv(harness.killable('inbound-sms')),
      outbound: noTexts,
    });
    const phone = newPhone();
    const text = {
      originationNumber: phone,
      destinationNumber: merchant.senderNumber,
      messageBody: '注册 张三',
      inboundMessageId: randomUUID(),
    };
    harness.killAfterNextCommit();
    await expect(
      handler(
        snsEventOf(text, 'arn:aws:sns:local:000000000000:inbound-sms'),
        lambdaContext('inbound-sms', 10),
      ),
    ).rejects.toThrow('Lambda killed');
    await harness.drain();
    expect(detailTypes(merchant.merchantId)).toEqual(['member.registered', 'member.consent-changed']);
    expect(await figure(merchant.merchantId, 'joins')).toBe(1);
  });

  it('a consent change by the API: the opt-out counts once, and the retried request adds nothing', async () => {
    const { merchant } = await newMerchant(env);
    const { phone } = await member(merchant);
    const deps = {
      members: membersStore(
        harness.killable('merchant-api').dynamo(),
        env.table('members'),
        env.table('outbox'),
      ),
      clock: () => new Date(),
    };
    const request = {
      pathParameters: { phone },
      body: JSON.stringify({
        status: 'unsubscribed',
        channel: 'merchant-staff',
        source: '顾客在柜台要求退订',
      }),
      isBase64Encoded: false,
      requestContext: { requestId: randomUUID() },
    } as unknown as Request;
    harness.killAfterNextCommit();
    await expect(recordConsent(request, merchant, deps)).rejects.toThrow('Lambda killed');
    await harness.drain();
    expect(await figure(merchant.merchantId, 'optOuts')).toBe(1);

    expect((await recordConsent(request, merchant, deps)).statusCode).toBe(201);
    await harness.drain();
    expect(detailTypes(merchant.merchantId)).toEqual(['member.consent-changed']);
    expect(await figure(merchant.merchantId, 'optOuts')).toBe(1);
  });

  it('a benefit claimed and its coupon redeemed: each counts once, retries add nothing', async () => {
    const { merchant } = await newMerchant(env);
    const buyer = await member(merchant);
    const fnEnv = harness.killable('inbound-sms');
    const benefits = benefitsStore(fnEnv.dynamo(), env.table('benefits'), { outbox: env.table('outbox') });
    const exchanges = exchangesStore(fnEnv.dynamo(), {
      benefits: env.table('benefits'),
      ledger: env.table('ledger'),
      members: env.table('members'),
      outbox: env.table('outbox'),
    });
    await benefits.put(merchant.merchantId, {
      code: 'COFFEE',
      name: '免费咖啡',
      tiers: ['silver'],
      limit: 'once',
    });
    const claim = () =>
      claimBenefit(
        {
          merchant,
          member: buyer,
          code: 'COFFEE',
          idempotencyKey: 'claim-1',
          channel: 'sms',
          now: new Date(),
        },
        { benefits, exchanges },
      );
    harness.killAfterNextCommit();
    await expect(claim()).rejects.toThrow('Lambda killed');
    await harness.drain();
    expect(await activity(merchant.merchantId, buyer.phone, 'claims')).toBe(1);
    const claimed = await claim();
    if (!claimed.ok) throw new Error(`the claim was refused: ${claimed.reason}`);
    expect(claimed.replayed).toBe(true);

    const couponCode = (await benefits.claims(merchant.merchantId, buyer.memberId))[0]?.couponCode ?? '';
    const redeem = () =>
      redeemCoupon(
        {
          merchant,
          couponCode,
          by: { kind: 'staff', id: 'staff-1' },
          channel: 'sms',
          idempotencyKey: 'redeem-1',
          now: new Date(),
        },
        { benefits, outbound: noTexts },
      );
    harness.killAfterNextCommit();
    await expect(redeem()).rejects.toThrow('Lambda killed');
    await harness.drain();
    expect(await figure(merchant.merchantId, 'couponsRedeemed')).toBe(1);
    expect(await redeem()).toMatchObject({ ok: true, replayed: true });
    await harness.drain();

    expect(detailTypes(merchant.merchantId)).toEqual(['benefit.claimed', 'coupon.redeemed']);
    expect(await activity(merchant.merchantId, buyer.phone, 'claims')).toBe(1);
    expect(await figure(merchant.merchantId, 'couponsRedeemed')).toBe(1);
  });

  it("a complaint: the member's activity counts it once, and the replay adds nothing", async () => {
    const { merchant } = await newMerchant(env);
    const { phone } = await member(merchant);
    const deps = {
      members: membersStore(
        harness.killable('delivery-receipts').dynamo(),
        env.table('members'),
        env.table('outbox'),
      ),
      messages: messagesStore(env.dynamo(), env.table('messages'), env.table('campaigns')),
      campaignsTable: env.table('campaigns'),
    };
    const complaint = {
      merchantId: merchant.merchantId,
      phone,
      at: new Date(),
      channel: 'provider' as const,
      source: 'TEXT_SPAM',
      ref: `feedback-${randomUUID()}`,
    };
    harness.killAfterNextCommit();
    await expect(recordComplaint(deps, complaint)).rejects.toThrow('Lambda killed');
    await harness.drain();
    expect(await activity(merchant.merchantId, phone, 'complaints')).toBe(1);
    expect(await recordComplaint(deps, complaint)).toEqual({ status: 'replayed' });
    await harness.drain();
    expect(detailTypes(merchant.merchantId)).toEqual(['member.complained']);
    expect(await activity(merchant.merchantId, phone, 'complaints')).toBe(1);
  });

  it('a change of tier: tier.changed reaches the bus once, and the repeated run adds nothing', async () => {
    const { merchant } = await newMerchant(env);
    const holder = await member(merchant);
    const deps = {
      tiers: tiersStore(harness.killable('loyalty-jobs').dynamo(), env.table('members'), env.table('outbox')),
      outbound: noTexts,
    };
    const input = {
      merchant,
      member: holder,
      kind: 'package-bought' as const,
      now: new Date(),
      runId: 'package:p1',
      tierPackage: { tier: 'diamond', endsAt: '2099-01-01T00:00:00.000Z' },
    };
    harness.killAfterNextCommit();
    await expect(applyTierEvaluation(input, deps)).rejects.toThrow('Lambda killed');
    // The run again, from the member it read before: the write finds the member changed, and writes nothing.
    expect(await applyTierEvaluation(input, deps)).toEqual({ status: 'conflict' });
    await harness.drain();
    expect(
      harness.published(merchant.merchantId).map((event) => [event.detailType, event.detail.to]),
    ).toEqual([['tier.changed', 'diamond']]);
  });
});
