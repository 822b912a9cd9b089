import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { MemberInput } from '../../../shared/schemas/member';
import { jobsStore } from '../../../shared/store/jobs';
import { type MembersStore, memberKey, membersStore, newMemberItem } from '../../../shared/store/members';
import { backfillMemberIndex, memberIndexBackfill } from '../../../shared/use-cases/member-index-backfill';
import { newPhone, testEnv } from '../../support';

/**
 * Members written before the tier and tag lists had indexes, as an existing deployment holds them:
 * no `filterPk` on the member item and no tag index items. The backfill gives them both, from a
 * checkpoint, and the filtered lists then find them a full page at a time.
 */
const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'));
const jobs = jobsStore(db, env.table('directory'));

const shop = () => `shop-${randomUUID().slice(0, 8)}`;
const at = new Date('2026-12-01T08:00:00.000Z');

const input = (merchantId: string, phone: string, i: number, extra: Partial<MemberInput>): MemberInput => ({
  merchantId,
  memberId: `mem-${phone}`,
  phone,
  name: `会员${i}`,
  joinedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  joinChannel: 'sms',
  joinRef: `msg-${i}`,
  points: 0,
  ...extra,
});

/** The member item as written before the indexes: every key but `filterPk`, and no tag index items. */
function oldItem(member: MemberInput): Record<string, unknown> {
  const { filterPk: _filterPk, ...item } = newMemberItem(member).item as Record<string, unknown>;
  return item;
}

