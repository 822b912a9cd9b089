import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { MarketingConsent, MemberInput as Member } from '../../../shared/schemas/member';
import { InvalidCursorError, memberKey, membersStore, newMemberItem } from '../../../shared/store/members';
import { tiersStore } from '../../../shared/store/tiers';
import { newPhone, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));

const member = (merchantId: string, phone: string): Member => ({
  merchantId,
  memberId: `mem-${phone}`,
  phone,
  name: '张三',
  joinedAt: '2026-11-23T01:00:00.000Z',
  joinChannel: 'sms',
  joinRef: 'msg-1',
  points: 0,
});

const consent = (status: MarketingConsent['status'], ref: string): MarketingConsent => ({
  status,
  changedAt: '2026-11-23T02:00:00.000Z',
  channel: 'sms-keyword',
  source: status === 'unsubscribed' ? 'TD' : '订阅',
  ref,
});

describe('members store', () => {
  it('registers a phone once per merchant; the same phone is a separate member at another merchant', async () => {
    const phone = newPhone();
    expect(await members.register(member('shop-a', phone))).toBe(true);
    expect(await members.register({ ...member('shop-a', phone), name: '李四' })).toBe(false);
    expect((await members.contact('shop-a', phone)).member?.name).toBe('张三');
    expect(await members.contact('shop-b', phone)).toEqual({});
    expect(await members.register(member('shop-b', phone))).toBe(true);
  });

  it('keeps consent per phone, for members and for phones that never joined', async () => {
    const phone = newPhone();
    expect(await members.recordMarketingConsent('shop-c', phone, consent('unsubscribed', 'msg-2'))).toBe(
      'recorded',
    );
    expect(await members.recordMarketingConsent('shop-c', phone, consent('unsubscribed', 'msg-3'))).toBe(
      'unchanged',
    );
    expect(await members.contact('shop-c', phone)).toEqual({ marketing: consent('unsubscribed', 'msg-2') });

    await members.register(member('shop-c', phone));
    const contact = await members.contact('shop-c', phone);
    expect(contact.member?.phone).toBe(phone);
    expect(contact.marketing?.status).toBe('unsubscribed');

    expect(await members.recordMarketingConsent('shop-c', phone, consent('subscribed', 'msg-4'))).toBe(
      'recorded',
    );
    expect((await members.contact('shop-c', phone)).marketing?.status).toBe('subscribed');
  });
});

const shop = () => `shop-${randomUUID().slice(0, 8)}`;
const at = new Date('2026-12-01T08:00:00.000Z');

/** The raw item, keys and all, to check what a write left on it. */
async function rawItem(merchantId: string, phone: string) {
  const { Item } = await env
    .dynamo()
    .send(new GetCommand({ TableName: env.table('members'), Key: memberKey(merchantId, phone) }));
  return Item;
}

/** Every member of a list, page by page, and the size of each page. */
async function everyPage(merchantId: string, options: { limit?: number; tag?: string; tier?: string }) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await members.list(merchantId, { ...options, cursor });
    pages.push(page.members.map((m) => m.phone));
    cursor = page.cursor;
  } while (cursor);
  return pages;
}

