import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../../shared/schemas/merchant';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/**
 * Count cards (计次卡) through the local runtime: products and sales by API, a use by API, by a
 * cashier's `CK` text (choosing among several cards) and a member's `次卡` text, the refund, and the
 * care job's reminder before a card expires.
 */
let local: Local;
let shop: { merchant: Merchant; key: string };
const cashier = newPhone();
let cashierId: string;

beforeAll(async () => {
  local = await startLocal();
  shop = await local.newShop({ name: '洗车店', signature: '【洗车店】' });
  const added = await api('POST', '/v1/staff', { phone: cashier, name: '小王', role: 'cashier' });
  expect(added.status).toBe(201);
  cashierId = added.body.staff.staffId;
  // Care texts go out inside the send window; the sender's own hours would read the real clock.
  expect(
    (await api('PUT', '/v1/settings/sending', { marketingHours: { start: '00:00', end: '24:00' } })).status,
  ).toBe(200);
});
afterAll(() => local?.stop());

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  local.call(method, path, shop.key, body, { 'idempotency-key': randomUUID(), ...headers });
const text = (from: string, body: string) => local.sms(from, body, { to: shop.merchant.senderNumber });
const nth = async (phone: string, count: number) => (await local.replies(phone, count))[count - 1] ?? '';
const path = (phone: string) => `/v1/members/${encodeURIComponent(phone)}`;

async function newMember(name = '张三', storedValueCents = 0) {
  const phone = newPhone();
  expect((await api('POST', '/v1/members', { phone, name })).status).toBe(201);
  if (storedValueCents > 0) {
    expect(
      (await api('POST', `${path(phone)}/stored-value/top-up`, { cents: storedValueCents })).status,
    ).toBe(201);
  }
  return phone;
}

