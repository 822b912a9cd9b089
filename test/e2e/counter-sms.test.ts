import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedRedemptionWindowMinutes } from '../../shared/domain/coupons';
import type { Merchant } from '../../shared/schemas/merchant';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/**
 * Staff at the counter by text, and coupons redeemed once, through the local runtime: the staff
 * commands from the phones of a shop's staff, the coupon every claim carries, and its redemption by
 * text and by API.
 */
let local: Local;
let shop: { merchant: Merchant; key: string };
/** Two cashiers and an owner, each a member of the shop's staff with a phone of their own. */
const staff = { wang: newPhone(), li: newPhone(), boss: newPhone() };
const staffIds: Record<string, string> = {};

beforeAll(async () => {
  local = await startLocal();
  shop = await local.newShop({ name: '咖啡馆', signature: '【咖啡馆】' });
  for (const [name, role] of [
    ['wang', 'cashier'],
    ['li', 'cashier'],
    ['boss', 'owner'],
  ] as const) {
    const added = await api('POST', '/v1/staff', { phone: staff[name], name: `小${name}`, role });
    expect(added.status).toBe(201);
    staffIds[name] = added.body.staff.staffId;
  }
});
afterAll(() => local?.stop());

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  local.call(method, path, shop.key, body, headers);
const text = (from: string, body: string, messageId?: string) =>
  local.sms(from, body, { to: shop.merchant.senderNumber, ...(messageId ? { messageId } : {}) });
/** The texts a phone has had, and waits for the `count`th: the last one. */
const nth = async (phone: string, count: number) => (await local.replies(phone, count))[count - 1] ?? '';
const member = async (phone: string) =>
  (await api('GET', `/v1/members/${encodeURIComponent(phone)}`)).body.member;

async function newMember(name = '李四') {
  const phone = newPhone();
  expect((await api('POST', '/v1/members', { phone, name })).status).toBe(201);
  return phone;
}

/** A claim of a new benefit for the member, by API: its coupon code. */
async function couponOf(phone: string, validDays?: number): Promise<{ couponCode: string; code: string }> {
  const code = `C${randomUUID().slice(0, 6).toUpperCase().replace(/-/g, '')}`;
  const benefit = {
    code,
    name: '咖啡券',
    tiers: ['silver'],
    limit: 'once',
    ...(validDays ? { validDays } : {}),
  };
  expect((await api('POST', '/v1/benefits', benefit)).status).toBe(200);
  const claimed = await api(
    'POST',
    `/v1/members/${encodeURIComponent(phone)}/claims`,
    { code },
    {
      'idempotency-key': randomUUID(),
    },
  );
  expect(claimed.status).toBe(201);
  return { couponCode: claimed.body.claim.couponCode, code };
}

async function auditOf(staffId: string): Promise<Body[]> {
  return (await api('GET', `/v1/audit?staffId=${staffId}&limit=100`)).body.entries;
}

