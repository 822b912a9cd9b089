import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Posting, soonestExpiring } from '../../../shared/domain/ledger';
import type { MemberInput } from '../../../shared/schemas/member';
import { type LedgerStore, ledgerStore, type MemberRef } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));
const ledger: LedgerStore = ledgerStore(env.dynamo(), env.table('ledger'), env.table('members'));
let merchantId: string;

beforeAll(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

async function newMember(): Promise<MemberRef> {
  const member: MemberInput = {
    merchantId,
    memberId: `mem-${randomUUID()}`,
    phone: newPhone(),
    joinedAt: new Date().toISOString(),
    joinChannel: 'merchant-api',
    joinRef: 'test',
    points: 0,
  };
  expect(await members.register(member)).toBe(true);
  return { memberId: member.memberId, phone: member.phone };
}

const at = new Date('2026-11-23T02:00:00Z');
const post = (member: MemberRef, posting: Posting, idempotencyKey: string) =>
  ledger.post({ merchantId, member, posting, idempotencyKey, at, year: '2026' });
const earn = (points: number, expiresOn?: string): Posting => ({
  book: 'points',
  type: 'earn',
  delta: points,
  ...(expiresOn ? { expiresOn } : {}),
});
const redeem = (points: number): Posting => ({ book: 'points', type: 'redeem', delta: -points });

async function entries(member: MemberRef) {
  const { Items = [] } = await env.dynamo().send(
    new QueryCommand({
      TableName: env.table('ledger'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': `${merchantId}#${member.memberId}`, ':entry': 'ENTRY#' },
      ConsistentRead: true,
    }),
  );
  return Items;
}

async function books(member: MemberRef) {
  const item = (await members.contact(merchantId, member.phone)).member;
  return { points: item?.points, storedValue: item?.storedValue };
}

/** Balances as the sum of the entries of each book. */
async function sums(member: MemberRef) {
  const rows = await entries(member);
  const sum = (book: string) => rows.filter((r) => r.book === book).reduce((total, r) => total + r.delta, 0);
  return { points: sum('points'), storedValue: sum('storedValue') };
}

describe('ledger store: postings', () => {
  it('writes one entry per operation and keeps each balance equal to its entries', async () => {
    const member = await newMember();
    expect(await post(member, { ...earn(120), purchaseCents: 12_000 }, 'order-1')).toMatchObject({
      status: 'applied',
      entry: { book: 'points', type: 'earn', delta: 120, purchaseCents: 12_000 },
      balances: { points: 120, storedValue: 0 },
    });
    await post(member, redeem(20), 'redeem-1');
    await post(member, { book: 'points', type: 'adjust', delta: -30, reason: 'correction' }, 'adjust-1');
    await post(member, { book: 'storedValue', type: 'top-up', delta: 50_000 }, 'topup-1');
    await post(member, { book: 'storedValue', type: 'spend', delta: -3_800 }, 'spend-1');
    expect(await books(member)).toEqual({ points: 70, storedValue: 46_200 });
    expect(await sums(member)).toEqual({ points: 70, storedValue: 46_200 });
    expect((await members.contact(merchantId, member.phone)).member?.spendByYear).toEqual({ '2026': 12_000 });
  });

  it('refuses a debit beyond the balance, in either book, and writes nothing', async () => {
    const member = await newMember();
    await post(member, earn(50), 'e-1');
    expect(await post(member, redeem(51), 'r-1')).toEqual({ status: 'insufficient', balance: 50 });
    expect(await post(member, { book: 'storedValue', type: 'spend', delta: -1 }, 's-1')).toEqual({
      status: 'insufficient',
      balance: 0,
    });
    expect(await entries(member)).toHaveLength(1);
    // The refused key was not spent: the same operation can succeed later.
    await post(member, earn(10), 'e-2');
    expect(await post(member, redeem(51), 'r-1')).toMatchObject({
      status: 'applied',
      balances: { points: 9 },
    });
  });

  it('answers a retry with the first entry and refuses the key for another operation', async () => {
    const member = await newMember();
    const first = await post(member, earn(50), 'order-2');
    expect(await post(member, earn(50), 'order-2')).toEqual({ ...first, status: 'replayed' });
    expect(await post(member, earn(51), 'order-2')).toEqual({ status: 'conflict' });
    expect(await post(await newMember(), earn(50), 'order-2')).toEqual({ status: 'conflict' });
    expect(await entries(member)).toHaveLength(1);
  });

  it('writes nothing for a member that does not exist', async () => {
    const ghost = { memberId: 'ghost', phone: newPhone() };
    expect(await post(ghost, earn(10), 'ghost-1')).toEqual({ status: 'no-member' });
    expect(await entries(ghost)).toHaveLength(0);
  });

  it('pages the history newest first and refuses a cursor from another member', async () => {
    const member = await newMember();
    for (let i = 1; i <= 5; i++) {
      await ledger.post({
        merchantId,
        member,
        posting: earn(i),
        idempotencyKey: `h-${i}`,
        at: new Date(at.getTime() + i),
        year: '2026',
      });
    }
    const first = await ledger.history(merchantId, member.memberId, { limit: 3 });
    expect(first.entries.map((e) => e.delta)).toEqual([5, 4, 3]);
    const second = await ledger.history(merchantId, member.memberId, { limit: 3, cursor: first.cursor });
    expect(second.entries.map((e) => e.delta)).toEqual([2, 1]);
    const other = await newMember();
    await expect(
      ledger.history(merchantId, other.memberId, { limit: 3, cursor: first.cursor }),
    ).rejects.toThrow('not one this listing gave out');
  });
});

describe('ledger store: points expiry', () => {
  it('redeems the soonest-expiring points first and expires only what is left of due lots', async () => {
    const member = await newMember();
    await post(member, earn(100, '2026-12-31'), 'lot-a');
    await post(member, earn(50, '2027-12-31'), 'lot-b');
    await post(member, redeem(30), 'use-1');
    expect(soonestExpiring(await ledger.lots(merchantId, member.memberId), 30, '2026-11-23')).toEqual({
      expiresOn: '2026-12-31',
      points: 70,
    });

    const due = await ledger.dueForExpiry(merchantId, '2027-01-01', 100);
    expect(due.members).toContainEqual(member);
    const expired = await ledger.expire({
      merchantId,
      member,
      through: '2026-12-31',
      idempotencyKey: `expire:${member.memberId}:2026-12-31`,
      at,
      year: '2027',
    });
    expect(expired).toMatchObject({
      status: 'applied',
      entry: { type: 'expire', delta: -70 },
      balances: { points: 50 },
    });

    // Expired lots leave the index; running the job again changes nothing.
    expect((await ledger.dueForExpiry(merchantId, '2027-01-01', 100)).members).not.toContainEqual(member);
    const again = await ledger.expire({
      merchantId,
      member,
      through: '2026-12-31',
      idempotencyKey: `expire:${member.memberId}:2026-12-31`,
      at,
      year: '2027',
    });
    expect(again).toEqual({ status: 'nothing' });
    expect(await entries(member)).toHaveLength(4);
    expect(await sums(member)).toEqual({ points: 50, storedValue: 0 });
  });

  it('expires nothing when the due points were all used', async () => {
    const member = await newMember();
    await post(member, earn(40, '2026-12-31'), 'lot-c');
    await post(member, redeem(40), 'use-2');
    const result = await ledger.expire({
      merchantId,
      member,
      through: '2026-12-31',
      idempotencyKey: 'expire-c',
      at,
      year: '2027',
    });
    expect(result).toEqual({ status: 'nothing' });
    expect((await ledger.dueForExpiry(merchantId, '2027-01-01', 100)).members).not.toContainEqual(member);
  });
});

describe('ledger store: properties', () => {
  const operation = fc.record({
    kind: fc.constantFrom('earn', 'redeem', 'adjust', 'expire', 'top-up', 'spend'),
    amount: fc.integer({ min: 1, max: 500 }),
    negative: fc.boolean(),
    /** A small key space makes repeated keys (retries and clashes) common. */
    key: fc.integer({ min: 0, max: 14 }),
    lotYear: fc.constantFrom('2026', '2027'),
  });

  it('keeps balances equal to the entries, never negative, with repeated keys as no-ops', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (operations) => {
        const member = await newMember();
        const run = randomUUID().slice(0, 8);
        const firstUse = new Map<number, string>();
        for (const op of operations) {
          const key = `${run}-${op.key}`;
          const outcome =
            op.kind === 'expire'
              ? await ledger.expire({
                  merchantId,
                  member,
                  through: '2026-12-31',
                  idempotencyKey: key,
                  at,
                  year: '2027',
                })
              : await post(member, postingOf(op), key);
          const fingerprint = JSON.stringify(op.kind === 'expire' ? 'expire' : postingOf(op));
          if (outcome.status === 'applied') firstUse.set(op.key, fingerprint);
          if (outcome.status === 'replayed') expect(firstUse.get(op.key)).toBe(fingerprint);
          const now = await books(member);
          expect(now.points).toBeGreaterThanOrEqual(0);
          expect(now.storedValue).toBeGreaterThanOrEqual(0);
        }
        expect(await books(member)).toEqual(await sums(member));
        // Each key was applied at most once.
        const keys = (await entries(member)).map((row) => row.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 12 },
    );
  });

  function postingOf(op: { kind: string; amount: number; negative: boolean; lotYear: string }): Posting {
    switch (op.kind) {
      case 'earn':
        return earn(op.amount, `${op.lotYear}-12-31`);
      case 'redeem':
        return redeem(op.amount);
      case 'adjust':
        return op.negative
          ? { book: 'points', type: 'adjust', delta: -op.amount, reason: 'test' }
          : {
              book: 'points',
              type: 'adjust',
              delta: op.amount,
              reason: 'test',
              expiresOn: `${op.lotYear}-12-31`,
            };
      case 'top-up':
        return { book: 'storedValue', type: 'top-up', delta: op.amount };
      default:
        return { book: 'storedValue', type: 'spend', delta: -op.amount };
    }
  }
});

describe('ledger store: concurrency', () => {
  it('200 concurrent operations on one member, with duplicates and overdrawing redemptions, lose no update', async () => {
    const member = await newMember();
    await post(member, earn(1_000), 'seed');
    const operations = Array.from({ length: 200 }, (_, i) => {
      if (i % 4 === 0) return () => post(member, redeem(40), `c-redeem-${i % 40}`); // repeats keys 0, 4, …
      if (i % 4 === 1) return () => post(member, earn(10), `c-earn-${i}`);
      if (i % 4 === 2)
        return () => post(member, { book: 'storedValue', type: 'top-up', delta: 100 }, `c-top-${i % 20}`);
      return () => post(member, { book: 'storedValue', type: 'spend', delta: -150 }, `c-spend-${i}`);
    });
    const outcomes = await Promise.all(operations.map((operation) => operation()));
    expect(outcomes.every((o) => ['applied', 'replayed', 'insufficient'].includes(o.status))).toBe(true);

    const rows = await entries(member);
    expect(await books(member)).toEqual(await sums(member));
    // Every distinct key was applied at most once; applied outcomes match the entries written.
    const keys = rows.map((row) => row.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(rows.length - 1);
    // 50 earns of 10 and 10 distinct redeem keys of 40 on 1,000 points: all redemptions fit.
    expect((await books(member)).points).toBe(1_000 + 500 - 400);
  }, 60_000);
});
