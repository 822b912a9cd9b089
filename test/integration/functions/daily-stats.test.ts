import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  couponRedeemed,
  type DomainEvent,
  eventOf,
  memberConsentChanged,
  memberRegistered,
  pointsEarned,
  pointsRedeemed,
  storedValueSpent,
  storedValueToppedUp,
} from '../../../events';
import { createHandler } from '../../../functions/daily-stats/handler';
import { lambdaContext } from '../../../local/local-lambda';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { dailyStatsStore } from '../../../shared/store/daily-stats';
import { directoryStore } from '../../../shared/store/directory';
import { messagesStore } from '../../../shared/store/messages';
import { newMerchant, newPhone, testEnv } from '../../support';
import { apiInProcess } from '../merchant-api/api-client';

/**
 * The dashboard's daily figures: counted from events once per event id, on the merchant's calendar
 * day, and from texts once each as they are recorded sent; read a day per item.
 */
const env = testEnv();
const db = env.dynamo();
const dailyStats = dailyStatsStore(db, env.table('dailyStats'), env.table('idempotency'));
const handler = createHandler({ directory: directoryStore(db, env.table('directory')), dailyStats });
const api = apiInProcess(new Date('2027-03-02T04:00:00.000Z'));

// 01:30 on 2 March in Shanghai, still 1 March in UTC: the merchant's day is the one that counts.
const at = '2027-03-01T17:30:00.000Z';

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
    lambdaContext('daily-stats', 10),
  );

const ledger = (merchantId: string, eventId: string, delta: number) => ({
  eventId,
  merchantId,
  memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
  entryId: '01JD7Q7A2B3C4D5E6F7G8H9J0K',
  book: 'points' as const,
  delta,
  balance: 500,
  idempotencyKey: eventId,
  at,
});

