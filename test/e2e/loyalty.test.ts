import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/** Points, stored value and benefits through the local runtime, by API and by SMS. */
let local: Local;
let key: string;
let number: string;

beforeAll(async () => {
  local = await startLocal();
  const shop = await local.newShop({ name: '咖啡馆', signature: '【咖啡馆】' });
  key = shop.key;
  number = shop.merchant.senderNumber;
});
afterAll(() => local?.stop());

const path = (phone: string, rest = '') => `/v1/members/${encodeURIComponent(phone)}${rest}`;
const post = (route: string, body: unknown, idempotencyKey: string = randomUUID()) =>
  local.call('POST', route, key, body, { 'idempotency-key': idempotencyKey });
const text = (phone: string, body: string) => local.sms(phone, body, { to: number });

async function join(phone: string) {
  await text(phone, '注册 张三');
  await local.replies(phone, 1);
}

describe('points and stored value through the API', () => {
  it('earns at the merchant rate, redeems, adjusts, tops up and spends, and pages the history', async () => {
    const phone = newPhone();
    await join(phone);
    const earned = await post(path(phone, '/points'), { purchaseCents: 12_345, reason: 'order 7' });
    expect(earned).toMatchObject({
      status: 201,
      body: { entry: { type: 'earn', delta: 123, purchaseCents: 12_345 }, balances: { points: 123 } },
    });
    expect(earned.body.entry.expiresOn).toMatch(/^\d{4}-12-31$/);
    expect((await post(path(phone, '/points/redeem'), { points: 23 })).body.balances.points).toBe(100);
    expect(
      (await post(path(phone, '/points/adjust'), { points: -10, reason: 'correction' })).body.balances.points,
    ).toBe(90);
    expect(
      (await post(path(phone, '/stored-value/top-up'), { cents: 50_000 })).body.balances.storedValue,
    ).toBe(50_000);
    expect((await post(path(phone, '/stored-value/spend'), { cents: 3_800 })).body.balances).toEqual({
      points: 90,
      storedValue: 46_200,
      storedValueBonus: 0,
    });

    const first = await local.call('GET', path(phone, '/ledger?limit=3'), key);
    expect(first.body.entries.map((e: { type: string }) => e.type)).toEqual(['spend', 'top-up', 'adjust']);
    const rest = await local.call('GET', path(phone, `/ledger?limit=3&cursor=${first.body.cursor}`), key);
    expect(rest.body.entries.map((e: { type: string }) => e.type)).toEqual(['redeem', 'earn']);
    const points = await local.call('GET', path(phone, '/ledger?book=points'), key);
    expect(points.body.entries).toHaveLength(3);
  });

  it('refuses overdrawing and bad bodies with a reason, changing nothing', async () => {
    const phone = newPhone();
    await join(phone);
    await post(path(phone, '/points'), { points: 50 });
    const before = await local.snapshot();
    const refusals = [
      [await post(path(phone, '/points/redeem'), { points: 51 }), 409, 'the balance is 50'],
      [await post(path(phone, '/stored-value/spend'), { cents: 1 }), 409, 'the balance is 0'],
      [await post(path(phone, '/points'), { points: 5, purchaseCents: 500 }), 400, 'either points'],
      [await post(path(phone, '/points'), { purchaseCents: 50 }), 400, 'too small to earn a point'],
      [await post(path(phone, '/points/adjust'), { points: 5 }), 400, 'reason'],
      [await post(path(phone, '/points/adjust'), { points: 0, reason: 'x' }), 400, 'not 0'],
      [
        await local.call('GET', path(phone, '/ledger?cursor=bogus'), key),
        400,
        'not one this listing gave out',
      ],
      [await local.call('GET', path(phone, '/ledger?limit=0'), key), 400, 'limit'],
    ] as const;
    for (const [reply, status, reason] of refusals) {
      expect(reply.status).toBe(status);
      expect(reply.body.error.message).toContain(reason);
    }
    expect(await local.snapshot()).toBe(before);
  });
});