describe('staff commands by text', () => {
  it("earns for a cashier's JF at the shop's rate, once however often the text is delivered", async () => {
    const customer = await newMember();
    const messageId = `jf-${randomUUID()}`;
    const sent = await text(staff.wang, `JF ${customer.replace('+86', '')} 88.50`, messageId);
    expect(sent.status).toBe(202);
    await text(staff.wang, `JF ${customer.replace('+86', '')} 88.50`, messageId);
    const reply = await nth(staff.wang, 1);
    expect(reply).toBe(`【咖啡馆】已为李四（+86****${customer.slice(-4)}）记88积分，积分余额88。`);
    await local.eventsSettled();
    expect(await local.outbox(staff.wang)).toHaveLength(1);
    expect((await member(customer)).points).toBe(88);
    const ledger = await api('GET', `/v1/members/${encodeURIComponent(customer)}/ledger`);
    expect(ledger.body.entries).toMatchObject([
      { type: 'earn', delta: 88, purchaseCents: 8850, idempotencyKey: `sms:${messageId}` },
    ]);
    // The member was sent nothing: the shop sends no notices until it turns them on.
    expect(await local.outbox(customer)).toEqual([]);
    const [entry] = (await auditOf(staffIds.wang ?? '')).filter((e) => e.requestId === messageId);
    expect(entry).toMatchObject({
      actor: { kind: 'staff', id: staffIds.wang, name: '小wang' },
      role: 'cashier',
      route: 'SMS JF',
      status: 201,
      ids: { phone: customer },
    });
  });

  it('answers a phone that is not staff sending JF as a customer, and earns nothing', async () => {
    const customer = await newMember();
    const stranger = newPhone();
    await text(stranger, `JF ${customer} 88`);
    expect(await nth(stranger, 1)).toContain('您还不是咖啡馆会员');
    // A member sending it is told their own points.
    await text(customer, `JF ${customer} 88`);
    expect(await nth(customer, 1)).toContain('积分余额为0分');
    expect((await member(customer)).points).toBe(0);
  });

  it("refuses a removed staff member's command, as theirs, in the audit log", async () => {
    const customer = await newMember();
    const gone = newPhone();
    const added = await api('POST', '/v1/staff', { phone: gone, name: '小离', role: 'cashier' });
    expect((await api('DELETE', `/v1/staff/${added.body.staff.staffId}`)).status).toBe(200);
    const messageId = `gone-${randomUUID()}`;
    await text(gone, `JF ${customer} 88`, messageId);
    expect(await nth(gone, 1)).toBe('【咖啡馆】您已不是咖啡馆的店员，店员指令不再可用。');
    expect((await member(customer)).points).toBe(0);
    expect(await auditOf(added.body.staff.staffId)).toMatchObject([
      { requestId: messageId, route: 'SMS JF', status: 403, actor: { name: '小离' } },
    ]);
  });

  it('answers a wrong format with the usage, an unknown member and a role that may not with why', async () => {
    await text(staff.li, 'JF 13800138000');
    expect(await nth(staff.li, 1)).toBe('【咖啡馆】格式：JF 手机号 消费金额（元），例如 JF 13800138000 88');
    const stranger = newPhone();
    await text(staff.li, `CX ${stranger}`);
    expect(await nth(staff.li, 2)).toBe(`【咖啡馆】+86****${stranger.slice(-4)}还不是会员。`);
    const customer = await newMember();
    await text(staff.li, `CZ ${customer} 200`);
    expect(await nth(staff.li, 3)).toContain('您的角色（收银员）不能使用"CZ 手机号 金额（充值）"');
    await text(staff.boss, `充值 ${customer} 200`);
    expect(await nth(staff.boss, 1)).toMatch(/已为李四（.*）充值200元，储值余额200元。$/);
    expect((await member(customer)).storedValue).toBe(20_000);
    await text(staff.li, '帮助');
    const help = await nth(staff.li, 4);
    expect(help).toContain('JF 手机号 金额');
    expect(help).not.toContain('CZ');
    // Each command counted in the metrics by what it was and how it was answered (no phone, no shop).
    const { StaffCommands } = (await local.call('GET', '/local/metrics')).body.metrics;
    expect(Object.keys(StaffCommands.by).sort()).toEqual(['command', 'status']);
    expect(StaffCommands.by.command).toMatchObject({
      malformed: expect.any(Number),
      lookup: expect.any(Number),
      'top-up': expect.any(Number),
    });
    expect(StaffCommands.by.status).toMatchObject({ '200': expect.any(Number), '403': expect.any(Number) });
  });

  it('texts the member a notice of an earn when the shop turns notices on', async () => {
    const own = await local.newShop({ name: '面包房', signature: '【面包房】' });
    const cashier = newPhone();
    const call = (method: string, path: string, body?: unknown) => local.call(method, path, own.key, body);
    expect((await call('POST', '/v1/staff', { phone: cashier, name: '小面', role: 'cashier' })).status).toBe(
      201,
    );
    const notices = { earn: true, topUp: false, redeem: true };
    expect((await call('PATCH', '/v1/settings/loyalty', { memberNotices: notices })).status).toBe(200);
    const customer = newPhone();
    expect((await call('POST', '/v1/members', { phone: customer, name: '王五' })).status).toBe(201);
    const messageId = `notice-${randomUUID()}`;
    await local.sms(cashier, `加分 ${customer} 30`, { to: own.merchant.senderNumber, messageId });
    await local.sms(cashier, `加分 ${customer} 30`, { to: own.merchant.senderNumber, messageId });
    expect(await nth(customer, 1)).toBe('【面包房】您在面包房消费30元，获得30积分，积分余额30。');
    expect(await nth(cashier, 1)).toContain('积分余额30');
    await local.eventsSettled();
    expect(await local.outbox(customer)).toHaveLength(1);
  });
});

