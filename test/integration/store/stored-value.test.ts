import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BonusSpendOrder, TopUpBonusRule } from '../../../shared/domain/top-up-bonus';
import { loyaltySettingsSchema, type Merchant } from '../../../shared/schemas/merchant';
import { type LedgerStore, ledgerStore, type MemberRef } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { topUpPostings } from '../../../shared/use-cases/top-up';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));
const ledger: LedgerStore = ledgerStore(
  env.dynamo(),
  env.table('ledger'),
  env.table('members'),
  env.table('outbox'),
);
let merchantId: string;

const rules: TopUpBonusRule[] = [
  { name: '充200送20', minCents: 20_000, bonusCents: 2_000 },
  { name: '充500送60', minCents: 50_000, bonusCents: 6_000, bonusPoints: 100 },
];
const merchantWith = (topUpBonuses: TopUpBonusRule[]) =>
  ({ merchantId, loyalty: loyaltySettingsSchema.parse({ topUpBonuses }) }) as Merchant;

beforeAll(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

async function newMember(): Promise<MemberRef> {
  const member = {
    merchantId,
    memberId: `mem-${randomUUID()}`,
    phone: newPhone(),
    joinedAt: new Date().toISOString(),
    joinChannel: 'merchant-api' as const,
    joinRef: 'test',
    points: 0,
  };
  expect(await members.register(member)).toBe(true);
  return { memberId: member.memberId, phone: member.phone };
}

const at = new Date('2026-12-08T02:00:00Z');
const today = '2026-12-08';
const topUp = (member: MemberRef, cents: number, key: string, topUpBonuses = rules) =>
  ledger.post({
    merchantId,
    member,
    ...topUpPostings({ merchant: merchantWith(topUpBonuses), cents, today }),
    idempotencyKey: `${member.memberId}-${key}`,
    at,
    year: '2026',
  });
const spend = (member: MemberRef, cents: number, key: string, bonusSpendOrder: BonusSpendOrder) =>
  ledger.post({
    merchantId,
    member,
    posting: { book: 'storedValue', type: 'spend', delta: -cents },
    idempotencyKey: `${member.memberId}-${key}`,
    at,
    year: '2026',
    bonusSpendOrder,
  });
const refund = (member: MemberRef, topUpKey: string, key: string) =>
  ledger.refund({
    merchantId,
    member,
    topUpKey: `${member.memberId}-${topUpKey}`,
    idempotencyKey: `${member.memberId}-${key}`,
    at,
    year: '2026',
  });

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
  return {
    points: item?.points ?? 0,
    storedValue: item?.storedValue ?? 0,
    bonus: item?.storedValueBonus ?? 0,
  };
}

/** Each book and part as the sum of its entries. */
async function sums(member: MemberRef) {
  const rows = await entries(member);
  const of = (book: string, read: (row: { delta: number; bonusDelta?: number }) => number) =>
    rows.filter((row) => row.book === book).reduce((total, row) => total + read(row as never), 0);
  return {
    points: of('points', (row) => row.delta),
    storedValue: of('storedValue', (row) => row.delta),
    bonus: of('storedValue', (row) => row.bonusDelta ?? 0),
  };
}