describe('creating members', () => {
  it('creates once, and writes the keys of the merchant list and the member-id index', async () => {
    const merchantId = shop();
    const phone = newPhone();
    expect(await members.create(member(merchantId, phone))).toEqual({ status: 'created' });
    expect(await members.create({ ...member(merchantId, phone), name: '李四' })).toEqual({
      status: 'exists',
    });
    expect(await rawItem(merchantId, phone)).toMatchObject({
      listPk: merchantId,
      listSk: `2026-11-23T01:00:00.000Z#mem-${phone}`,
      idPk: `${merchantId}#mem-${phone}`,
    });
    expect((await members.byMemberId(merchantId, `mem-${phone}`))?.name).toBe('张三');
    expect(await members.byMemberId(shop(), `mem-${phone}`)).toBeUndefined();
  });

  it('restores a deleted member who joins again: history, balance and tags back; consent as it was', async () => {
    const merchantId = shop();
    const phone = newPhone();
    await members.create({ ...member(merchantId, phone), points: 70, tags: ['vip'] });
    await members.recordMarketingConsent(merchantId, phone, consent('unsubscribed', 'msg-td'));
    await members.softDelete(merchantId, phone, at);
    expect((await members.list(merchantId, { tag: 'vip' })).members).toEqual([]);

    const again = await members.create(
      { ...member(merchantId, phone), memberId: 'someone-new', name: '新名字' },
      consent('subscribed', 'msg-join'),
    );
    expect(again).toMatchObject({
      status: 'restored',
      consent: 'unchanged',
      member: { memberId: `mem-${phone}`, name: '张三', points: 70, tags: ['vip'] },
    });
    expect(again.status === 'restored' && again.member.deletedAt).toBeUndefined();
    expect((await members.contact(merchantId, phone)).marketing?.status).toBe('unsubscribed');
    expect((await members.list(merchantId)).members.map((m) => m.phone)).toEqual([phone]);
    expect((await members.list(merchantId, { tag: 'vip' })).members.map((m) => m.phone)).toEqual([phone]);
    expect(await members.create(member(merchantId, phone))).toEqual({ status: 'exists' });
  });

  it('restores only a deleted member, and only once', async () => {
    const merchantId = shop();
    const phone = newPhone();
    expect(await members.restore(merchantId, phone, at)).toEqual({ status: 'no-member' });
    await members.create({ ...member(merchantId, phone), tier: 'gold' });
    expect(await members.restore(merchantId, phone, at)).toMatchObject({ status: 'current' });
    await members.softDelete(merchantId, phone, at);
    expect((await members.list(merchantId, { tier: 'gold' })).members).toEqual([]);
    const later = new Date(at.getTime() + 60_000);
    expect(await members.restore(merchantId, phone, later)).toMatchObject({
      status: 'restored',
      member: { updatedAt: later.toISOString() },
    });
    expect(await members.restore(merchantId, phone, later)).toMatchObject({ status: 'current' });
    expect((await members.list(merchantId, { tier: 'gold' })).members.map((m) => m.phone)).toEqual([phone]);
  });
});

describe('updating profiles', () => {
  it('changes profile fields and leaves balances, tier and join data as they were', async () => {
    const merchantId = shop();
    const phone = newPhone();
    await members.register({
      ...member(merchantId, phone),
      points: 70,
      storedValue: 500,
      spendByYear: { '2025': 12_000 },
      tier: 'gold',
      tags: ['old'],
      attributes: { shoeSize: 42, vip: true },
    });
    const outcome = await members.update(
      merchantId,
      phone,
      { name: '张三丰', city: 'Hangzhou', tags: ['new', 'coffee'], attributes: { vip: null, floor: '3F' } },
      at,
    );
    expect(outcome).toMatchObject({ status: 'updated', member: { name: '张三丰', points: 70 } });
    expect((await members.contact(merchantId, phone)).member).toEqual({
      ...member(merchantId, phone),
      name: '张三丰',
      city: 'Hangzhou',
      points: 70,
      pointsConsumed: 0,
      storedValue: 500,
      spendByYear: { '2025': 12_000 },
      tier: 'gold',
      tags: ['new', 'coffee'],
      attributes: { shoeSize: 42, floor: '3F' },
      updatedAt: at.toISOString(),
    });
  });

  it('never overwrites a balance the ledger changed after the profile was read', async () => {
    const merchantId = shop();
    const phone = newPhone();
    await members.register({ ...member(merchantId, phone), points: 70 });
    // The ledger's own kind of write, landing between two profile updates.
    await members.update(merchantId, phone, { name: 'A' }, at);
    await env.dynamo().send(
      new UpdateCommand({
        TableName: env.table('members'),
        Key: memberKey(merchantId, phone),
        UpdateExpression: 'ADD points :p',
        ExpressionAttributeValues: { ':p': 30 },
      }),
    );
    await members.update(merchantId, phone, { name: 'B', gender: 'female' }, at);
    expect((await members.contact(merchantId, phone)).member).toMatchObject({ name: 'B', points: 100 });
  });

  it('clears a field sent as null', async () => {
    const merchantId = shop();
    const phone = newPhone();
    await members.register({ ...member(merchantId, phone), birthday: '1990-05-01', city: 'Beijing' });
    await members.update(merchantId, phone, { birthday: null, city: null }, at);
    const { member: updated } = await members.contact(merchantId, phone);
    expect(updated?.birthday).toBeUndefined();
    expect(updated?.city).toBeUndefined();
    expect(updated?.name).toBe('张三');
  });

  it('gives a member written before custom attributes their first attributes', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const {
      tags: _tags,
      attributes: _attributes,
      ...old
    } = { ...member(merchantId, phone), tags: [], attributes: {} };
    await env.dynamo().send(
      new PutCommand({
        TableName: env.table('members'),
        Item: { ...memberKey(merchantId, phone), ...old },
      }),
    );
    await members.update(merchantId, phone, { attributes: { vip: true, gone: null } }, at);
    expect((await members.contact(merchantId, phone)).member?.attributes).toEqual({ vip: true });
  });

  it('refuses a patch that would take a member over 50 custom attributes', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const attributes = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`a${i}`, i]));
    await members.register({ ...member(merchantId, phone), attributes });
    expect(await members.update(merchantId, phone, { attributes: { x: 1, y: 2 } }, at)).toEqual({
      status: 'too-many-attributes',
      reason: 'the member would have 51 custom attributes; at most 50',
    });
    // Removing one while adding two stays within the cap.
    const outcome = await members.update(merchantId, phone, { attributes: { a0: null, x: 1, y: 2 } }, at);
    expect(outcome.status === 'updated' && Object.keys(outcome.member.attributes)).toHaveLength(50);
    expect((await members.update(merchantId, phone, { attributes: { z: 1 } }, at)).status).toBe(
      'too-many-attributes',
    );
  });

  it('keeps the cap when two patches add attributes at the same time', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const attributes = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`a${i}`, i]));
    await members.register({ ...member(merchantId, phone), attributes });
    const outcomes = await Promise.all([
      members.update(merchantId, phone, { attributes: { x: 1 } }, at),
      members.update(merchantId, phone, { attributes: { y: 1 } }, at),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['too-many-attributes', 'updated']);
    expect(Object.keys((await members.contact(merchantId, phone)).member?.attributes ?? {})).toHaveLength(50);
  });

  it('answers no-member for a phone that is not a member and deleted for a deleted one', async () => {
    const merchantId = shop();
    const phone = newPhone();
    expect(await members.update(merchantId, phone, { name: 'x' }, at)).toEqual({ status: 'no-member' });
    await members.register(member(merchantId, phone));
    await members.softDelete(merchantId, phone, at);
    const before = await rawItem(merchantId, phone);
    expect(await members.update(merchantId, phone, { name: 'x' }, new Date())).toEqual({
      status: 'deleted',
      deletedAt: at.toISOString(),
    });
    expect(await rawItem(merchantId, phone)).toEqual(before);
  });
});

