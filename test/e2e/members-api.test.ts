import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../local/runtime';
import { newPhone } from '../support';
import { type Body, type Local, type Reply, startLocal } from './support';

/**
 * Member management through the local runtime, as a merchant's staff use it. The runtime has a
 * DynamoDB Local of its own, so "the tables are unchanged" means every table.
 */
let local: Local;
let runtime: Runtime;

beforeAll(async () => {
  local = await startLocal();
  runtime = local.runtime;
});
afterAll(() => local?.stop());

/** A merchant of its own, so a test knows every member its list holds. */
async function newShop(): Promise<{ key: string; number: string }> {
  const { merchant, key } = await local.newShop();
  return { key, number: merchant.senderNumber };
}

const call = (method: string, path: string, key: string, body?: unknown): Promise<Reply> =>
  local.call(method, path, key, body);
const snapshot = () => local.snapshot();

const memberPath = (phone: string) => `/v1/members/${encodeURIComponent(phone)}`;
const create = (key: string, body: unknown) => call('POST', '/v1/members', key, body);
const list = (key: string, query = '') => call('GET', `/v1/members${query}`, key);
const patch = (key: string, phone: string, body: unknown) => call('PATCH', memberPath(phone), key, body);
const remove = (key: string, phone: string) => call('DELETE', memberPath(phone), key);
const read = (key: string, phone: string) => call('GET', memberPath(phone), key);

/** The events published about the member, once every event written so far is through the outbox. */
async function eventsOf(detailType: string, memberId: string) {
  await runtime.eventsSettled();
  return runtime.events.filter(
    (event) => event.detailType === detailType && event.detail.memberId === memberId,
  );
}

describe('tags', () => {
  it('adds and removes tags one change at a time, keeping the others', async () => {
    const { key } = await newShop();
    const phone = newPhone();
    await create(key, { phone, tags: ['coffee'] });
    const tags = (method: string, path: string, body?: unknown) =>
      call(method, `${memberPath(phone)}/tags${path}`, key, body);

    const added = await tags('POST', '', { tags: ['vip', 'coffee', 'list:新品'] });
    expect(added.status).toBe(200);
    expect(added.body.member.tags).toEqual(['coffee', 'vip', 'list:新品']);
    const removed = await tags('DELETE', `/${encodeURIComponent('list:新品')}`);
    expect(removed.body.member.tags).toEqual(['coffee', 'vip']);
    expect((await tags('DELETE', '/never-had')).body.member.tags).toEqual(['coffee', 'vip']);
    expect((await read(key, phone)).body.member.tags).toEqual(['coffee', 'vip']);

    expect((await tags('POST', '', { tags: ['a,b'] })).status).toBe(400);
    expect((await tags('POST', '', { tags: [] })).status).toBe(400);
    const stranger = await call('POST', `${memberPath(newPhone())}/tags`, key, { tags: ['vip'] });
    expect(stranger).toMatchObject({ status: 404, body: { error: { code: 'member_not_found' } } });
  });
});