describe('daily figures', () => {
  it('counts what was recorded at a store on the store’s own calendar, once, and stored value there only', async () => {
    const { merchant, apiKey } = await newMerchant(env);
    const merchantId = merchant.merchantId;
    // Urumqi is two hours behind Shanghai: at 01:30 in Shanghai it is still 1 March there.
    for (const store of [
      { storeId: 'west', name: '西店', timeZone: 'Asia/Urumqi' },
      { storeId: 'east', name: '东店' },
    ]) {
      expect((await api.withKey(apiKey, 'POST', '/v1/stores', store)).status).toBe(201);
    }
    const events = [
      eventOf(pointsEarned, { ...ledger(merchantId, 'w-earn', 120), purchaseCents: 12_000, storeId: 'west' }),
      eventOf(pointsEarned, { ...ledger(merchantId, 'e-earn', 80), purchaseCents: 8_000, storeId: 'east' }),
      eventOf(storedValueToppedUp, {
        ...ledger(merchantId, 'e-top-up', 50_000),
        book: 'storedValue' as const,
        storeId: 'east',
      }),
      eventOf(storedValueSpent, {
        ...ledger(merchantId, 'e-spend', -3_000),
        book: 'storedValue' as const,
        storeId: 'east',
      }),
      // Stored value at no store moves no figure at all.
      eventOf(storedValueSpent, { ...ledger(merchantId, 'spend', -1_000), book: 'storedValue' as const }),
    ];
    await Promise.all(events.map(deliver));
    expect(await Promise.all(events.map(deliver))).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
      'not-counted',
    ]);
    const { body } = await api.withKey(apiKey, 'GET', '/v1/stats/stores?from=2027-03-01&to=2027-03-02');
    const [east, west] = body.storeStats.stores;
    expect(west.days.map((day: { purchases: number }) => day.purchases)).toEqual([1, 0]);
    expect(east.days.map((day: { purchases: number }) => day.purchases)).toEqual([0, 1]);
    expect(east.totals).toMatchObject({
      spendCents: 8_000,
      topUpCents: 50_000,
      storedValueSpentCents: 3_000,
    });
    const merchantDay = (await api.withKey(apiKey, 'GET', '/v1/stats/daily?from=2027-03-02&to=2027-03-02'))
      .body;
    expect(merchantDay.days[0].pointsEarned).toBe(200);
  });

  it('counts each event once, on the merchant’s day, and answers every day of the range', async () => {
    const { merchant, apiKey } = await newMerchant(env);
    const merchantId = merchant.merchantId;
    const events = [
      eventOf(memberRegistered, {
        eventId: 'join-1',
        merchantId,
        memberId: 'm1',
        channel: 'sms',
        joinedAt: at,
      }),
      eventOf(memberRegistered, {
        eventId: 'join-2',
        merchantId,
        memberId: 'm2',
        channel: 'merchant-api',
        joinedAt: at,
      }),
      eventOf(memberConsentChanged, {
        eventId: 'out-1',
        merchantId,
        phone: newPhone(),
        status: 'unsubscribed',
        channel: 'sms-keyword',
        changedAt: at,
      }),
      eventOf(memberConsentChanged, {
        eventId: 'in-1',
        merchantId,
        phone: newPhone(),
        status: 'subscribed',
        channel: 'sms-keyword',
        changedAt: at,
      }),
      eventOf(pointsEarned, { ...ledger(merchantId, 'earn-1', 120), purchaseCents: 12_000 }),
      eventOf(pointsRedeemed, ledger(merchantId, 'redeem-1', -50)),
      eventOf(couponRedeemed, { ...couponRedeemed.example, eventId: 'coupon-1', merchantId, redeemedAt: at }),
    ];
    // EventBridge delivers at least once: every event comes twice, some at the same moment.
    await Promise.all(events.map(deliver));
    expect(await Promise.all(events.map(deliver))).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'not-counted',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);

    const { status, body } = await api.withKey(
      apiKey,
      'GET',
      '/v1/stats/daily?from=2027-03-01&to=2027-03-03',
    );
    expect(status).toBe(200);
    const zero = {
      joins: 0,
      optOuts: 0,
      texts: 0,
      parts: 0,
      costFen: 0,
      pointsEarned: 0,
      pointsRedeemed: 0,
      couponsRedeemed: 0,
    };
    expect(body.days).toEqual([
      { date: '2027-03-01', ...zero },
      {
        date: '2027-03-02',
        ...zero,
        joins: 2,
        optOuts: 1,
        pointsEarned: 120,
        pointsRedeemed: 50,
        couponsRedeemed: 1,
      },
      { date: '2027-03-03', ...zero },
    ]);
    const lastMonth = await api.withKey(apiKey, 'GET', '/v1/stats/daily');
    expect(lastMonth.body.days).toHaveLength(30);
    expect(lastMonth.body.days.at(-1)).toMatchObject({ date: '2027-03-02', joins: 2 });
    expect((await api.withKey(apiKey, 'GET', '/v1/stats/daily?from=2027-01-01&to=2027-06-01')).status).toBe(
      400,
    );
  });

  it('counts a text once when it is recorded sent, with its parts and cost', async () => {
    const { merchant } = await newMerchant(env);
    const messages = messagesStore(db, env.table('messages'), env.table('campaigns'), {
      dailyStatsTableName: env.table('dailyStats'),
    });
    const now = new Date(at);
    const sms: OutboundSms = {
      messageId: randomUUID(),
      merchantId: merchant.merchantId,
      to: newPhone(),
      body: '您好',
      category: 'service',
    };
    const sent = {
      providerMessageId: 'p-1',
      text: '【测试商户】您好',
      billing: { encoding: 'UCS-2' as const, units: 8, segments: 2 },
      day: '2027-03-02',
      costFen: 9,
    };
    expect(await messages.claim(sms, now, 60)).toBe('claimed');
    expect(await messages.sent(sms, sent, now)).toBe(true);
    // A second delivery of the text finds it settled: it counts nothing more.
    expect(await messages.sent(sms, sent, now)).toBe(false);
    const days = await dailyStats.days(merchant.merchantId, '2027-03-02', '2027-03-02');
    expect(days.get('2027-03-02')).toEqual({ texts: 1, parts: 2, costFen: 9 });
  });
});