async function newProduct(fields: Record<string, unknown> = {}): Promise<Body> {
  const created = await api('POST', '/v1/count-cards', {
    name: '洗车10次卡',
    uses: 10,
    priceCents: 30_000,
    validity: { kind: 'days', days: 365 },
    ...fields,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.product;
}

const sell = (phone: string, productId: string, payment: string, key = randomUUID()) =>
  api('POST', `${path(phone)}/count-cards`, { productId, payment }, { 'idempotency-key': key });

describe('count cards', () => {
  it('are products created once under the client id, listed, and stopped', async () => {
    const productId = '01KC1000000000000000000000';
    const body = {
      productId,
      name: '打蜡5次卡',
      uses: 5,
      priceCents: 20_000,
      validity: { kind: 'until', date: '2027-12-31' },
    };
    const first = await api('POST', '/v1/count-cards', body);
    expect(first.status).toBe(201);
    expect(await api('POST', '/v1/count-cards', body)).toEqual({ status: 200, body: first.body });
    expect((await api('POST', '/v1/count-cards', { ...body, uses: 6 })).body.error.code).toBe(
      'count_card_product_exists',
    );
    expect((await api('POST', '/v1/count-cards', { ...body, productId: undefined, uses: 0 })).status).toBe(
      400,
    );
    const stopped = await api('PATCH', `/v1/count-cards/${productId}`, { active: false });
    expect(stopped.body.product).toMatchObject({ active: false, uses: 5 });
    const listed = (await api('GET', '/v1/count-cards')).body.products as Body[];
    expect(listed.find((p) => p.productId === productId)?.active).toBe(false);
    const phone = await newMember();
    expect((await sell(phone, productId, 'till')).body.error.code).toBe('count_card_product_stopped');
  });

  it('are sold from stored value in one go (409 with the balance when short), used, and refunded pro rata once', async () => {
    const product = await newProduct({ uses: 3, priceCents: 9_999 });
    const poor = await newMember('李四', 5_000);
    const refused = await sell(poor, product.productId, 'stored-value');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'insufficient_balance' });
    expect(refused.body.error.message).toContain('5000');

    const phone = await newMember('张三', 10_000);
    const key = randomUUID();
    const sold = await sell(phone, product.productId, 'stored-value', key);
    expect(sold.status).toBe(201);
    expect(sold.body).toMatchObject({
      card: {
        usesLeft: 3,
        pricePaid: 9_999,
        payment: 'stored-value',
        state: 'usable',
        refundableCents: 9_999,
      },
      balances: { storedValue: 1 },
      replayed: false,
    });
    expect((await sell(phone, product.productId, 'stored-value', key)).status).toBe(200);
    const { cardId } = sold.body.card;
    const useKey = randomUUID();
    const used = await api(
      'POST',
      `${path(phone)}/count-cards/${cardId}/use`,
      {},
      { 'idempotency-key': useKey },
    );
    expect(used).toMatchObject({ status: 201, body: { card: { usesLeft: 2 } } });
    expect(
      await api('POST', `${path(phone)}/count-cards/${cardId}/use`, {}, { 'idempotency-key': useKey }),
    ).toMatchObject({ status: 200, body: { card: { usesLeft: 2 }, replayed: true } });

    const refunded = await api('POST', `${path(phone)}/count-cards/${cardId}/refund`, {});
    // floor(9999 × 2 / 3) = 6666, back to stored value.
    expect(refunded.body).toMatchObject({
      card: { state: 'refunded', refundedUses: 2, refundCents: 6_666 },
      balances: { storedValue: 6_667 },
    });
    expect((await api('POST', `${path(phone)}/count-cards/${cardId}/refund`, {})).body.error.code).toBe(
      'count_card_refunded',
    );
    expect((await api('POST', `${path(phone)}/count-cards/${cardId}/use`, {})).body.error.code).toBe(
      'count_card_refunded',
    );
    const ledger = (await api('GET', `${path(phone)}/ledger?book=storedValue`)).body.entries as Body[];
    expect(ledger.map((entry) => entry.delta)).toEqual([6_666, -9_999, 10_000]);
  });

  it('are used by a cashier’s CK text, choosing by number or name among several, and listed by the member’s 次卡', async () => {
    const wash = await newProduct({ name: '洗车卡', uses: 2, priceCents: 0 });
    const wax = await newProduct({ name: '打蜡卡', uses: 1, priceCents: 5_000 });
    const phone = await newMember();
    const national = phone.replace('+86', '');
    expect((await sell(phone, wash.productId, 'till')).status).toBe(201);
    expect((await sell(phone, wax.productId, 'till')).status).toBe(201);

    await text(cashier, `CK ${national}`);
    expect(await nth(cashier, 1)).toContain('有2张可用次卡：1.「洗车卡」剩2次');
    expect(await nth(cashier, 1)).toContain('2.「打蜡卡」剩1次');
    await text(cashier, `CK ${national} 2`);
    expect(await nth(cashier, 2)).toMatch(
      /已为张三（.+）扣「打蜡卡」1次，剩余0次，有效期至\d{4}-\d\d-\d\d。/,
    );
    await text(cashier, `CK ${national}`);
    expect(await nth(cashier, 3)).toContain('扣「洗车卡」1次，剩余1次');
    await text(cashier, `CARD ${national} wax`);
    expect(await nth(cashier, 4)).toContain('has no usable card "wax"');

    await text(phone, '次卡');
    expect(await nth(phone, 1)).toMatch(/^【洗车店】您在洗车店的次卡：「洗车卡」剩1次，至\d{4}-\d\d-\d\d。/);
    await text(phone, 'cards');
    expect(await nth(phone, 2)).toContain('Your 洗车店 cards: "洗车卡" 1 left');

    const cards = (await api('GET', `${path(phone)}/count-cards`)).body.cards as Body[];
    expect(cards.map((card) => [card.name, card.usesLeft, card.state])).toEqual([
      ['洗车卡', 1, 'usable'],
      ['打蜡卡', 0, 'used-up'],
    ]);
    const audit = (await api('GET', `/v1/audit?staffId=${cashierId}&limit=100`)).body.entries as Body[];
    expect(audit.filter((entry) => entry.route === 'SMS CK').map((entry) => entry.status)).toEqual([
      404, 201, 201, 200,
    ]);
  });

  it('are reminded of once, through the care job, the set number of days before they expire', async () => {
    const product = await newProduct({
      name: '年卡',
      uses: 5,
      priceCents: 0,
      validity: { kind: 'until', date: '2027-03-20' },
    });
    const phone = await newMember();
    const usedUp = await newMember('王五');
    expect((await sell(phone, product.productId, 'till')).status).toBe(201);
    const gone = await sell(usedUp, product.productId, 'till');
    await api('POST', `${path(usedUp)}/count-cards/${gone.body.card.cardId}/refund`, {});
    const settings = await api('PUT', '/v1/care/settings', {
      countCardExpiring: {
        days: 7,
        template: '{{name}}，您的{{card}}还剩{{uses_left}}次，将于{{expiry_date}}到期。',
      },
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const fire = (time: string) => local.call('POST', '/local/schedules/care-jobs', undefined, { time });
    await fire('2027-03-12T10:00:00+08:00');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await local.outbox(phone)).toEqual([]);
    await fire('2027-03-13T10:00:00+08:00');
    await fire('2027-03-14T10:00:00+08:00');
    const [reminder] = await local.replies(phone, 1);
    expect(reminder).toBe('【洗车店】张三，您的年卡还剩5次，将于2027-03-20到期。');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await local.outbox(phone)).toHaveLength(1);
    expect(await local.outbox(usedUp)).toEqual([]);
  });
});