describe('listing members', () => {
  it('pages through 120 members 50 at a time, newest first, each member once', async () => {
    const merchantId = shop();
    const phones = Array.from({ length: 120 }, () => newPhone());
    await Promise.all(
      phones.map((phone, i) =>
        members.register({
          ...member(merchantId, phone),
          joinedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        }),
      ),
    );
    const pages = await everyPage(merchantId, { limit: 50 });
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual([...phones].reverse());
    expect((await members.list(merchantId)).members).toHaveLength(50);
  });

  it('filters by tag and by tier, both at once too, each page full and a cursor only when more follow', async () => {
    const merchantId = shop();
    const phones = Array.from({ length: 10 }, () => newPhone());
    for (const [i, phone] of phones.entries()) {
      await members.register({
        ...member(merchantId, phone),
        joinedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        tags: i % 3 === 0 ? ['vip', 'coffee'] : ['coffee'],
        tier: i < 4 ? 'gold' : undefined,
      });
    }
    const vips = [phones[9], phones[6], phones[3], phones[0]];
    expect((await members.list(merchantId, { tag: 'vip' })).members.map((m) => m.phone)).toEqual(vips);
    expect(await everyPage(merchantId, { tag: 'vip', limit: 4 })).toEqual([vips]);
    expect(await everyPage(merchantId, { tag: 'vip', limit: 3 })).toEqual([vips.slice(0, 3), vips.slice(3)]);
    expect((await members.list(merchantId, { tier: 'gold' })).members.map((m) => m.phone)).toEqual(
      phones.slice(0, 4).reverse(),
    );
    expect(await everyPage(merchantId, { tier: 'gold', tag: 'vip', limit: 1 })).toEqual([
      [phones[3]],
      [phones[0]],
    ]);
    expect((await members.list(merchantId, { tag: 'vi' })).members).toEqual([]);
    expect(await everyPage(merchantId, { limit: 10 })).toEqual([[...phones].reverse()]);
  });

  it('pages 1,000 members with 12 tagged and 12 in a tier, spread out: 5, 5, 2, then no cursor', async () => {
    const merchantId = shop();
    const phones = Array.from({ length: 1000 }, () => newPhone());
    const picked = new Set(Array.from({ length: 12 }, (_, i) => i * 83 + 7));
    const items = phones.map((phone, i) =>
      newMemberItem({
        ...member(merchantId, phone),
        joinedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        tags: picked.has(i) ? ['vip'] : [],
        tier: picked.has(i) ? 'gold' : 'silver',
      }),
    );
    const writes = items.flatMap(({ item, tagItems }) => [item, ...tagItems]);
    const batches = Array.from({ length: Math.ceil(writes.length / 25) }, (_, b) =>
      writes.slice(b * 25, b * 25 + 25),
    );
    // Eight batches in flight at a time: the members are the setting, not what is measured.
    for (let i = 0; i < batches.length; i += 8) {
      await Promise.all(
        batches.slice(i, i + 8).map((batch) =>
          env.dynamo().send(
            new BatchWriteCommand({
              RequestItems: { [env.table('members')]: batch.map((Item) => ({ PutRequest: { Item } })) },
            }),
          ),
        ),
      );
    }
    const expected = phones.filter((_, i) => picked.has(i)).reverse();
    for (const filter of [{ tag: 'vip' }, { tier: 'gold' }]) {
      const pages = await everyPage(merchantId, { ...filter, limit: 5 });
      expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
      expect(pages.flat()).toEqual(expected);
    }
  }, 60_000);

  it('keeps the tag and tier lists right through a patch, a tier change, a delete and a restore', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const list = async (filter: { tag?: string; tier?: string }) =>
      (await members.list(merchantId, filter)).members.map((m) => m.phone);
    await members.create({ ...member(merchantId, phone), tags: ['vip', 'coffee'], tier: 'silver' });
    await members.update(merchantId, phone, { tags: ['coffee', 'tea'] }, at);
    expect([await list({ tag: 'vip' }), await list({ tag: 'coffee' }), await list({ tag: 'tea' })]).toEqual([
      [],
      [phone],
      [phone],
    ]);
    const current = (await members.contact(merchantId, phone)).member;
    if (!current) throw new Error('no member');
    expect(
      await tiersStore(env.dynamo(), env.table('members')).set(
        current,
        { tier: 'gold', earnedTier: 'gold' },
        at,
      ),
    ).toBe(true);
    expect([await list({ tier: 'silver' }), await list({ tier: 'gold' })]).toEqual([[], [phone]]);
    await members.softDelete(merchantId, phone, at);
    expect([await list({ tag: 'tea' }), await list({ tier: 'gold' })]).toEqual([[], []]);
    await members.restore(merchantId, phone, at);
    expect([await list({ tag: 'tea' }), await list({ tier: 'gold' })]).toEqual([[phone], [phone]]);
  });

  it("refuses a cursor from another merchant's list, and a malformed one", async () => {
    const [a, b] = [shop(), shop()];
    for (const merchantId of [a, b]) {
      for (let i = 0; i < 3; i++) await members.register(member(merchantId, newPhone()));
    }
    const { cursor } = await members.list(a, { limit: 1 });
    expect(cursor).toBeDefined();
    await expect(members.list(b, { cursor })).rejects.toThrow(InvalidCursorError);
    for (const bad of ['not-a-cursor', Buffer.from('[1,2]').toString('base64url'), '%%%']) {
      await expect(members.list(a, { cursor: bad })).rejects.toThrow(InvalidCursorError);
    }
    const forged = JSON.parse(Buffer.from(cursor ?? '', 'base64url').toString());
    const intoB = Buffer.from(JSON.stringify({ ...forged, listPk: b })).toString('base64url');
    await expect(members.list(b, { cursor: intoB })).rejects.toThrow(InvalidCursorError);
    const elsewhereInA = Buffer.from(
      JSON.stringify({ ...forged, pk: `${a}#+8613900000000`, listSk: '2000-01-01T00:00:00.000Z#x' }),
    ).toString('base64url');
    expect((await members.list(a, { cursor: elsewhereInA })).members).toEqual([]);
    expect((await members.list(a, { cursor })).members).toHaveLength(2);
  });
});