describe('POST /v1/members', () => {
  it('takes a birthday as YYYY-MM-DD or YYYYMMDD, as a text to join does, and keeps it as YYYY-MM-DD', async () => {
    const { key } = await newShop();
    const created = await create(key, { phone: newPhone(), birthday: '19900501' });
    expect(created.status).toBe(201);
    expect(created.body.member.birthday).toBe('1990-05-01');
    const changed = await patch(key, created.body.member.phone, { birthday: '1991-06-02' });
    expect(changed.body.member.birthday).toBe('1991-06-02');
  });

  it('creates a member with a profile, normalises the phone and publishes member.registered', async () => {
    const { key } = await newShop();
    const phone = newPhone();
    const local = `${phone.slice(3, 6)} ${phone.slice(6, 10)} ${phone.slice(10)}`;
    const created = await create(key, {
      phone: local,
      name: ' 张三 ',
      gender: 'female',
      birthday: '1990-05-01',
      city: '杭州',
      tags: ['vip', 'coffee', 'vip'],
      attributes: { shoeSize: 37, newsletter: true },
    });
    expect(created.status).toBe(201);
    expect(created.body.member).toEqual({
      memberId: expect.any(String),
      phone,
      name: '张三',
      gender: 'female',
      birthday: '1990-05-01',
      city: '杭州',
      tags: ['vip', 'coffee'],
      attributes: { shoeSize: 37, newsletter: true },
      joinedAt: expect.any(String),
      joinChannel: 'merchant-api',
      points: 0,
      storedValue: 0,
      spendByYear: {},
      tier: 'silver',
      earnedTier: 'silver',
    });
    expect((await read(key, phone)).body.member).toEqual(created.body.member);
    expect(await eventsOf('member.registered', created.body.member.memberId)).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ channel: 'merchant-api', joinedAt: created.body.member.joinedAt }),
      }),
    ]);
  });

  it('shows an opt-out the phone texted before it was added: consent is kept per phone', async () => {
    const { key, number } = await newShop();
    const phone = newPhone();
    const texted = await fetch(`${runtime.url}/local/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: phone, to: number, text: 'TD' }),
    });
    expect(texted.status).toBe(202);
    const created = await create(key, { phone });
    expect(created.body.member.marketing).toMatchObject({ status: 'unsubscribed', channel: 'sms-keyword' });
    // The confirmation is sent and its receipt lands before the next test looks at the tables.
    await local.replies(phone, 1);
  });

  it('refuses a phone that already is a member with 409 and changes nothing', async () => {
    const { key } = await newShop();
    const phone = newPhone();
    await create(key, { phone, name: '张三' });
    const before = await snapshot();
    const again = await create(key, { phone, name: '李四' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'member_exists' });
    expect(await snapshot()).toBe(before);
  });
});

describe('GET /v1/members', () => {
  let key: string;
  const phones: string[] = [];

  beforeAll(async () => {
    ({ key } = await newShop());
    for (const tags of [['vip'], [], ['vip', 'coffee'], ['coffee'], []]) {
      const phone = newPhone();
      phones.push(phone);
      expect((await create(key, { phone, tags })).status).toBe(201);
      // Join times a millisecond apart at least, so "newest first" has one answer.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });

  it('pages through the members newest first with an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await list(key, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      sizes.push(page.body.members.length);
      seen.push(...page.body.members.map((member: Body) => member.phone));
      cursor = page.body.cursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual([...phones].reverse());
    expect((await list(key)).body.members).toHaveLength(5);
  });

  it('filters by tag and by tier', async () => {
    const vips = await list(key, '?tag=vip');
    expect(vips.body.members.map((member: Body) => member.phone)).toEqual([phones[2], phones[0]]);
    expect((await list(key, '?tier=gold')).body).toEqual({ members: [] });
  });

  it("lists only the key's own merchant's members", async () => {
    const other = await newShop();
    expect((await list(other.key)).body).toEqual({ members: [] });
  });
});

describe('PATCH /v1/members/{phone}', () => {
  it('changes profile fields, merges attributes and leaves the points balance alone', async () => {
    const { key } = await newShop();
    const phone = newPhone();
    await create(key, { phone, name: '张三', tags: ['old'], attributes: { shoeSize: 37, vip: true } });
    const earned = await call('POST', `${memberPath(phone)}/points`, key, {
      points: 70,
      idempotencyKey: `order-${randomUUID()}`,
    });
    expect(earned.status).toBe(201);

    const changed = await patch(key, phone, {
      name: '张三丰',
      city: null,
      tags: ['new'],
      attributes: { vip: null, floor: '3F' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.member).toMatchObject({
      name: '张三丰',
      tags: ['new'],
      attributes: { shoeSize: 37, floor: '3F' },
      points: 70,
      updatedAt: expect.any(String),
    });
    expect((await read(key, phone)).body.member.points).toBe(70);
    expect(await eventsOf('member.updated', changed.body.member.memberId)).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ fields: ['name', 'city', 'tags', 'attributes'] }),
      }),
    ]);
  });
});

describe('DELETE /v1/members/{phone}', () => {
  it('soft-deletes: gone from the API and the list, answered the same twice', async () => {
    const { key } = await newShop();
    const [kept, gone] = [newPhone(), newPhone()];
    await create(key, { phone: kept });
    const { memberId } = (await create(key, { phone: gone })).body.member;

    const deleted = await remove(key, gone);
    expect(deleted).toMatchObject({
      status: 200,
      body: { member: { phone: gone, memberId, deletedAt: expect.any(String) } },
    });
    const before = await snapshot();
    expect(await remove(key, gone)).toEqual(deleted);
    expect(await snapshot()).toBe(before);

    const lookup = await read(key, gone);
    expect(lookup.status).toBe(404);
    expect(lookup.body.error).toMatchObject({ code: 'member_not_found' });
    expect(lookup.body.error.message).toContain('deleted');
    expect((await list(key)).body.members.map((member: Body) => member.phone)).toEqual([kept]);
    expect((await patch(key, gone, { name: 'x' })).status).toBe(404);
    expect(await snapshot()).toBe(before);
    // The deletion's event is written with it, once: a repeat deletes nothing and writes none.
    expect(await eventsOf('member.deleted', memberId)).toHaveLength(1);
  });
});

describe('a deleted member comes back', () => {
  it('by POST /v1/members/{phone}/restore, with points, tags and consent as they were', async () => {
    const { key } = await newShop();
    const phone = newPhone();
    await create(key, { phone, name: '孙七', tags: ['vip'] });
    await call('POST', `${memberPath(phone)}/points`, key, { points: 30, idempotencyKey: 'welcome' });
    await remove(key, phone);

    const restored = await call('POST', `${memberPath(phone)}/restore`, key);
    expect(restored.status).toBe(200);
    expect(restored.body.member).toMatchObject({ phone, name: '孙七', points: 30, tags: ['vip'] });
    expect(restored.body.member).not.toHaveProperty('deletedAt');
    // Never opted in: restoring is no consent.
    expect(restored.body.member.marketing).toBeUndefined();
    expect((await list(key, '?tag=vip')).body.members.map((member: Body) => member.phone)).toEqual([phone]);
    const { memberId } = restored.body.member;
    expect(await eventsOf('member.restored', memberId)).toHaveLength(1);
    // Again: a current member, nothing to restore.
    expect(await call('POST', `${memberPath(phone)}/restore`, key)).toMatchObject({ status: 200 });
    expect(await eventsOf('member.restored', memberId)).toHaveLength(1);
    expect((await call('POST', `${memberPath(newPhone())}/restore`, key)).status).toBe(404);
  });

  it('by joining again through the API or by text, keeping an earlier opt-out', async () => {
    const { key, number } = await newShop();
    const [byApi, byText] = [newPhone(), newPhone()];
    const { memberId } = (await create(key, { phone: byApi, name: '李四' })).body.member;
    await remove(key, byApi);
    const again = await create(key, {
      phone: byApi,
      name: '别名',
      marketingConsent: { source: '门店登记表' },
    });
    expect(again.status).toBe(200);
    expect(again.body.member).toMatchObject({ memberId, name: '李四', marketing: { status: 'subscribed' } });

    await local.sms(byText, '注册 王五', { to: number });
    await local.replies(byText, 1);
    await call('POST', `${memberPath(byText)}/points`, key, { points: 12, idempotencyKey: 'first' });
    await local.sms(byText, 'TD', { to: number });
    await local.replies(byText, 2);
    await remove(key, byText);
    await local.sms(byText, '注册', { to: number });
    const [, , welcomeBack] = await local.replies(byText, 3);
    expect(welcomeBack).toContain('欢迎回到');
    const member = (await read(key, byText)).body.member;
    expect(member).toMatchObject({ name: '王五', points: 12, marketing: { status: 'unsubscribed' } });
  });
});

describe('bad input gets a clear 4xx and changes nothing', () => {
  let key: string;
  let otherKey: string;
  let member: string;
  let cursorOfA: string;

  beforeAll(async () => {
    ({ key } = await newShop());
    ({ key: otherKey } = await newShop());
    member = newPhone();
    await create(key, { phone: member, name: '张三' });
    await create(key, { phone: newPhone() });
    cursorOfA = (await list(key, '?limit=1')).body.cursor;
  });

  const cases: [string, () => Promise<Reply>, number, string][] = [
    ['a phone that is a number', () => create(key, { phone: 13800138000 }), 400, 'phone'],
    ['no phone', () => create(key, { name: '张三' }), 400, 'phone is required'],
    ['a malformed phone', () => create(key, { phone: '12ab' }), 400, '"phone may contain only digits'],
    ['a landline', () => create(key, { phone: '+861012345678' }), 400, 'is not a mobile number'],
    ['a name that is a number', () => create(key, { phone: newPhone(), name: 5 }), 400, 'name'],
    [
      'a name with half a surrogate pair',
      () => create(key, { phone: newPhone(), name: '张\uD83D' }),
      400,
      'name has a broken character',
    ],
    [
      'a name with a control character',
      () => create(key, { phone: newPhone(), name: '张\u001B三' }),
      400,
      'name may not contain control characters (line breaks, tabs …): found U+001B',
    ],
    ['tags that are not a list', () => create(key, { phone: newPhone(), tags: 'vip' }), 400, 'tags'],
    ['a tag with a comma', () => create(key, { phone: newPhone(), tags: ['a,b'] }), 400, 'may not contain'],
    ['an unknown gender', () => create(key, { phone: newPhone(), gender: 'f' }), 400, 'gender'],
    [
      'a birthday that is no calendar day',
      () => create(key, { phone: newPhone(), birthday: '1990-02-30' }),
      400,
      'birthday: a real date as YYYY-MM-DD or YYYYMMDD',
    ],
    [
      'a birthday that is no date',
      () => create(key, { phone: newPhone(), birthday: 'May 1' }),
      400,
      'birthday: a real date',
    ],
    [
      'a birthday in the future',
      () => create(key, { phone: newPhone(), birthday: '29990101' }),
      400,
      'birthday: a past date after 1900',
    ],
    [
      'a bad attribute name',
      () => create(key, { phone: newPhone(), attributes: { '1st': 1 } }),
      400,
      'attribute names: a letter',
    ],
    [
      'an attribute that is an object',
      () => create(key, { phone: newPhone(), attributes: { size: { eu: 37 } } }),
      400,
      'attribute values',
    ],
    ['an unknown field', () => create(key, { phone: newPhone(), points: 100 }), 400, 'points'],
    ['a body that is not JSON', () => create(key, '{"phone":'), 400, 'not valid JSON'],
    [
      'an oversized body',
      () => create(key, { phone: newPhone(), name: 'x'.repeat(20_000) }),
      413,
      'limit is',
    ],
    ['a phone that already is a member', () => create(key, { phone: member }), 409, 'already a member'],
    ['an empty patch', () => patch(key, member, {}), 400, 'send at least one field to change'],
    ['a patch of the points balance', () => patch(key, member, { points: 1000 }), 400, 'points'],
    ['a patch with a bad birthday', () => patch(key, member, { birthday: '1990-13-01' }), 400, 'birthday'],
    ['a patch clearing tags with null', () => patch(key, member, { tags: null }), 400, 'tags'],
    ['a patch without a body', () => patch(key, member, ''), 400, 'needs a JSON body'],
    ['a patch of a malformed phone', () => patch(key, '12ab', { name: 'x' }), 400, 'phone may contain'],
    [
      'a patch of a phone that is not a member',
      () => patch(key, newPhone(), { name: 'x' }),
      404,
      'not a member',
    ],
    ['a delete of a phone that is not a member', () => remove(key, newPhone()), 404, 'not a member'],
    ["another merchant's key reading the member", () => read(otherKey, member), 404, 'not a member'],
    [
      "another merchant's key patching the member",
      () => patch(otherKey, member, { name: 'x' }),
      404,
      'not a member',
    ],
    ["another merchant's key deleting the member", () => remove(otherKey, member), 404, 'not a member'],
    ["another merchant's cursor", () => list(otherKey, `?cursor=${cursorOfA}`), 400, 'invalid_cursor'],
    ['a cursor that is not one', () => list(key, '?cursor=abc'), 400, 'invalid_cursor'],
    ['a limit of 0', () => list(key, '?limit=0'), 400, 'limit: at least 1'],
    ['a limit of 101', () => list(key, '?limit=101'), 400, 'limit: at most 100'],
    ['a limit that is not a number', () => list(key, '?limit=ten'), 400, 'limit: a whole number'],
    ['an unknown query parameter', () => list(key, '?name=x'), 400, 'name'],
  ];

  it.each(cases.map(([name, ...rest]) => [`${name} → ${rest[1]}`, ...rest] as const))(
    '%s',
    async (_name, request, status, reason) => {
      const before = await snapshot();
      const response = await request();
      expect(response.status).toBe(status);
      expect(JSON.stringify(response.body.error)).toContain(reason);
      // Each field is named once: `birthday: …`, never `birthday: birthday: …`.
      expect(response.body.error.message).not.toMatch(/(^|; )([\w.]+): \2\b/);
      expect(await snapshot()).toBe(before);
    },
  );
});
