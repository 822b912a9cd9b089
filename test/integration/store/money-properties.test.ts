import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulidx';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BonusSpendOrder, TopUpBonusRule } from '../../../shared/domain/top-up-bonus';
import type { CardActor, CardProduct } from '../../../shared/schemas/count-card';
import { loyaltySettingsSchema, type Merchant } from '../../../shared/schemas/merchant';
import { cardProductsStore } from '../../../shared/store/count-card-products';
import { cardLedgerKey, countCardsStore } from '../../../shared/store/count-cards';
import { ledgerStore, type MemberRef } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { topUpPostings } from '../../../shared/use-cases/top-up';
import { newMerchant, newPhone, testEnv } from '../../support';

/**
 * Where money and uses move together, against DynamoDB Local: random sequences of top-ups with bonuses
 * (充值赠送), spends in either order, refunds of top-ups, count cards (计次卡) sold from stored value,
 * used (two cashiers at once, sometimes) and refunded, with keys repeated. After every step no book,
 * part or card is below zero; at the end every book and part equals the sum of its entries and each
 * key was applied once.
 */
const env = testEnv();
const db = env.dynamo();
const tables = { ledger: env.table('ledger'), members: env.table('members'), outbox: env.table('outbox') };
const members = membersStore(db, tables.members);
const ledger = ledgerStore(db, tables.ledger, tables.members, tables.outbox);
const cards = countCardsStore(db, { ...tables, benefits: env.table('benefits') });
const at = new Date('2026-12-08T02:00:00Z');
const today = '2026-12-08';
const by: CardActor = { kind: 'staff', id: 'staff-1', name: '小王' };
const rules: TopUpBonusRule[] = [
  { name: '充200送20', minCents: 20_000, bonusCents: 2_000 },
  { name: '充500送60', minCents: 50_000, bonusCents: 6_000, bonusPoints: 100 },
];
let merchant: Merchant;
let product: CardProduct;

beforeAll(async () => {
  const { merchantId } = (await newMerchant(env)).merchant;
  merchant = { merchantId, loyalty: loyaltySettingsSchema.parse({ topUpBonuses: rules }) } as Merchant;
  product = {
    productId: ulid(),
    name: '洗车3次卡',
    uses: 3,
    priceCents: 9_999,
    validity: { kind: 'days', days: 30 },
    active: true,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
  expect((await cardProductsStore(db, env.table('benefits')).create(merchantId, product)).created).toBe(true);
});

async function newMember(): Promise<MemberRef> {
  const member = {
    merchantId: merchant.merchantId,
    memberId: `mem-${randomUUID()}`,
    phone: newPhone(),
    joinedAt: at.toISOString(),
    joinChannel: 'merchant-api' as const,
    joinRef: 'test',
    points: 0,
  };
  expect(await members.register(member)).toBe(true);
  return { memberId: member.memberId, phone: member.phone };
}

const order = fc.constantFrom<BonusSpendOrder>('first', 'last');
const operation = fc.oneof(
  fc.record({ kind: fc.constant('top-up'), cents: fc.constantFrom(5_000, 20_000, 50_000), key: fc.nat(4) }),
  fc.record({
    kind: fc.constant('spend'),
    cents: fc.integer({ min: 1, max: 40_000 }),
    order,
    key: fc.nat(4),
  }),
  fc.record({ kind: fc.constant('refund'), of: fc.nat(4), key: fc.nat(4) }),
  fc.record({ kind: fc.constant('sell'), order, key: fc.nat(4) }),
  fc.record({ kind: fc.constant('use'), card: fc.nat(4), key: fc.nat(4), racing: fc.boolean() }),
  fc.record({ kind: fc.constant('card-refund'), card: fc.nat(4), key: fc.nat(4) }),
);
type Operation = typeof operation extends fc.Arbitrary<infer O> ? O : never;

/** One step; the ledger keys (and card use keys) it applied, in the form they are stored. */
async function step(member: MemberRef, op: Operation, sold: Map<number, string>): Promise<string[]> {
  const { merchantId } = merchant;
  const key = `${member.memberId}-${op.kind}-${op.key}`;
  const ledgerAnswer = (status: string) => (status === 'applied' ? [key] : []);
  switch (op.kind) {
    case 'top-up': {
      const postings = topUpPostings({ merchant, cents: op.cents, today });
      const { status } = await ledger.post({
        merchantId,
        member,
        ...postings,
        idempotencyKey: key,
        at,
        year: '2026',
      });
      return ledgerAnswer(status);
    }
    case 'spend': {
      const posting = { book: 'storedValue' as const, type: 'spend' as const, delta: -op.cents };
      const { status } = await ledger.post({
        merchantId,
        member,
        posting,
        idempotencyKey: key,
        at,
        year: '2026',
        bonusSpendOrder: op.order,
      });
      return ledgerAnswer(status);
    }
    case 'refund': {
      const topUpKey = `${member.memberId}-top-up-${op.of}`;
      const { status } = await ledger.refund({
        merchantId,
        member,
        topUpKey,
        idempotencyKey: key,
        at,
        year: '2026',
      });
      return ledgerAnswer(status);
    }
    case 'sell': {
      const outcome = await cards.sell({
        merchantId,
        member,
        product,
        payment: 'stored-value',
        expiresOn: '2027-01-06',
        idempotencyKey: key,
        at,
        year: '2026',
        by,
        bonusSpendOrder: op.order,
      });
      if (outcome.status !== 'sold') return [];
      sold.set(op.key, outcome.card.cardId);
      return [cardLedgerKey(key)];
    }
    case 'use': {
      const cardId = sold.get(op.card);
      if (!cardId) return [];
      const use = (suffix: string) =>
        cards.use({
          merchantId,
          memberId: member.memberId,
          cardId,
          idempotencyKey: key + suffix,
          at,
          today,
          by,
        });
      const outcomes = await Promise.all(op.racing ? [use(''), use('-other')] : [use('')]);
      return outcomes.filter((outcome) => outcome.status === 'used').map(() => 'use');
    }
    case 'card-refund': {
      const cardId = sold.get(op.card);
      if (!cardId) return [];
      const outcome = await cards.refund({
        merchantId,
        member,
        cardId,
        idempotencyKey: key,
        at,
        year: '2026',
        by,
      });
      return outcome.status === 'refunded' && outcome.card.refundCents ? [cardLedgerKey(key)] : [];
    }
  }
}

async function entries(member: MemberRef) {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tables.ledger,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': `${merchant.merchantId}#${member.memberId}`, ':entry': 'ENTRY#' },
      ConsistentRead: true,
    }),
  );
  return Items as { book: string; delta: number; bonusDelta?: number; idempotencyKey: string }[];
}