describe('benefits', () => {
  it('claims by SMS and API within the rules: once, never beyond stock, with the reason when refused', async () => {
    const created = await local.call('POST', '/v1/benefits', key, {
      code: 'WELCOME',
      name: '新会员礼',
      tiers: ['silver', 'gold', 'platinum', 'diamond'],
      valueByTier: { silver: '一杯咖啡' },
      limit: 'once',
      validDays: 30,
      stock: 2,
    });
    expect(created).toMatchObject({
      status: 200,
      body: { benefit: { code: 'WELCOME', stock: 2, claimed: 0 } },
    });

    const [first, second, third] = [newPhone(), newPhone(), newPhone()];
    for (const phone of [first, second, third]) await join(phone);
    await text(first, '领取 welcome');
    expect((await local.replies(first, 2))[1]).toMatch(
      /您已成功领取「新会员礼」（一杯咖啡），券码[2-9A-HJKMNP-Z]{8}，有效期至\d{4}-\d{2}-\d{2}。到店出示券码使用。/,
    );
    await text(first, 'LQ WELCOME');
    expect((await local.replies(first, 3))[2]).toContain('已领取');

    const byApi = await post(path(second, '/claims'), { code: 'WELCOME' }, 'claim-second');
    expect(byApi).toMatchObject({
      status: 201,
      body: { claim: { code: 'WELCOME', value: '一杯咖啡' }, replayed: false },
    });
    expect(await post(path(second, '/claims'), { code: 'WELCOME' }, 'claim-second')).toMatchObject({
      status: 200,
      body: { replayed: true },
    });

    await text(third, '领取 WELCOME');
    expect((await local.replies(third, 2))[1]).toContain('已领完');
    await text(third, '领取');
    expect((await local.replies(third, 3))[2]).toContain('没有可领取的权益');

    const claims = await local.call('GET', path(first, '/claims'), key);
    expect(claims.body.claims).toEqual([expect.objectContaining({ code: 'WELCOME', state: 'active' })]);
    const catalog = await local.call('GET', '/v1/benefits', key);
    expect(catalog.body.benefits).toEqual([
      expect.objectContaining({ code: 'WELCOME', stock: 0, claimed: 2 }),
    ]);
    // One event per claim, committed with it: the replayed request writes none.
    await local.runtime.eventsSettled();
    expect(local.runtime.events.filter((e) => e.detailType === 'benefit.claimed')).toHaveLength(2);
  });

  it('says why a claim is refused: unknown code, tier, and a deactivated benefit', async () => {
    await local.call('POST', '/v1/benefits', key, {
      code: 'VIP',
      name: '贵宾室',
      tiers: ['diamond'],
      limit: 'monthly',
    });
    const phone = newPhone();
    await join(phone);
    expect(await post(path(phone, '/claims'), { code: 'NOPE' })).toMatchObject({ status: 404 });
    const tier = await post(path(phone, '/claims'), { code: 'VIP' });
    expect(tier).toMatchObject({ status: 403, body: { error: { code: 'tier' } } });
    expect(await local.call('DELETE', '/v1/benefits/vip', key)).toMatchObject({
      status: 200,
      body: { benefit: { code: 'VIP', active: false } },
    });
    await text(phone, '领取 VIP');
    expect((await local.replies(phone, 2))[1]).toContain('已停止领取');
  });
});

describe('points by SMS', () => {
  it('shows the balance, the tier and when the points expire, all on one date', async () => {
    const phone = newPhone();
    await join(phone);
    await post(path(phone, '/points'), { points: 80 });
    await post(path(phone, '/points/redeem'), { points: 30 });
    await text(phone, '积分');
    expect((await local.replies(phone, 2))[1]).toMatch(
      /积分余额为50分，会员等级：银卡。这些积分将于\d{4}-12-31全部到期。$/,
    );
  });
});

describe('tiers and scheduled jobs through the runtime', () => {
  it('raises the tier with a package at once, texts the upgrade, and falls back when the schedule finds it ended', async () => {
    const phone = newPhone();
    await join(phone);
    const endsAt = new Date(Date.now() + 60 * 60_000).toISOString();
    const bought = await post(path(phone, '/package'), { tier: 'diamond', endsAt });
    expect(bought).toMatchObject({
      status: 200,
      body: { member: { phone, tier: 'diamond', tierPackage: { tier: 'diamond', endsAt } } },
    });
    expect((await local.replies(phone, 2))[1]).toContain('您已升级为咖啡馆钻石卡会员');
    expect((await post(path(phone, '/package'), { tier: 'gold-plus', endsAt })).status).toBe(400);

    const later = new Date(Date.now() + 2 * 60 * 60_000).toISOString();
    expect(
      await local.call('POST', '/local/schedules/loyalty-jobs', undefined, { time: later }),
    ).toMatchObject({
      status: 200,
    });
    expect((await local.call('GET', path(phone), key)).body.member).toMatchObject({ tier: 'silver' });
    // Committed with the change, in the outbox: on the bus once it drained.
    await local.runtime.eventsSettled();
    const changes = local.runtime.events.filter(
      (e) => e.detailType === 'tier.changed' && e.detail.to === 'silver',
    );
    expect(changes).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ cause: 'package-ended' }) }),
    ]);
  });
});

