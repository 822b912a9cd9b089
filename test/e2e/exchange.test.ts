import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../../shared/schemas/merchant';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/**
 * Points exchange (积分兑换) through the local runtime: a member texts 兑换 for the list and 兑换 <code>
 * for the gift, and gets it with the right balance; a text delivered twice exchanges once; offsets
 * (抵扣) by API at the shop's rate.
 */
let local: Local;
let shop: { merchant: Merchant; key: string };

beforeAll(async () => {
  local = await startLocal();
  shop = await local.newShop({ name: '咖啡馆', signature: '【咖啡馆】' });
});
afterAll(() => local?.stop());

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  local.call(method, path, shop.key, body, headers);
const text = (from: string, body: string, messageId?: string) =>
  local.sms(from, body, { to: shop.merchant.senderNumber, ...(messageId ? { messageId } : {}) });
const nth = async (phone: string, count: number) => (await local.replies(phone, count))[count - 1] ?? '';
const path = (phone: string) => `/v1/members/${encodeURIComponent(phone)}`;

async function memberWith(points: number) {
  const phone = newPhone();
  expect((await api('POST', '/v1/members', { phone, name: '李四' })).status).toBe(201);
  const earned = await api('POST', `${path(phone)}/points`, { points }, { 'idempotency-key': randomUUID() });
  expect(earned.status).toBe(201);
  return phone;
}

const gift = (fields: Record<string, unknown> = {}) => {
  const code = `G${randomUUID().slice(0, 6).toUpperCase().replace(/-/g, '')}`;
  return { code, name: '雨伞', tiers: [], pricePoints: 300, limit: 'monthly', validDays: 30, ...fields };
};

describe('exchanging points by text', () => {
  it('lists what the points buy, exchanges one, and answers a repeated delivery without a second exchange', async () => {
    const umbrella = gift({ stock: 5 });
    const mug = gift({ name: '马克杯', pricePoints: 450 });
    const tooDear = gift({ name: '保温杯', pricePoints: 900 });
    for (const benefit of [umbrella, mug, tooDear])
      expect((await api('POST', '/v1/benefits', benefit)).status).toBe(200);
    const phone = await memberWith(500);

    await text(phone, '兑换');
    const list = await nth(phone, 1);
    expect(list).toContain('您有500积分，可兑换：');
    expect(list).toContain(`${umbrella.code} 雨伞 300分（剩200）`);
    expect(list).toContain(`${mug.code} 马克杯 450分（剩50）`);
    expect(list).not.toContain(tooDear.code);
    const listed = await api('GET', `${path(phone)}/exchangeable`);
    expect(listed.body.balances.points).toBe(500);
    expect(listed.body.benefits.map((b: { code: string }) => b.code)).toEqual(
      expect.arrayContaining([umbrella.code, mug.code]),
    );
    expect(listed.body.benefits.map((b: { code: string }) => b.code)).not.toContain(tooDear.code);

    const messageId = `dh-${randomUUID()}`;
    expect((await text(phone, `兑换 ${umbrella.code.toLowerCase()}`, messageId)).status).toBe(202);
    await text(phone, `兑换 ${umbrella.code.toLowerCase()}`, messageId);
    const reply = await nth(phone, 2);
    expect(reply).toMatch(
      /^【咖啡馆】您已用300积分兑换「雨伞」，券码[2-9A-HJKMNP-Z]{8}，有效期至\d{4}-\d{2}-\d{2}，积分余额200。/,
    );
    await local.eventsSettled();
    expect(await local.outbox(phone)).toHaveLength(2);
    expect((await api('GET', path(phone))).body.member.points).toBe(200);
    const { entries } = (await api('GET', `${path(phone)}/ledger`)).body;
    expect(entries.filter((e: { type: string }) => e.type === 'redeem')).toMatchObject([
      { delta: -300, benefitCode: umbrella.code, idempotencyKey: `exchange:${messageId}` },
    ]);
    const { claims } = (await api('GET', `${path(phone)}/claims`)).body;
    expect(claims).toMatchObject([{ code: umbrella.code, pricePoints: 300, state: 'active' }]);
    expect(reply).toContain(claims[0].couponCode);
    const { benefits } = (await api('GET', '/v1/benefits')).body;
    expect(benefits.find((b: { code: string }) => b.code === umbrella.code)).toMatchObject({
      stock: 4,
      claimed: 1,
    });
  });

  it('refuses too few points, over the limit and an unknown code with why, taking nothing', async () => {
    const umbrella = gift();
    expect((await api('POST', '/v1/benefits', umbrella)).status).toBe(200);
    const phone = await memberWith(400);
    await text(phone, `兌換 ${umbrella.code}。`);
    expect(await nth(phone, 1)).toContain('积分余额100');
    await text(phone, `DH ${umbrella.code}`);
    expect(await nth(phone, 2)).toBe('【咖啡馆】「雨伞」本月已领取，下月可再领。');
    await text(phone, '兑换 １２');
    expect(await nth(phone, 3)).toBe(
      '【咖啡馆】未找到该礼品。回复"兑换"查看可兑换的礼品，再发送"兑换 代码"兑换。',
    );
    const poor = await memberWith(100);
    await text(poor, `兑换 ${umbrella.code}`);
    expect(await nth(poor, 1)).toBe(
      '【咖啡馆】「雨伞」需300积分，您当前积分100分，积分不足。回复"兑换"查看可兑换的礼品。',
    );
    expect((await api('GET', path(poor))).body.member.points).toBe(100);
    expect((await api('GET', `${path(poor)}/claims`)).body.claims).toEqual([]);
  });
});

