import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  benefitClaimed,
  type DomainEvent,
  eventOf,
  memberComplained,
  pointsEarned,
  pointsRedeemed,
  smsReceived,
  storedValueSpent,
} from '../../../events';
import { createHandler } from '../../../functions/member-activity/handler';
import { lambdaContext } from '../../../local/local-lambda';
import type { Merchant } from '../../../shared/schemas/merchant';
import { activityStore } from '../../../shared/store/activity';
import { directoryStore } from '../../../shared/store/directory';
import { memberKey, membersStore } from '../../../shared/store/members';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'));
// 01:30 on 2 March in Shanghai, still 1 March in UTC: the merchant's day is the one that counts.
const at = '2027-03-01T17:30:00.000Z';
const handler = createHandler({
  directory: directoryStore(db, env.table('directory')),
  activity: activityStore(db, env.table('members'), env.table('idempotency')),
  clock: () => new Date('2027-03-02T01:00:00.000Z'),
});

let merchant: Merchant;
beforeEach(async () => {
  merchant = (await newMerchant(env)).merchant;
});

/** The event as an EventBridge rule hands it to the function. */
const deliver = (event: DomainEvent) =>
  handler(
    {
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: 'mcrm',
      account: '000000000000',
      time: at,
      region: 'us-east-1',
      resources: [],
      detail: event.detail,
    },
    lambdaContext('member-activity', 10),
  );

async function newMember() {
  const member = { merchantId: merchant.merchantId, memberId: ulid(), phone: newPhone() };
  await members.register({
    ...member,
    joinedAt: '2026-01-01T00:00:00.000Z',
    joinChannel: 'merchant-api',
    joinRef: randomUUID(),
    points: 0,
  });
  return member;
}

const activityOf = async (member: { phone: string }) =>
  (
    await db.send(
      new GetCommand({
        TableName: env.table('members'),
        Key: memberKey(merchant.merchantId, member.phone),
        ConsistentRead: true,
      }),
    )
  ).Item?.activity;

type Member = Awaited<ReturnType<typeof newMember>>;
const ledgerDetail = (member: Member, key: string) => ({
  eventId: `ledger:${key}`,
  merchantId: member.merchantId,
  memberId: member.memberId,
  entryId: ulid(),
  balance: 500,
  idempotencyKey: key,
  at,
});
const purchase = (member: Member, key: string = randomUUID()) =>
  eventOf(pointsEarned, {
    ...ledgerDetail(member, key),
    book: 'points',
    delta: 120,
    purchaseCents: 12_000,
  });
const text = (member: Member, intent = 'points') =>
  eventOf(smsReceived, {
    eventId: `inbound:${randomUUID()}`,
    merchantId: member.merchantId,
    phone: member.phone,
    inboundMessageId: randomUUID(),
    intent,
    receivedAt: at,
  });
const claim = (member: Member, channel: 'sms' | 'retention') =>
  eventOf(benefitClaimed, {
    eventId: `claim:${randomUUID()}`,
    merchantId: member.merchantId,
    memberId: member.memberId,
    code: 'ROAM90',
    claimId: ulid(),
    period: 'ever',
    channel,
    claimedAt: at,
  });

describe('member-activity', () => {
  it("counts purchases, redemptions, stored-value spend, claims, texts and complaints on the merchant's day", async () => {
    const member = await newMember();
    const events = [
      purchase(member),
      // Bonus points and a benefit a retention rule granted are the merchant's doing: not counted.
      eventOf(pointsEarned, { ...ledgerDetail(member, randomUUID()), book: 'points', delta: 50 }),
      claim(member, 'retention'),
      eventOf(pointsRedeemed, { ...ledgerDetail(member, randomUUID()), book: 'points', delta: -100 }),
      eventOf(storedValueSpent, {
        ...ledgerDetail(member, randomUUID()),
        book: 'storedValue',
        delta: -3_800,
      }),
      claim(member, 'sms'),
      text(member),
      text(member, 'opt-out'),
      eventOf(memberComplained, {
        eventId: `complaint:${randomUUID()}`,
        merchantId: member.merchantId,
        phone: member.phone,
        channel: 'sms-keyword',
        at,
      }),
    ];
    for (const event of events) await deliver(event);

    const activity = await activityOf(member);
    expect(activity).toEqual({
      version: 7,
      days: {
        '2027-03-02': {
          purchases: 1,
          spendCents: 12_000,
          redemptions: 1,
          storedValueSpendCents: 3_800,
          claims: 1,
          inbound: 2,
          optOutAttempts: 1,
          complaints: 1,
        },
      },
      lastActiveAt: at,
      targets: [],
    });
  });

  it('counts the same event once however often it is delivered', async () => {
    const member = await newMember();
    const event = purchase(member, 'order-1001');
    expect(await deliver(event)).toBe('recorded');
    expect(await deliver(event)).toBe('duplicate');
    expect(await deliver(event)).toBe('duplicate');

    expect((await activityOf(member))?.days).toEqual({ '2027-03-02': { purchases: 1, spendCents: 12_000 } });
  });

  it('counts every one of events for one member delivered at the same time', async () => {
    const member = await newMember();
    const outcomes = await Promise.all([purchase(member), purchase(member), text(member)].map(deliver));

    expect(outcomes).toEqual(['recorded', 'recorded', 'recorded']);
    expect(await activityOf(member)).toMatchObject({
      version: 3,
      days: { '2027-03-02': { purchases: 2, spendCents: 24_000, inbound: 1 } },
    });
  });

  it('has nothing to count for a text from a phone that is not a member', async () => {
    const stranger = { merchantId: merchant.merchantId, memberId: ulid(), phone: newPhone() };
    expect(await deliver(text(stranger))).toBe('no-member');
    expect(await activityOf(stranger)).toBeUndefined();
  });

  it('fails on an event it cannot read, so EventBridge retries it and the dead-letter queue keeps it', async () => {
    const member = await newMember();
    const broken = purchase(member);
    await expect(
      deliver({ ...broken, detail: { ...broken.detail, purchaseCents: 'lots' } }),
    ).rejects.toThrow();
    await expect(deliver({ detailType: 'points.gifted', detail: broken.detail })).rejects.toThrow(
      /not an event member-activity counts/,
    );
    expect(await activityOf(member)).toBeUndefined();
  });
});
