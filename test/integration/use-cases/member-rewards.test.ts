import { ulid } from 'ulidx';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/referral-rewards/handler';
import { lambdaContext } from '../../../local/local-lambda';
import { localPhoneProofKey } from '../../../shared/domain/phone-proof';
import { eventBus } from '../../../shared/resources';
import { type Member, memberSchema } from '../../../shared/schemas/member';
import type { Merchant } from '../../../shared/schemas/merchant';
import { benefitsStore } from '../../../shared/store/benefits';
import { directoryStore } from '../../../shared/store/directory';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { referralsStore } from '../../../shared/store/referrals';
import {
  giveJoinGift,
  type JoinGiftDeps,
  type ReferralDeps,
  recordReferral,
  settleReferral,
} from '../../../shared/use-cases/member-rewards';
import { newMerchant, newPhone, testEnv, testExchanges } from '../../support';

const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'), env.table('outbox'));
const ledger = ledgerStore(db, env.table('ledger'), env.table('members'), env.table('outbox'));
const deps: ReferralDeps & JoinGiftDeps = {
  members,
  referrals: referralsStore(db, env.table('members')),
  ledger,
  benefits: benefitsStore(db, env.table('benefits'), { outbox: env.table('outbox') }),
  exchanges: testExchanges(env),
  phoneProofKey: localPhoneProofKey,
};

let merchant: Merchant;
beforeAll(async () => {
  const base = (await newMerchant(env)).merchant;
  merchant = {
    ...base,
    loyalty: {
      ...base.loyalty,
      joinGift: { points: 100 },
      referrals: {
        referrer: { points: 50 },
        newMember: { points: 20 },
        when: 'first-purchase',
        monthlyCapPerReferrer: 2,
      },
    },
  };
  await directoryStore(db, env.table('directory')).setLoyalty(merchant.merchantId, merchant.loyalty);
});

/** A member written as a join writes one, `minutesAgo` before now. */
async function join(minutesAgo = 0, phone = newPhone()): Promise<Member> {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const member = memberSchema.parse({
    merchantId: merchant.merchantId,
    memberId: ulid(at.getTime()),
    phone,
    joinedAt: at.toISOString(),
    joinChannel: 'merchant-api',
    joinRef: ulid(),
    points: 0,
  });
  expect((await members.create(member)).status).toBe('created');
  return member;
}

const pointsOf = async (phone: string) => (await members.contact(merchant.merchantId, phone)).member?.points;

describe('the join gift', () => {
  it('is given once per phone ever: retries replay it, a later member of the same phone gets none', async () => {
    const member = await join();
    expect(await giveJoinGift(merchant, member, deps)).toEqual({ points: 100 });
    expect(await giveJoinGift(merchant, member, deps)).toEqual({ points: 100 });
    expect(await pointsOf(member.phone)).toBe(100);
    const [entry] = (await ledger.history(merchant.merchantId, member.memberId, { limit: 5 })).entries;
    expect(entry).toMatchObject({ reason: 'join gift', idempotencyKey: `join-gift:${member.memberId}` });

    // The same phone as a new member (after an erasure): the mark under its proof stands.
    const again = { ...member, memberId: ulid() };
    expect(await giveJoinGift(merchant, again, deps)).toBeUndefined();
  });
});