describe('exchanges and offsets by API', () => {
  it('claims a priced benefit with the balances left, and refuses one the points do not cover', async () => {
    const umbrella = gift();
    expect((await api('POST', '/v1/benefits', umbrella)).status).toBe(200);
    const phone = await memberWith(350);
    const key = { 'idempotency-key': randomUUID() };
    const first = await api('POST', `${path(phone)}/claims`, { code: umbrella.code }, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      claim: { pricePoints: 300 },
      balances: { points: 50 },
      replayed: false,
    });
    const again = await api('POST', `${path(phone)}/claims`, { code: umbrella.code }, key);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ claim: first.body.claim, balances: { points: 50 }, replayed: true });
    const poor = await memberWith(10);
    const refused = await api(
      'POST',
      `${path(poor)}/claims`,
      { code: umbrella.code },
      { 'idempotency-key': randomUUID() },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('insufficient_points');
  });

  it('refuses a price that is not a whole number of points from 1 to 1,000,000, at the field', async () => {
    for (const pricePoints of [0, -5, 12.5, 10_000_001, '300']) {
      const refused = await api('POST', '/v1/benefits', gift({ pricePoints }));
      expect(refused.status, String(pricePoints)).toBe(400);
      expect(refused.body.error.issues[0].path).toBe('pricePoints');
    }
    const noTiersFree = await api('POST', '/v1/benefits', gift({ pricePoints: undefined }));
    expect(noTiersFree.status).toBe(400);
    expect(noTiersFree.body.error.issues[0].path).toBe('tiers');
  });

  it('offsets a purchase at the shop rate, and refuses with no rate or a wrong amount', async () => {
    const phone = await memberWith(1000);
    const offset = { points: 500, purchaseRef: 'order-1001', offsetCents: 500 };
    const noRate = await api('POST', `${path(phone)}/points/redeem`, offset, {
      'idempotency-key': randomUUID(),
    });
    expect(noRate.status).toBe(409);
    expect(noRate.body.error.code).toBe('offset_not_enabled');
    expect((await api('PATCH', '/v1/settings/loyalty', { pointsPerYuanOff: 100 })).status).toBe(200);
    const wrong = await api(
      'POST',
      `${path(phone)}/points/redeem`,
      { ...offset, points: 400 },
      { 'idempotency-key': randomUUID() },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'offset_mismatch', issues: [{ path: 'points' }] });
    expect(wrong.body.error.message).toContain('takes 500 points');
    const half = await api(
      'POST',
      `${path(phone)}/points/redeem`,
      { points: 500, purchaseRef: 'order-1001' },
      { 'idempotency-key': randomUUID() },
    );
    expect(half.status).toBe(400);
    const done = await api('POST', `${path(phone)}/points/redeem`, offset, {
      'idempotency-key': randomUUID(),
    });
    expect(done.status).toBe(201);
    expect(done.body.entry).toMatchObject({
      type: 'redeem',
      delta: -500,
      purchaseRef: 'order-1001',
      offsetCents: 500,
    });
    expect(done.body.balances.points).toBe(500);
  });
});
