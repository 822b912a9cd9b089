import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulidx';
import { beforeAll, describe, expect, it } from 'vitest';
import { refundCents } from '../../../shared/domain/count-cards';
import type { CardActor, CardPayment, CardProduct } from '../../../shared/schemas/count-card';
import type { MemberInput } from '../../../shared/schemas/member';
import { cardProductsStore } from '../../../shared/store/count-card-products';
import { cardLedgerKey, countCardsStore } from '../../../shared/store/count-cards';
import { ledgerStore, type MemberRef } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { newMerchant, newPhone, outboxEvent, testEnv } from '../../support';

/**
 * Count cards (计次卡) against DynamoDB Local: a sale paid from stored value is one transaction with
 * its ledger entry, the last use goes to exactly one of many racing cashiers, a refund pays back once.
 */
const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'));
const ledger = ledgerStore(db, env.table('ledger'), env.table('members'));
const products = cardProductsStore(db, env.table('benefits'));
const cards = countCardsStore(db, {
  benefits: env.table('benefits'),
  ledger: env.table('ledger'),
  members: env.table('members'),
  outbox: env.table('outbox'),
});
let merchantId: string;
const at = new Date('2026-12-08T02:00:00Z');
const today = '2026-12-08';
const by: CardActor = { kind: 'staff', id: 'staff-1', name: '小王' };

beforeAll(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

async function newMember(storedValue = 0): Promise<MemberRef> {
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
  const ref = { memberId: member.memberId, phone: member.phone };
  if (storedValue > 0) {
    await ledger.post({
      merchantId,
      member: ref,
      posting: { book: 'storedValue', type: 'top-up', delta: storedValue },
      idempotencyKey: `open-${randomUUID()}`,
      at,
      year: '2026',
    });
  }
  return ref;
}

async function newProduct(fields: Partial<CardProduct> = {}): Promise<CardProduct> {
  const product: CardProduct = {
    productId: ulid(),
    name: '洗车10次卡',
    uses: 10,
    priceCents: 30_000,
    validity: { kind: 'days', days: 365 },
    active: true,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    ...fields,
  };
  expect((await products.create(merchantId, product)).created).toBe(true);
  return product;
}

const sell = (member: MemberRef, product: CardProduct, payment: CardPayment, key: string) =>
  cards.sell({
    merchantId,
    member,
    product,
    payment,
    expiresOn: '2027-12-07',
    idempotencyKey: key,
    at,
    year: '2026',
    by,
  });
const use = (member: MemberRef, cardId: string, key: string, on = today) =>
  cards.use({ merchantId, memberId: member.memberId, cardId, idempotencyKey: key, at, today: on, by });
const refund = (member: MemberRef, cardId: string, key: string) =>
  cards.refund({ merchantId, member, cardId, idempotencyKey: key, at, year: '2026', by });

async function storedValueBook(member: MemberRef) {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: env.table('ledger'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': `${merchantId}#${member.memberId}`, ':entry': 'ENTRY#' },
      ConsistentRead: true,
    }),
  );
  const { member: now } = await members.contact(merchantId, member.phone);
  const entries = Items.filter((item) => item.book === 'storedValue');
  return {
    balance: now?.storedValue ?? 0,
    sum: entries.reduce((sum, item) => sum + (item.delta as number), 0),
    keys: entries.map((item) => item.idempotencyKey as string),
  };
}