describe('changing tags', () => {
  const phones = async (merchantId: string, tag: string) =>
    (await members.list(merchantId, { tag })).members.map((m) => m.phone);

  it('adds to and removes from the tags as written, and answers what it did', async () => {
    const merchantId = shop();
    const phone = newPhone();
    expect(await members.changeTags(merchantId, phone, { add: ['vip'] }, at)).toEqual({
      status: 'no-member',
    });
    await members.create({ ...member(merchantId, phone), tags: ['coffee', 'tea'] });
    expect(await members.changeTags(merchantId, phone, { add: ['vip', 'coffee'] }, at)).toEqual({
      status: 'updated',
    });
    expect(await members.changeTags(merchantId, phone, { add: ['vip'], remove: ['never'] }, at)).toEqual({
      status: 'unchanged',
    });
    await members.changeTags(merchantId, phone, { remove: ['coffee'] }, at);
    expect((await members.contact(merchantId, phone)).member).toMatchObject({
      tags: ['tea', 'vip'],
      updatedAt: at.toISOString(),
    });
    // Both at once: a tag sent to add and to remove is removed.
    await members.changeTags(merchantId, phone, { add: ['lunch', 'tea'], remove: ['tea', 'vip'] }, at);
    expect((await members.contact(merchantId, phone)).member?.tags).toEqual(['lunch']);
    expect([await phones(merchantId, 'lunch'), await phones(merchantId, 'tea')]).toEqual([[phone], []]);
    await members.softDelete(merchantId, phone, at);
    expect(await members.changeTags(merchantId, phone, { add: ['vip'] }, at)).toEqual({
      status: 'deleted',
      deletedAt: at.toISOString(),
    });
  });

  it('tags a member written before tags existed, and untags one whose old list holds a tag twice', async () => {
    const merchantId = shop();
    const [untagged, twice] = [newPhone(), newPhone()];
    const { tags: _tags, ...old } = newMemberItem(member(merchantId, untagged)).item;
    await env.dynamo().send(new PutCommand({ TableName: env.table('members'), Item: old }));
    expect((await rawItem(merchantId, untagged))?.tags).toBeUndefined();
    await members.changeTags(merchantId, untagged, { add: ['vip'] }, at);
    expect((await members.contact(merchantId, untagged)).member?.tags).toEqual(['vip']);

    await members.create({ ...member(merchantId, twice), tags: ['vip', 'coffee'] });
    await env.dynamo().send(
      new UpdateCommand({
        TableName: env.table('members'),
        Key: memberKey(merchantId, twice),
        UpdateExpression: 'SET tags = :tags',
        ExpressionAttributeValues: { ':tags': ['vip', 'coffee', 'vip'] },
      }),
    );
    await members.changeTags(merchantId, twice, { remove: ['vip'] }, at);
    expect((await members.contact(merchantId, twice)).member?.tags).toEqual(['coffee']);
    expect(await phones(merchantId, 'vip')).toEqual([untagged]);
  });

  it('keeps a PATCH that leaves the tags as they were from undoing a tag added meanwhile', async () => {
    const merchantId = shop();
    const phone = newPhone();
    await members.create({ ...member(merchantId, phone), tags: ['coffee'] });
    const outcomes = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) =>
        members.update(merchantId, phone, { name: `名${i}`, tags: ['coffee'] }, at),
      ),
      members.changeTags(merchantId, phone, { add: ['vip'] }, at),
    ]);
    expect(outcomes.at(-1)).toEqual({ status: 'updated' });
    const tags = (await members.contact(merchantId, phone)).member?.tags ?? [];
    expect({ vip: await phones(merchantId, 'vip'), coffee: await phones(merchantId, 'coffee') }).toEqual({
      vip: tags.includes('vip') ? [phone] : [],
      coffee: [phone],
    });
  });
});

describe('deleting members', () => {
  it('drops the member from the list, keeps the item and its balance, and answers the same twice', async () => {
    const merchantId = shop();
    const [kept, gone] = [newPhone(), newPhone()];
    await members.register(member(merchantId, kept));
    await members.register({ ...member(merchantId, gone), points: 70 });

    const first = await members.softDelete(merchantId, gone, at);
    expect(first).toMatchObject({ status: 'deleted', deletedAt: at.toISOString() });
    const item = await rawItem(merchantId, gone);
    expect(await members.softDelete(merchantId, gone, new Date())).toEqual(first);
    expect(await rawItem(merchantId, gone)).toEqual(item);

    expect((await members.list(merchantId)).members.map((m) => m.phone)).toEqual([kept]);
    expect(item).not.toHaveProperty('listPk');
    expect((await members.contact(merchantId, gone)).member).toMatchObject({
      points: 70,
      deletedAt: at.toISOString(),
    });
    expect((await members.byMemberId(merchantId, `mem-${gone}`))?.deletedAt).toBe(at.toISOString());
    expect(await members.softDelete(merchantId, newPhone(), at)).toEqual({ status: 'no-member' });
  });
});
