import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../../shared/schemas/merchant';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/**
 * Stores (门店) through the local runtime: a chain's stores, staff who belong to one, what they and the
 * API record at a store, the daily figures by store, a multiplier for one store and an audience of
 * those who bought at one.
 */
let local: Local;
let shop: { merchant: Merchant; key: string };
const cashier = newPhone();

beforeAll(async () => {
  local = await startLocal();
  shop = await local.newShop({ name: '连锁咖啡', signature: '【连锁咖啡】' });
});
afterAll(() => local?.stop());

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  local.call(method, path, shop.key, body, headers);
const post = (path: string, body: unknown) => api('POST', path, body, { 'idempotency-key': randomUUID() });
const member = (phone: string, rest = '') => `/v1/members/${encodeURIComponent(phone)}${rest}`;
const text = (from: string, body: string) => local.sms(from, body, { to: shop.merchant.senderNumber });

async function newMember() {
  const phone = newPhone();
  expect((await api('POST', '/v1/members', { phone, name: '李四' })).status).toBe(201);
  return phone;
}

describe('stores', () => {
  it('are created once under their own code, changed, closed, and refused with a reason', async () => {
    const xuhui = { storeId: 'xuhui', name: '徐汇店', address: '漕溪北路1号' };
    const created = await api('POST', '/v1/stores', xuhui);
    expect(created).toMatchObject({
      status: 201,
      body: { store: { ...xuhui, timeZone: shop.merchant.timeZone, status: 'open' } },
    });
    // The same store again is the same store; other fields under its code are another store.
    expect((await api('POST', '/v1/stores', xuhui)).status).toBe(200);
    const taken = await api('POST', '/v1/stores', { ...xuhui, name: '静安店' });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'store_exists' } } });
    expect(taken.body.error.message).toContain('徐汇店');

    const before = await local.snapshot();
    for (const [body, field] of [
      [{ storeId: 'Xu Hui', name: '徐汇店' }, 'storeId'],
      [{ storeId: 'ｘｕｈｕｉ２', name: '徐汇店' }, 'storeId'],
      [{ storeId: 'xuhui-2', name: '' }, 'name'],
      [{ storeId: 'xuhui-2', name: '店'.repeat(41) }, 'name'],
      [{ storeId: 'xuhui-2', name: '徐汇二店', timeZone: 'Mars/Olympus' }, 'timeZone'],
    ] as const) {
      const refused = await api('POST', '/v1/stores', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error.issues[0].path).toBe(field);
    }
    expect((await api('PATCH', '/v1/stores/nowhere', { name: '无' })).status).toBe(404);
    expect((await api('PATCH', '/v1/stores/xuhui', {})).status).toBe(400);
    expect(await local.snapshot()).toBe(before);

    await api('POST', '/v1/stores', { storeId: 'jingan', name: '静安店', timeZone: 'Asia/Urumqi' });
    const renamed = await api('PATCH', '/v1/stores/jingan', { name: '静安寺店', address: '南京西路1号' });
    expect(renamed.body.store).toMatchObject({
      name: '静安寺店',
      address: '南京西路1号',
      timeZone: 'Asia/Urumqi',
    });
    await api('POST', '/v1/stores', { storeId: 'old', name: '老店' });
    expect((await api('PATCH', '/v1/stores/old', { status: 'closed' })).body.store.status).toBe('closed');
    const { stores } = (await api('GET', '/v1/stores')).body;
    expect(stores.map((store: { storeId: string }) => store.storeId)).toEqual(['jingan', 'xuhui', 'old']);
  });

  it('records the store of staff who belong to one, and the store an API call names', async () => {
    const added = await api('POST', '/v1/staff', {
      phone: cashier,
      name: '小徐',
      role: 'cashier',
      storeId: 'xuhui',
    });
    expect(added.body.staff.storeId).toBe('xuhui');
    for (const storeId of ['nowhere', 'old']) {
      const refused = await api('POST', '/v1/staff', {
        phone: newPhone(),
        name: '小王',
        role: 'cashier',
        storeId,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.issues[0].path).toBe('storeId');
    }

    const phone = await newMember();
    // The cashier's JF by text records their store; their CZ is refused by role, as before.
    await text(cashier, `JF ${phone.slice(3)} 88`);
    await local.replies(cashier, 1);
    // An API call names its store; an unknown or closed one is refused at the field, nothing written.
    const atJingan = await post(member(phone, '/stored-value/top-up'), { cents: 10_000, storeId: 'jingan' });
    expect(atJingan.body.entry.storeId).toBe('jingan');
    await post(member(phone, '/stored-value/spend'), { cents: 2_500, storeId: 'jingan' });
    const before = await local.snapshot();
    for (const storeId of ['nowhere', 'old']) {
      const refused = await post(member(phone, '/points'), { purchaseCents: 1_000, storeId });
      expect(refused.status).toBe(400);
      expect(refused.body.error.issues[0]).toMatchObject({ path: 'storeId' });
    }
    expect(await local.snapshot()).toBe(before);
    const { entries } = (await api('GET', member(phone, '/ledger'))).body;
    expect(entries.map((entry: { type: string; storeId?: string }) => [entry.type, entry.storeId])).toEqual([
      ['spend', 'jingan'],
      ['top-up', 'jingan'],
      ['earn', 'xuhui'],
    ]);
  });

  it('keeps staff of one store to it in the console', async () => {
    const cookie = await local.signIn(cashier);
    const phone = await newMember();
    const asCashier = (body: unknown) =>
      local.call('POST', member(phone, '/points'), undefined, body, {
        cookie,
        'x-mcrm-csrf': '1',
        'idempotency-key': randomUUID(),
      });
    const own = await asCashier({ purchaseCents: 2_000 });
    expect(own.body.entry.storeId).toBe('xuhui');
    const other = await asCashier({ purchaseCents: 2_000, storeId: 'jingan' });
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'other_store' } } });
  });

  it('multiplies points at one store only, and counts each store on its own calendar', async () => {
    const loyalty = (await api('GET', '/v1/settings/loyalty')).body.loyalty;
    const unknown = await api('PUT', '/v1/settings/loyalty', {
      ...loyalty,
      multipliers: [{ name: '新店双倍', multiplier: 2, stores: ['nowhere'] }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].path).toBe('multipliers.0.stores');
    const saved = await api('PUT', '/v1/settings/loyalty', {
      ...loyalty,
      multipliers: [{ name: '静安双倍', multiplier: 2, stores: ['jingan'] }],
    });
    expect(saved.status).toBe(200);

    const phone = await newMember();
    const atJingan = await post(member(phone, '/points'), { purchaseCents: 5_000, storeId: 'jingan' });
    expect(atJingan.body.entry).toMatchObject({ delta: 100, basePoints: 50, multiplierRule: '静安双倍' });
    const atXuhui = await post(member(phone, '/points'), { purchaseCents: 5_000, storeId: 'xuhui' });
    expect(atXuhui.body.entry).toMatchObject({ delta: 50 });
    expect(atXuhui.body.entry.multiplierRule).toBeUndefined();
    const preview = await api('GET', member(phone, '/points/preview?purchaseCents=1000&storeId=jingan'));
    expect(preview.body.earning).toMatchObject({ points: 20, rule: { name: '静安双倍' } });
    await api('PUT', '/v1/settings/loyalty', loyalty);

    await local.eventsSettled();
    const { storeStats } = (await api('GET', '/v1/stats/stores')).body;
    const byId = Object.fromEntries(
      storeStats.stores.map((store: { storeId: string }) => [store.storeId, store]),
    );
    // Jingan: a purchase of 50 yuan, and the 100 yuan topped up and 25 spent there before.
    expect(byId.jingan.totals).toMatchObject({
      purchases: 1,
      spendCents: 5_000,
      pointsEarned: 100,
      topUpCents: 10_000,
      storedValueSpentCents: 2_500,
    });
    // Xuhui: the cashier's JF of 88 yuan and 20 yuan in the console, and 50 yuan by API.
    expect(byId.xuhui.totals).toMatchObject({ purchases: 3, spendCents: 15_800, pointsEarned: 158 });
    expect(byId.old.totals.purchases).toBe(0);
    expect(storeStats.stores[0].days).toHaveLength(30);
  });

  it('finds members who bought at a store within some days', async () => {
    await local.eventsSettled();
    const audience = (storeId: string, days: number) => ({
      definition: { field: `daysSinceStorePurchase.${storeId}`, op: 'lte', value: days },
    });
    const jingan = await api('POST', '/v1/audiences/preview', audience('jingan', 30));
    const xuhui = await api('POST', '/v1/audiences/preview', audience('xuhui', 30));
    expect(jingan.body.preview.count).toBe(1);
    expect(xuhui.body.preview.count).toBe(3);
    const bad = await api('POST', '/v1/audiences/preview', audience('Not A Store', 30));
    expect(bad.status).toBe(400);
  });
});