async function putAll(items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25) {
    await db.send(
      new BatchWriteCommand({
        RequestItems: {
          [env.table('members')]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
}

async function rawItem(merchantId: string, phone: string) {
  const { Item } = await db.send(
    new GetCommand({
      TableName: env.table('members'),
      Key: memberKey(merchantId, phone),
      ConsistentRead: true,
    }),
  );
  return Item;
}

/** The phones of each page of a filtered list. */
async function pages(merchantId: string, filter: { tag?: string; tier?: string; limit: number }) {
  const found: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await members.list(merchantId, { ...filter, cursor });
    found.push(page.members.map((m) => m.phone));
    cursor = page.cursor;
  } while (cursor);
  return found;
}

/**
 * 60 members, newest last: 50 written the old way and 10 (every sixth) as members are written now;
 * every fifth is tagged `vip` (with `coffee`) and in `gold`, the rest in `silver`.
 */
async function merchantWithOldMembers() {
  const merchantId = shop();
  const phones = Array.from({ length: 60 }, () => newPhone());
  const inputs = phones.map((phone, i) =>
    input(merchantId, phone, i, {
      tags: i % 5 === 0 ? ['vip', 'coffee'] : [],
      tier: i % 5 === 0 ? 'gold' : 'silver',
    }),
  );
  const current = (i: number) => i % 6 === 0;
  await putAll(
    inputs.flatMap((member, i) => {
      if (!current(i)) return [oldItem(member)];
      const { item, tagItems } = newMemberItem(member);
      return [item, ...tagItems];
    }),
  );
  const newestFirst = (keep: (i: number) => boolean) => phones.filter((_, i) => keep(i)).reverse();
  return {
    merchantId,
    phones,
    old: phones.filter((_, i) => !current(i)),
    vips: newestFirst((i) => i % 5 === 0),
    silver: newestFirst((i) => i % 5 !== 0),
  };
}

describe('the member index backfill', () => {
  it('killed mid-walk and run again, indexes every old member once; filtered lists then come in full pages', async () => {
    const { merchantId, phones, old, vips, silver } = await merchantWithOldMembers();
    // Before: the filtered lists hold only the members written with index data.
    expect((await members.list(merchantId, { tag: 'vip' })).members.map((m) => m.phone)).toEqual(
      vips.filter((phone) => !old.includes(phone)),
    );
    const before = await rawItem(merchantId, old[0] as string);

    // Ten members a page; the third page's writes land, then the run dies before saving its cursor.
    let calls = 0;
    let written = 0;
    const dying: Pick<MembersStore, 'backfillIndex'> = {
      async backfillIndex(id, page) {
        const done = await members.backfillIndex(id, page);
        written += done.written;
        if (++calls === 3) throw new Error('Lambda killed');
        return done;
      },
    };
    const deps = { jobs, members: dying };
    const deadline = Date.now() + 60_000;
    await expect(backfillMemberIndex(merchantId, deadline, deps, 10)).rejects.toThrow('Lambda killed');
    const { job, version } = memberIndexBackfill;
    expect(await jobs.state(merchantId, job, version)).toMatchObject({ status: 'running', processed: 20 });

    expect(await backfillMemberIndex(merchantId, deadline, deps, 10)).toMatchObject({
      status: 'done',
      processed: 60,
    });
    // Each old member written once: the page walked again after the kill wrote nothing new.
    expect(written).toBe(old.length);
    const callsWhenDone = calls;
    expect(await backfillMemberIndex(merchantId, deadline, deps, 10)).toMatchObject({ status: 'done' });
    expect(calls).toBe(callsWhenDone);

    expect(await pages(merchantId, { tag: 'vip', limit: 5 })).toEqual([
      vips.slice(0, 5),
      vips.slice(5, 10),
      vips.slice(10),
    ]);
    expect((await pages(merchantId, { tag: 'coffee', limit: 12 })).flat()).toEqual(vips);
    expect(await pages(merchantId, { tier: 'gold', limit: 5 })).toEqual([
      vips.slice(0, 5),
      vips.slice(5, 10),
      vips.slice(10),
    ]);
    expect((await pages(merchantId, { tier: 'silver', limit: 20 })).map((page) => page.length)).toEqual([
      20, 20, 8,
    ]);
    expect((await pages(merchantId, { tier: 'silver', limit: 20 })).flat()).toEqual(silver);
    expect(await pages(merchantId, { tier: 'gold', tag: 'vip', limit: 4 })).toEqual([
      vips.slice(0, 4),
      vips.slice(4, 8),
      vips.slice(8),
    ]);
    expect((await members.list(merchantId, { limit: 100 })).members).toHaveLength(phones.length);
    // Nothing else on the member (the second one, in silver) changed: not even `updatedAt`.
    expect(await rawItem(merchantId, old[0] as string)).toEqual({
      ...before,
      filterPk: `${merchantId}#tier#silver`,
    });
  });

  it('writes nothing on a page already indexed, and leaves the tag lists agreeing with tags changed at the same time', async () => {
    const merchantId = shop();
    const phones = Array.from({ length: 20 }, () => newPhone());
    await putAll(phones.map((phone, i) => oldItem(input(merchantId, phone, i, { tags: ['a', 'c'] }))));
    const [page] = await Promise.all([
      members.backfillIndex(merchantId, { limit: 50 }),
      ...phones.map((phone, i) =>
        members.changeTags(merchantId, phone, i % 2 ? { add: ['b'] } : { remove: ['a'] }, at),
      ),
    ]);
    expect(page).toMatchObject({ members: 20 });
    for (const tag of ['a', 'b', 'c']) {
      const tagged = new Set((await pages(merchantId, { tag, limit: 100 })).flat());
      for (const phone of phones) {
        const tags = (await members.contact(merchantId, phone)).member?.tags ?? [];
        expect({ phone, tag, listed: tagged.has(phone) }).toEqual({ phone, tag, listed: tags.includes(tag) });
      }
    }
    expect(await members.backfillIndex(merchantId, { limit: 50 })).toEqual({ members: 20, written: 0 });
  });

  it('leaves deleted members to their restore, which brings back their tier and tag lists', async () => {
    const merchantId = shop();
    const phone = newPhone();
    const {
      listPk: _pk,
      listSk: _sk,
      ...deleted
    } = oldItem(input(merchantId, phone, 0, { tags: ['vip'], tier: 'gold' }));
    await putAll([{ ...deleted, deletedAt: at.toISOString() }]);
    expect(await backfillMemberIndex(merchantId, Date.now() + 60_000, { jobs, members })).toMatchObject({
      status: 'done',
      processed: 0,
    });
    expect((await members.restore(merchantId, phone, at)).status).toBe('restored');
    expect(await pages(merchantId, { tier: 'gold', limit: 5 })).toEqual([[phone]]);
    expect(await pages(merchantId, { tag: 'vip', limit: 5 })).toEqual([[phone]]);
  });
});