describe('loyalty settings', () => {
  it('sets the earn rate, expiry and tier table, and refuses a table out of order', async () => {
    const shop = await local.newShop();
    const settings = {
      pointsPerYuan: 2,
      expiry: { kind: 'days', days: 90 },
      tiers: [
        { code: 'member', name: '会员', threshold: 0 },
        { code: 'vip', name: 'VIP', threshold: 500 },
      ],
    };
    // A field left out takes its default: no texts to members about what staff did, no multipliers.
    const stored = {
      ...settings,
      memberNotices: { earn: false, topUp: false, redeem: false },
      multipliers: [],
      topUpBonuses: [],
      bonusSpendOrder: 'last',
    };
    const saved = await local.call('PUT', '/v1/settings/loyalty', shop.key, settings);
    expect(saved).toMatchObject({ status: 200, body: { loyalty: settings } });
    expect((await local.call('GET', '/v1/settings/loyalty', shop.key)).body.loyalty).toEqual(stored);

    const phone = newPhone();
    expect((await local.call('POST', '/v1/members', shop.key, { phone })).body.member.tier).toBe('member');
    const earned = await local.call(
      'POST',
      path(phone, '/points'),
      shop.key,
      { purchaseCents: 1_000 },
      {
        'idempotency-key': randomUUID(),
      },
    );
    expect(earned.body.entry).toMatchObject({ delta: 20 });

    const refused = await local.call('PUT', '/v1/settings/loyalty', shop.key, {
      ...settings,
      tiers: [settings.tiers[1], settings.tiers[0]],
    });
    expect(refused.status).toBe(400);
    expect((await local.call('GET', '/v1/settings/loyalty', shop.key)).body.loyalty).toEqual(stored);

    // A change of the rate alone keeps the expiry and the tier table.
    const patched = await local.call('PATCH', '/v1/settings/loyalty', shop.key, { pointsPerYuan: 3 });
    expect(patched).toEqual({ status: 200, body: { loyalty: { ...stored, pointsPerYuan: 3 } } });
    const reordered = await local.call('PATCH', '/v1/settings/loyalty', shop.key, {
      tiers: [settings.tiers[1], settings.tiers[0]],
    });
    expect(reordered.status).toBe(400);
    expect((await local.call('GET', '/v1/settings/loyalty', shop.key)).body.loyalty).toEqual({
      ...stored,
      pointsPerYuan: 3,
    });
  });
});

describe('a changed tier table', () => {
  it('re-evaluates every member in the scheduled job, and refuses the codes it no longer has', async () => {
    const shop = await local.newShop({ name: '面馆', signature: '【面馆】' });
    const call = (method: string, route: string, body?: unknown) => local.call(method, route, shop.key, body);
    const phones = [newPhone(), newPhone()];
    for (const phone of phones) {
      await local.sms(phone, '注册 孙七', { to: shop.merchant.senderNumber });
      await local.replies(phone, 1);
    }
    await call('POST', path(phones[1] ?? '', '/package'), {
      tier: 'gold',
      endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      idempotencyKey: 'pkg',
    });
    const tiers = [
      { code: 'member', name: '普通会员', threshold: 0 },
      { code: 'vip', name: '贵宾', threshold: 500 },
    ];
    expect((await call('PUT', '/v1/settings/loyalty', { tiers })).status).toBe(200);
    const onTier = { definition: { field: 'tier', op: 'eq', value: 'member' } };

    // Refused where named: a benefit, an audience, a list filter, care texts.
    const refusals = [
      await call('POST', '/v1/benefits', { code: 'GOLD1', name: '金卡礼', tiers: ['gold'], limit: 'once' }),
      await call('POST', '/v1/audiences', {
        name: '金卡',
        definition: { field: 'tier', op: 'in', value: ['vip', 'gold'] },
      }),
      await call('POST', '/v1/audiences/preview', {
        definition: { field: 'tier', op: 'eq', value: 'silver' },
      }),
      await call('GET', '/v1/members?tier=gold'),
      await call('PUT', '/v1/care/settings', {
        festivals: [{ code: 'spring-festival', template: '{{name}}新年好', audience: { tiers: ['gold'] } }],
      }),
    ];
    expect(refusals.map((reply) => [reply.status, reply.body.error?.message])).toEqual([
      [400, expect.stringContaining('gold is not one of your tiers (member, vip)')],
      [400, expect.stringContaining('definition: gold is not one of your tiers')],
      [400, expect.stringContaining('silver is not one of your tiers')],
      [400, expect.stringContaining('tier: gold is not one of your tiers')],
      [400, expect.stringContaining('festivals.0.audience.tiers: gold')],
    ]);

    const ran = await local.call('POST', '/local/schedules/loyalty-jobs', undefined, {
      time: new Date().toISOString(),
    });
    expect(ran.status).toBe(200);
    for (const phone of phones) {
      expect((await call('GET', path(phone))).body.member).toMatchObject({
        tier: 'member',
        earnedTier: 'member',
      });
    }
    expect((await call('POST', '/v1/audiences/preview', onTier)).body.preview.count).toBe(2);
    expect((await call('GET', '/v1/members?tier=member&limit=1')).body.members).toHaveLength(1);
    await local.sms(phones[0] ?? '', '积分', { to: shop.merchant.senderNumber });
    // The welcome, then the balance with the new tier's name; no upgrade text for a renamed tier.
    const texts = await local.replies(phones[0] ?? '', 2);
    expect(texts[1]).toBe('【面馆】您在面馆的积分余额为0分，会员等级：普通会员。');
  });
});