describe('stored value with top-up bonuses', () => {
  it('writes the top-up, its bonus and its bonus points in one go, once per key', async () => {
    const member = await newMember();
    expect(await topUp(member, 50_000, 'tu-1')).toMatchObject({
      status: 'applied',
      entry: { type: 'top-up', delta: 56_000, bonusDelta: 6_000, bonusRule: '充500送60', bonusPoints: 100 },
      balances: { storedValue: 56_000, storedValueBonus: 6_000, points: 100 },
    });
    // A retry after the rules changed answers the first top-up, bonus and all, and writes nothing.
    expect(await topUp(member, 50_000, 'tu-1', [])).toMatchObject({
      status: 'replayed',
      entry: { delta: 56_000, bonusDelta: 6_000 },
      balances: { storedValue: 56_000, storedValueBonus: 6_000, points: 100 },
    });
    expect(await topUp(member, 40_000, 'tu-1')).toEqual({ status: 'conflict' });
    const rows = await entries(member);
    expect(rows.map((row) => [row.book, row.type, row.delta]).sort()).toEqual([
      ['points', 'earn', 100],
      ['storedValue', 'top-up', 56_000],
    ]);
    expect(await sums(member)).toEqual(await books(member));
  });

  it('spends the paid part first, or the bonus first, and records what came from the bonus', async () => {
    const member = await newMember();
    await topUp(member, 20_000, 'tu-1');
    expect(await spend(member, 5_000, 'sp-1', 'last')).toMatchObject({
      status: 'applied',
      entry: { delta: -5_000, bonusDelta: -0 },
      balances: { storedValue: 17_000, storedValueBonus: 2_000 },
    });
    expect(await spend(member, 1_500, 'sp-2', 'first')).toMatchObject({
      entry: { delta: -1_500, bonusDelta: -1_500 },
      balances: { storedValue: 15_500, storedValueBonus: 500 },
    });
    expect(await spend(member, 15_501, 'sp-3', 'last')).toEqual({ status: 'insufficient', balance: 15_500 });
    expect(await spend(member, 15_500, 'sp-3', 'last')).toMatchObject({
      entry: { bonusDelta: -500 },
      balances: { storedValue: 0, storedValueBonus: 0 },
    });
    expect(await sums(member)).toEqual(await books(member));
  });

  it('refunds a top-up once: its paid part and its unspent bonus, less the bonus spent, points back', async () => {
    const member = await newMember();
    await topUp(member, 50_000, 'tu-1');
    await spend(member, 10_000, 'sp-1', 'first');
    expect(await refund(member, 'nope', 'rf-0')).toEqual({ status: 'no-top-up' });
    expect(await refund(member, 'sp-1', 'rf-0')).toEqual({ status: 'no-top-up' });
    const first = await refund(member, 'tu-1', 'rf-1');
    // 6000 of bonus spent first, 4000 of paid: 46000 paid left, all of it removed, 40000 handed back.
    expect(first).toMatchObject({
      status: 'applied',
      entry: {
        type: 'refund',
        delta: -46_000,
        bonusDelta: -0,
        refundCents: 40_000,
        refundOf: `${member.memberId}-tu-1`,
        bonusPoints: 100,
      },
      balances: { storedValue: 0, storedValueBonus: 0, points: 0 },
    });
    expect(await refund(member, 'tu-1', 'rf-1')).toMatchObject({
      status: 'replayed',
      entry: { refundCents: 40_000 },
    });
    expect(await refund(member, 'tu-1', 'rf-2')).toEqual({
      status: 'already-refunded',
      refundedBy: `${member.memberId}-rf-1`,
    });
    expect(await sums(member)).toEqual(await books(member));
  });
});

describe('stored value: concurrency', () => {
  it('refunds a top-up once of five refunds at the same moment, and splits concurrent spends exactly', async () => {
    const member = await newMember();
    await topUp(member, 50_000, 'tu-1');
    await topUp(member, 20_000, 'tu-2');
    const refunds = await Promise.all([1, 2, 3, 4, 5].map((n) => refund(member, 'tu-1', `rf-${n}`)));
    expect(refunds.filter((outcome) => outcome.status === 'applied')).toHaveLength(1);
    expect(refunds.filter((outcome) => outcome.status === 'already-refunded')).toHaveLength(4);
    const spends = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => spend(member, 4_000, `sp-${n}`, n % 2 === 0 ? 'first' : 'last')),
    );
    // 22000 left (20000 paid, 2000 bonus): five spends of 4000 fit, the sixth does not.
    expect(spends.filter((outcome) => outcome.status === 'applied')).toHaveLength(5);
    expect(await books(member)).toMatchObject({ storedValue: 2_000 });
    expect(await sums(member)).toEqual(await books(member));
  });
});

describe('stored value: properties', () => {
  const operation = fc.oneof(
    fc.record({
      kind: fc.constant('top-up' as const),
      cents: fc.constantFrom(5_000, 20_000, 50_000, 70_000),
      key: fc.nat(5),
    }),
    fc.record({
      kind: fc.constant('spend' as const),
      cents: fc.integer({ min: 1, max: 60_000 }),
      order: fc.constantFrom('first' as const, 'last' as const),
      key: fc.nat(5),
    }),
    fc.record({ kind: fc.constant('refund' as const), of: fc.nat(5), key: fc.nat(5) }),
  );

  it('keeps every book and part equal to its entries, never negative, each key applied once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
        const member = await newMember();
        const applied = new Map<string, string>();
        for (const op of operations) {
          const key = `${op.kind}-${op.key}`;
          const outcome =
            op.kind === 'top-up'
              ? await topUp(member, op.cents, key)
              : op.kind === 'spend'
                ? await spend(member, op.cents, key, op.order)
                : await refund(member, `top-up-${op.of}`, key);
          if (outcome.status === 'applied') {
            expect(applied.has(key)).toBe(false);
            applied.set(key, outcome.entry.entryId);
          }
          if (outcome.status === 'replayed') expect(outcome.entry.entryId).toBe(applied.get(key));
          const now = await books(member);
          expect(now.bonus).toBeGreaterThanOrEqual(0);
          expect(now.storedValue - now.bonus).toBeGreaterThanOrEqual(0);
          expect(now.points).toBeGreaterThanOrEqual(0);
        }
        expect(await sums(member)).toEqual(await books(member));
        const rows = await entries(member);
        // One stored-value entry per key applied; a refund's points entry shares its key.
        const keys = rows.filter((row) => row.book === 'storedValue').map((row) => row.idempotencyKey);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.sort()).toEqual([...applied.keys()].map((key) => `${member.memberId}-${key}`).sort());
      }),
      { numRuns: 15 },
    );
  });
});