describe('coupons', () => {
  it('redeems once of two staff phones texting HX at the same moment; the other is told when and by whom', async () => {
    const customer = await newMember('赵六');
    const { couponCode, code } = await couponOf(customer, 30);
    await text(customer, '券');
    expect(await nth(customer, 1)).toMatch(new RegExp(`「咖啡券」${couponCode} 至\\d{4}-\\d{2}-\\d{2}`));

    const wangBefore = (await local.outbox(staff.wang)).length;
    const liBefore = (await local.outbox(staff.li)).length;
    await Promise.all([
      text(staff.wang, `HX ${couponCode}`),
      text(staff.li, `hx ${couponCode.toLowerCase()}`),
    ]);
    const answers = [await nth(staff.wang, wangBefore + 1), await nth(staff.li, liBefore + 1)];
    const redeemed = answers.filter((answer) => answer.includes('已核销'));
    const refused = answers.filter((answer) => answer.includes('核销，不能再用'));
    expect(redeemed).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(redeemed[0]).toContain(`「咖啡券」，券码${couponCode}，会员赵六`);
    expect(refused[0]).toMatch(
      new RegExp(`券码${couponCode}已于\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}由小(wang|li)（短信）核销`),
    );

    const claims = await api('GET', `/v1/members/${encodeURIComponent(customer)}/claims`);
    expect(claims.body.claims).toMatchObject([
      { couponCode, state: 'used', usedChannel: 'sms', usedBy: { kind: 'staff' } },
    ]);
    const benefits = (await api('GET', '/v1/benefits')).body.benefits as Body[];
    expect(benefits.find((b) => b.code === code)).toMatchObject({ claimed: 1, used: 1 });
    await local.eventsSettled();
    const events = (await local.call('GET', '/local/events?detailType=coupon.redeemed')).body
      .events as Body[];
    expect(events.filter((e) => e.detail.couponCode === couponCode)).toHaveLength(1);
    // No coupon left to list, and the day's summary counts it.
    await text(customer, 'QUAN');
    expect(await nth(customer, 2)).toContain('您当前没有可用的券');
    const bossBefore = (await local.outbox(staff.boss)).length;
    await text(staff.boss, 'RB');
    expect(await nth(staff.boss, bossBefore + 1)).toMatch(/核销券[1-9]\d*张/);
  });

  it('redeems by API once per idempotency key, and refuses a used, unknown or malformed code with the reason', async () => {
    const customer = await newMember();
    const { couponCode } = await couponOf(customer);
    const path = `/v1/coupons/${couponCode}/redeem`;
    const first = await api('POST', path, undefined, { 'idempotency-key': 'pos-1' });
    expect(first).toMatchObject({
      status: 201,
      body: {
        coupon: { couponCode, usedChannel: 'merchant-api', usedBy: { kind: 'api-key' } },
        replayed: false,
      },
    });
    expect(await api('POST', path, undefined, { 'idempotency-key': 'pos-1' })).toMatchObject({
      status: 200,
      body: { replayed: true },
    });
    const again = await api('POST', path, undefined, { 'idempotency-key': 'pos-2' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'coupon_used' });
    expect(again.body.error.message).toMatch(/already used at \d{4}-\d{2}-\d{2} \d{2}:\d{2} by API key/);
    expect(
      (await api('POST', '/v1/coupons/ZZZZZZZZ/redeem', undefined, { 'idempotency-key': 'k' })).status,
    ).toBe(404);
    expect(
      (await api('POST', '/v1/coupons/K0K0K0K0/redeem', undefined, { 'idempotency-key': 'k' })).body.error
        .code,
    ).toBe('invalid_code');
    expect((await api('POST', path)).body.error.code).toBe('missing_idempotency_key');
  });

  it('stops a staff phone after 10 failed redemptions in a window, whatever the code', async () => {
    // Failures count within fixed 10-minute windows: the eleven texts go well inside one, not across
    // its end (the runtime's clock is the real one).
    const windowMs = failedRedemptionWindowMinutes * 60_000;
    const left = windowMs - (Date.now() % windowMs);
    if (left < 60_000) await new Promise((resolve) => setTimeout(resolve, left + 1_000));
    const guesser = newPhone();
    expect((await api('POST', '/v1/staff', { phone: guesser, name: '小猜', role: 'cashier' })).status).toBe(
      201,
    );
    for (let i = 1; i <= 10; i++) {
      await text(guesser, `HX ZZZZZZ${'23456789ABCDEFGH'[i] ?? 'Z'}Z`);
      expect(await nth(guesser, i)).toContain('不是本店的券');
    }
    const customer = await newMember();
    const { couponCode } = await couponOf(customer);
    await text(guesser, `HX ${couponCode}`);
    expect(await nth(guesser, 11)).toMatch(/核销失败次数过多，请\d+分钟后再试。$/);
    const claims = await api('GET', `/v1/members/${encodeURIComponent(customer)}/claims`);
    expect(claims.body.claims[0].state).toBe('active');
  }, 120_000);

  it('shows a member’s coupons to CX, with name, tier, points and stored value', async () => {
    const customer = await newMember('钱七');
    const { couponCode } = await couponOf(customer, 90);
    const before = (await local.outbox(staff.wang)).length;
    await text(staff.wang, `CX ${customer}`);
    expect(await nth(staff.wang, before + 1)).toMatch(
      new RegExp(
        `^【咖啡馆】钱七（.*）\\s?\\S+：积分0，储值0元；可用券：咖啡券 ${couponCode} 至\\d{4}-\\d{2}-\\d{2}。$`,
      ),
    );
  });
});