describe('points multipliers (积分加倍)', () => {
  it('multiply what a purchase earns by the best rule of the day, by API and by a cashier’s text, and say which', async () => {
    const { merchant, key: shopKey } = await local.newShop({ name: '面包房', signature: '【面包房】' });
    const api = (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) =>
      local.call(method, route, shopKey, body, headers);
    // Today in the shop's time zone, as an ISO weekday (1 Monday … 7 Sunday).
    const weekday = new Intl.DateTimeFormat('en-US', {
      timeZone: merchant.timeZone,
      weekday: 'short',
    }).format(new Date());
    const today = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(weekday) + 1;
    const multipliers = [
      { name: '银卡加倍', multiplier: 1.5, tiers: ['silver'] },
      { name: '会员日双倍积分', multiplier: 2, weekdays: [today] },
      { name: '改天三倍', multiplier: 3, weekdays: [(today % 7) + 1] },
    ];
    const saved = await api('PATCH', '/v1/settings/loyalty', { multipliers });
    expect(saved).toMatchObject({ status: 200, body: { loyalty: { multipliers } } });
    // A tier the shop does not have is refused at that rule, and the rules stay as they were.
    const refused = await api('PATCH', '/v1/settings/loyalty', {
      multipliers: [{ name: '玉卡', multiplier: 2, tiers: ['jade'] }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([
      { path: 'multipliers.0.tiers', message: expect.stringContaining('jade is not one of the tiers') },
    ]);
    expect((await api('GET', '/v1/settings/loyalty')).body.loyalty.multipliers).toEqual(multipliers);

    const phone = newPhone();
    expect((await api('POST', '/v1/members', { phone, name: '王五' })).status).toBe(201);
    const preview = await api('GET', path(phone, '/points/preview?purchaseCents=12345'));
    const doubled = { basePoints: 123, points: 246, rule: { name: '会员日双倍积分', multiplier: 2 } };
    expect(preview).toMatchObject({ status: 200, body: { earning: { purchaseCents: 12_345, ...doubled } } });
    for (const query of ['', '?purchaseCents=abc', '?purchaseCents=0', '?purchaseCents=1.5']) {
      const bad = await api('GET', path(phone, `/points/preview${query}`));
      expect({ query, status: bad.status, code: bad.body.error.code }).toEqual({
        query,
        status: 400,
        code: 'invalid_query',
      });
    }

    const idempotencyKey = randomUUID();
    const earned = await api(
      'POST',
      path(phone, '/points'),
      { purchaseCents: 12_345 },
      { 'idempotency-key': idempotencyKey },
    );
    const entry = {
      type: 'earn',
      delta: 246,
      purchaseCents: 12_345,
      basePoints: 123,
      multiplierRule: '会员日双倍积分',
      multiplier: 2,
    };
    expect(earned).toMatchObject({ status: 201, body: { entry, balances: { points: 246 } } });
    const again = await api(
      'POST',
      path(phone, '/points'),
      { purchaseCents: 12_345 },
      { 'idempotency-key': idempotencyKey },
    );
    expect(again).toMatchObject({
      status: 200,
      body: { entry: { entryId: earned.body.entry.entryId }, replayed: true },
    });
    // Points given outright are the merchant's own number: never multiplied.
    const bonus = await api(
      'POST',
      path(phone, '/points'),
      { points: 50 },
      { 'idempotency-key': randomUUID() },
    );
    expect(bonus.body.entry).not.toHaveProperty('basePoints');
    expect(bonus.body.entry.delta).toBe(50);
    expect((await api('GET', path(phone, '/ledger'))).body.entries[1]).toMatchObject(entry);

    // A cashier's JF earns the same way and says which rule doubled the points.
    const cashier = newPhone();
    expect((await api('POST', '/v1/staff', { phone: cashier, name: '小赵', role: 'cashier' })).status).toBe(
      201,
    );
    await local.sms(cashier, `JF ${phone.replace('+86', '')} 100`, { to: merchant.senderNumber });
    const [reply] = await local.replies(cashier, 1);
    expect(reply).toBe(
      `【面包房】已为王五（+86****${phone.slice(-4)}）记200积分（会员日双倍积分 ×2），积分余额496。`,
    );
  });
});