describe('count cards store', () => {
  it('sells from stored value in one transaction with the ledger entry, once per key, and refuses too little', async () => {
    const product = await newProduct();
    const poor = await newMember(29_999);
    expect(await sell(poor, product, 'stored-value', randomUUID())).toEqual({
      status: 'insufficient',
      balance: 29_999,
    });
    expect(await cards.cards(merchantId, poor.memberId)).toEqual([]);

    const member = await newMember(50_000);
    const key = randomUUID();
    const sold = await sell(member, product, 'stored-value', key);
    expect(sold).toMatchObject({
      status: 'sold',
      card: { usesLeft: 10, uses: 10, pricePaid: 30_000, payment: 'stored-value', soldBy: by },
      balances: { storedValue: 20_000 },
    });
    if (sold.status !== 'sold') throw new Error('not sold');
    const again = await sell(member, product, 'stored-value', key);
    expect(again).toEqual({ status: 'replayed', card: sold.card });
    expect(await storedValueBook(member)).toMatchObject({ balance: 20_000, sum: 20_000 });
    expect((await storedValueBook(member)).keys).toContain(cardLedgerKey(key));
    expect(await cards.cards(merchantId, member.memberId)).toHaveLength(1);
    // Another product under the same key is another operation.
    expect(await sell(member, await newProduct(), 'till', key)).toEqual({ status: 'conflict' });
    const event = await outboxEvent(env, merchantId, `count-card-sold:${key}`);
    expect(event?.detail).toMatchObject({
      cardId: sold.card.cardId,
      pricePaid: 30_000,
      payment: 'stored-value',
    });
    expect(await cards.expiringOn(merchantId, '2027-12-07')).toContainEqual({
      cardId: sold.card.cardId,
      memberId: member.memberId,
      expiresOn: '2027-12-07',
    });
  });

  it('takes a sale from stored value given as a bonus (充值赠送) in the merchant’s order, never a part below zero', async () => {
    for (const [order, bonusTaken] of [
      ['last', 10_000],
      ['first', 20_000],
    ] as const) {
      // 300 yuan paid and 200 given: a 400-yuan card takes all that was paid first, or all the bonus.
      const member = await newMember(30_000);
      await ledger.post({
        merchantId,
        member,
        posting: { book: 'storedValue', type: 'top-up', delta: 20_000, bonusDelta: 20_000 },
        idempotencyKey: `bonus-${randomUUID()}`,
        at,
        year: '2026',
      });
      const product = await newProduct({ priceCents: 40_000 });
      const sold = await cards.sell({
        merchantId,
        member,
        product,
        payment: 'stored-value',
        expiresOn: '2027-12-07',
        idempotencyKey: `sale-${randomUUID()}`,
        at,
        year: '2026',
        by,
        bonusSpendOrder: order,
      });
      expect(sold.status, order).toBe('sold');
      const { member: now } = await members.contact(merchantId, member.phone);
      expect(now, order).toMatchObject({ storedValue: 10_000, storedValueBonus: 20_000 - bonusTaken });
      // Refunded unused, the price goes back to the parts it came from: the bonus stays bonus.
      if (sold.status !== 'sold') throw new Error('not sold');
      expect((await refund(member, sold.card.cardId, `refund-${randomUUID()}`)).status).toBe('refunded');
      const { member: after } = await members.contact(merchantId, member.phone);
      expect(after, order).toMatchObject({ storedValue: 50_000, storedValueBonus: 20_000 });
    }
  });

  it('records a till sale without touching stored value, and refuses a member who is not there', async () => {
    const product = await newProduct();
    const member = await newMember();
    expect((await sell(member, product, 'till', randomUUID())).status).toBe('sold');
    expect(await storedValueBook(member)).toMatchObject({ balance: 0, sum: 0 });
    expect(await sell({ memberId: 'ghost', phone: newPhone() }, product, 'till', randomUUID())).toEqual({
      status: 'no-member',
    });
  });

  it('gives the last use to exactly one of many concurrent uses', async () => {
    const member = await newMember();
    const sold = await sell(member, await newProduct({ uses: 1 }), 'till', randomUUID());
    if (sold.status !== 'sold') throw new Error('not sold');
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => use(member, sold.card.cardId, randomUUID())),
    );
    expect(outcomes.filter((o) => o.status === 'used')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'refused' && o.reason === 'used-up')).toHaveLength(7);
    expect((await cards.card(merchantId, member.memberId, sold.card.cardId))?.usesLeft).toBe(0);
  });

  it('answers a retried use as done, and refuses an expired card with its reason', async () => {
    const member = await newMember();
    const sold = await sell(member, await newProduct({ uses: 2 }), 'till', randomUUID());
    if (sold.status !== 'sold') throw new Error('not sold');
    const key = randomUUID();
    expect(await use(member, sold.card.cardId, key)).toMatchObject({ status: 'used', card: { usesLeft: 1 } });
    expect(await use(member, sold.card.cardId, key)).toMatchObject({
      status: 'replayed',
      card: { usesLeft: 1 },
    });
    expect(await use(member, sold.card.cardId, randomUUID(), '2027-12-08')).toMatchObject({
      status: 'refused',
      reason: 'expired',
    });
    expect(await use(member, 'NOCARD', randomUUID())).toEqual({ status: 'unknown' });
  });

  it('refunds the unused uses pro rata, once, back to stored value when paid from it', async () => {
    const member = await newMember(10_000);
    const sold = await sell(
      member,
      await newProduct({ uses: 3, priceCents: 9_999 }),
      'stored-value',
      randomUUID(),
    );
    if (sold.status !== 'sold') throw new Error('not sold');
    await use(member, sold.card.cardId, randomUUID());
    const key = randomUUID();
    const refunded = await refund(member, sold.card.cardId, key);
    // floor(9999 × 2 / 3) = 6666
    expect(refunded).toMatchObject({
      status: 'refunded',
      card: { usesLeft: 0, refundedUses: 2, refundCents: 6_666 },
      balances: { storedValue: 1 + 6_666 },
    });
    expect(await refund(member, sold.card.cardId, key)).toMatchObject({ status: 'replayed' });
    expect(await refund(member, sold.card.cardId, randomUUID())).toMatchObject({
      status: 'refused',
      reason: 'refunded',
    });
    expect(await use(member, sold.card.cardId, randomUUID())).toMatchObject({
      status: 'refused',
      reason: 'refunded',
    });
    expect(await storedValueBook(member)).toMatchObject({ balance: 6_667, sum: 6_667 });
  });
});