async function books(member: MemberRef) {
  const item = (await members.contact(merchant.merchantId, member.phone)).member;
  return {
    points: item?.points ?? 0,
    storedValue: item?.storedValue ?? 0,
    bonus: item?.storedValueBonus ?? 0,
  };
}

describe('money and count cards: properties', () => {
  it('keep every book, part and card at zero or above, each equal to its entries, each key applied once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 14 }), async (operations) => {
        const member = await newMember();
        const sold = new Map<number, string>();
        const applied: string[] = [];
        for (const op of operations) {
          applied.push(...(await step(member, op, sold)));
          const now = await books(member);
          expect(now.bonus).toBeGreaterThanOrEqual(0);
          expect(now.storedValue - now.bonus).toBeGreaterThanOrEqual(0);
          expect(now.points).toBeGreaterThanOrEqual(0);
        }
        const rows = await entries(member);
        const sum = (book: string, read: (row: (typeof rows)[number]) => number) =>
          rows.filter((row) => row.book === book).reduce((total, row) => total + read(row), 0);
        expect(await books(member)).toEqual({
          points: sum('points', (row) => row.delta),
          storedValue: sum('storedValue', (row) => row.delta),
          bonus: sum('storedValue', (row) => row.bonusDelta ?? 0),
        });
        // One stored-value entry per ledger key applied, and no other.
        const keys = rows.filter((row) => row.book === 'storedValue').map((row) => row.idempotencyKey);
        expect(keys.sort()).toEqual(applied.filter((key) => key !== 'use').sort());
        // Each card's uses: what it was sold with, less the uses that went through, never below zero.
        const held = await cards.cards(merchant.merchantId, member.memberId);
        for (const card of held) expect(card.usesLeft).toBeGreaterThanOrEqual(0);
        const usesTaken = held.reduce((total, card) => total + (card.refundedUses ?? 0) + card.usesLeft, 0);
        const usesLeftAfterUses = held.length * product.uses - applied.filter((key) => key === 'use').length;
        expect(usesTaken).toBe(usesLeftAfterUses);
      }),
      { numRuns: 12 },
    );
  });
});