describe('settling referrals', () => {
  it('rewards at most the monthly cap of referrers however many settle at once, each once', async () => {
    const referrer = await join(60);
    const newcomers = await Promise.all([join(), join(), join()]);
    for (const newcomer of newcomers)
      await recordReferral(merchant, newcomer, referrer, 'merchant-api', deps);
    const at = new Date();
    await Promise.all(newcomers.map((n) => settleReferral(merchant, n.memberId, at, deps)));
    // Redelivered: settled already, the grants replay under their keys.
    await Promise.all(newcomers.map((n) => settleReferral(merchant, n.memberId, at, deps)));

    expect(await pointsOf(referrer.phone)).toBe(2 * 50);
    for (const newcomer of newcomers) expect(await pointsOf(newcomer.phone)).toBe(20);
    const statuses = await Promise.all(
      newcomers.map(async (n) => (await deps.referrals.get(merchant.merchantId, n.memberId))?.status),
    );
    expect(statuses.sort()).toEqual(['capped', 'rewarded', 'rewarded']);
  });

  it('rewards both as the new member joins when the merchant says so, counted toward the cap', async () => {
    const atJoin: Merchant = {
      ...merchant,
      loyalty: { ...merchant.loyalty, referrals: { ...merchant.loyalty.referrals, when: 'join' } },
    };
    const referrer = await join(5);
    const newcomer = await join();
    expect(await recordReferral(atJoin, newcomer, referrer, 'sms', deps)).toMatchObject({
      status: 'recorded',
      granted: { points: 20 },
    });
    expect(await pointsOf(referrer.phone)).toBe(50);
    expect(await deps.referrals.get(merchant.merchantId, newcomer.memberId)).toMatchObject({
      status: 'rewarded',
      referrerReward: { points: 50 },
    });
  });

  it('records one referral per new member', async () => {
    const [first, second, newcomer] = [await join(30), await join(20), await join()];
    await recordReferral(merchant, newcomer, first, 'sms', deps);
    await recordReferral(merchant, newcomer, second, 'sms', deps);
    expect(await deps.referrals.get(merchant.merchantId, newcomer.memberId)).toMatchObject({
      referrerMemberId: first.memberId,
      status: 'pending',
    });
  });

  it('gives a join gift the join itself did not, at member.registered (referral-rewards), once under redelivery', async () => {
    const handler = createHandler({ ...deps, directory: directoryStore(db, env.table('directory')) });
    const context = lambdaContext('referral-rewards', 10);
    const registered = (member: Member) => ({
      id: ulid(),
      source: eventBus.source,
      'detail-type': 'member.registered',
      detail: {
        eventId: `register:${ulid()}`,
        merchantId: merchant.merchantId,
        memberId: member.memberId,
        channel: 'merchant-api',
        joinedAt: member.joinedAt,
      },
    });
    // Written, and the request stopped before its gift: the event gives it, once.
    const stopped = await join();
    const event = registered(stopped);
    expect(await handler(event, context)).toBe('join-gift');
    expect(await handler(event, context)).toBe('join-gift');
    expect(await pointsOf(stopped.phone)).toBe(100);
    // Given by the join itself: the event adds nothing.
    const welcomed = await join();
    await giveJoinGift(merchant, welcomed, deps);
    expect(await handler(registered(welcomed), context)).toBe('join-gift');
    expect(await pointsOf(welcomed.phone)).toBe(100);
  });

  it('settles at the first purchase event (referral-rewards), not at bonus points, once under redelivery', async () => {
    const referrer = await join(10);
    const newcomer = await join();
    await recordReferral(merchant, newcomer, referrer, 'sms', deps);
    const handler = createHandler({ ...deps, directory: directoryStore(db, env.table('directory')) });
    const earned = (purchaseCents?: number) => ({
      id: ulid(),
      source: eventBus.source,
      'detail-type': 'points.earned',
      detail: {
        eventId: `ledger:${ulid()}`,
        merchantId: merchant.merchantId,
        memberId: newcomer.memberId,
        entryId: ulid(),
        book: 'points',
        delta: 10,
        ...(purchaseCents ? { purchaseCents } : {}),
        idempotencyKey: 'order-1',
        at: new Date().toISOString(),
      },
    });
    const context = lambdaContext('referral-rewards', 10);
    expect(await handler(earned(), context)).toBe('not-a-purchase');
    expect((await deps.referrals.get(merchant.merchantId, newcomer.memberId))?.status).toBe('pending');
    const purchase = earned(1_000);
    expect(await handler(purchase, context)).toBe('settled');
    expect(await handler(purchase, context)).toBe('settled');
    expect(await pointsOf(referrer.phone)).toBe(50);
    expect(await pointsOf(newcomer.phone)).toBe(20);
    const page = await deps.referrals.list(merchant.merchantId, { limit: 1 });
    expect(page.referrals[0]).toMatchObject({ newMemberId: newcomer.memberId, status: 'rewarded' });
    expect(page.cursor).toBe(newcomer.memberId);
  });
});