describe('count cards store: properties', () => {
  const step = fc.oneof(
    fc.record({
      kind: fc.constant('sell' as const),
      who: fc.nat(1),
      product: fc.nat(1),
      payment: fc.constantFrom<CardPayment>('stored-value', 'till'),
      key: fc.nat(7),
    }),
    fc.record({ kind: fc.constant('use' as const), who: fc.nat(1), card: fc.nat(3), key: fc.nat(7) }),
    /** Cashiers racing on one card: three uses at once. */
    fc.record({ kind: fc.constant('rush' as const), who: fc.nat(1), card: fc.nat(3), key: fc.nat(7) }),
    fc.record({ kind: fc.constant('refund' as const), who: fc.nat(1), card: fc.nat(3), key: fc.nat(7) }),
  );

  it('keeps uses never negative, the stored-value book equal to its entries, each key applied once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(0, 5_000, 40_000), { minLength: 2, maxLength: 2 }),
        fc.array(step, { minLength: 4, maxLength: 14 }),
        async (opening, steps) => {
          const catalog = [
            await newProduct({ uses: 2, priceCents: 5_000 }),
            await newProduct({ uses: 3, priceCents: 1_001 }),
          ];
          const people = [await newMember(opening[0]), await newMember(opening[1])];
          const run = randomUUID().slice(0, 8);
          const applied = new Map<string, string>();
          const usesOf = new Map<string, number>();
          const note = (key: string, outcome: { status: string; card?: { cardId: string } }) => {
            if (['sold', 'used', 'refunded'].includes(outcome.status)) {
              expect(applied.has(key), key).toBe(false);
              applied.set(key, outcome.card?.cardId as string);
            }
            if (outcome.status === 'replayed') expect(outcome.card?.cardId).toBe(applied.get(key));
            if (outcome.status === 'used') {
              const id = outcome.card?.cardId as string;
              usesOf.set(id, (usesOf.get(id) ?? 0) + 1);
            }
          };
          for (const s of steps) {
            const member = people[s.who] as MemberRef;
            const key = `${run}-${s.key}`;
            if (s.kind === 'sell') {
              note(key, await sell(member, catalog[s.product] as CardProduct, s.payment, key));
              continue;
            }
            const held = await cards.cards(merchantId, member.memberId);
            const card = held[s.card % Math.max(1, held.length)];
            if (!card) continue;
            if (s.kind === 'use') note(key, await use(member, card.cardId, key));
            if (s.kind === 'refund') note(key, await refund(member, card.cardId, key));
            if (s.kind === 'rush') {
              const keys = [0, 1, 2].map((i) => `${key}-rush-${i}`);
              const outcomes = await Promise.all(keys.map((k) => use(member, card.cardId, k)));
              for (const [i, outcome] of outcomes.entries()) note(keys[i] as string, outcome);
            }
          }
          for (const member of people) {
            const book = await storedValueBook(member);
            expect(book.balance).toBeGreaterThanOrEqual(0);
            expect(book.balance).toBe(book.sum);
            expect(new Set(book.keys).size).toBe(book.keys.length);
            for (const card of await cards.cards(merchantId, member.memberId)) {
              expect(card.usesLeft).toBeGreaterThanOrEqual(0);
              const used = usesOf.get(card.cardId) ?? 0;
              expect(card.uses - used).toBe(card.usesLeft + (card.refundedUses ?? 0));
              if (card.refundedAt) {
                expect(card.refundCents).toBe(refundCents(card.pricePaid, card.refundedUses ?? 0, card.uses));
              }
            }
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
