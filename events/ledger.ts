import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

/** Every ledger entry is published as the event of its type, with the balance it left. */
const ledgerEntryDetail = lazySchema(() =>
  z.object({
    eventId: z.string(),
    merchantId: z.string(),
    memberId: z.string(),
    entryId: z.string(),
    book: z.enum(['points', 'storedValue']),
    delta: z.number().int(),
    /**
     * The book's balance with this entry in, read when the event is published from the outbox (a later
     * entry may be in it too); absent when the member could no longer be read (erased meanwhile).
     */
    balance: z.number().int().nonnegative().optional(),
    reason: z.string().optional(),
    purchaseCents: z.number().int().positive().optional(),
    /** A multiplied earn (积分加倍): the points before the multiplier, the rule's name and its multiplier. */
    basePoints: z.number().int().nonnegative().optional(),
    multiplierRule: z.string().optional(),
    multiplier: z.number().optional(),
    expiresOn: z.iso.date().optional(),
    /** An exchange (积分兑换): the benefit the points were exchanged for. */
    benefitCode: z.string().optional(),
    /** A redeem offsetting a purchase (抵扣): the purchase and the cents taken off it. */
    purchaseRef: z.string().optional(),
    offsetCents: z.number().int().positive().optional(),
    /** The store (门店) the entry was recorded at, when one was. */
    storeId: z.string().optional(),
    /**
     * Stored value (充值赠送): the signed part of `delta` that moved the member's bonus balance — a
     * top-up's bonus (+), what a spend or a refund took from the bonus (−); the paid part moved by the rest.
     */
    bonusDelta: z.number().int().optional(),
    /** A top-up given a bonus: the rule, and the bonus points (published as their own `points.earned`). */
    bonusRule: z.string().optional(),
    bonusPoints: z.number().int().positive().optional(),
    /** A refund (退款): the top-up's idempotency key, and the money handed back to the member. */
    refundOf: z.string().optional(),
    refundCents: z.number().int().nonnegative().optional(),
    idempotencyKey: z.string(),
    at: z.iso.datetime(),
  }),
);

const example = {
  eventId: 'ledger:order-1001',
  merchantId: 'demo',
  memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
  entryId: '01JD7Q7A2B3C4D5E6F7G8H9J0K',
  book: 'points' as const,
  delta: 120,
  balance: 320,
  reason: 'order 1001',
  purchaseCents: 12_000,
  expiresOn: '2027-12-31',
  idempotencyKey: 'order-1001',
  at: '2026-11-23T08:00:00.000Z',
};

export const pointsEarned = defineEvent('points.earned', ledgerEntryDetail, example);
export const pointsRedeemed = defineEvent('points.redeemed', ledgerEntryDetail, {
  ...example,
  delta: -100,
  balance: 220,
  purchaseCents: undefined,
  expiresOn: undefined,
});
export const pointsAdjusted = defineEvent('points.adjusted', ledgerEntryDetail, {
  ...example,
  delta: -20,
  balance: 300,
  reason: 'goodwill correction',
  purchaseCents: undefined,
  expiresOn: undefined,
});
export const pointsExpired = defineEvent('points.expired', ledgerEntryDetail, {
  ...example,
  delta: -80,
  balance: 240,
  reason: 'expired through 2026-12-31',
  purchaseCents: undefined,
  expiresOn: undefined,
});
export const storedValueToppedUp = defineEvent('stored-value.topped-up', ledgerEntryDetail, {
  ...example,
  book: 'storedValue',
  delta: 55_000,
  balance: 55_000,
  bonusDelta: 5_000,
  bonusRule: '充500送50',
  purchaseCents: undefined,
  expiresOn: undefined,
});
export const storedValueSpent = defineEvent('stored-value.spent', ledgerEntryDetail, {
  ...example,
  book: 'storedValue',
  delta: -3_800,
  balance: 51_200,
  bonusDelta: 0,
  purchaseCents: undefined,
  expiresOn: undefined,
});
export const storedValueRefunded = defineEvent('stored-value.refunded', ledgerEntryDetail, {
  ...example,
  book: 'storedValue',
  delta: -51_200,
  balance: 0,
  bonusDelta: -5_000,
  refundOf: 'topup-1001',
  refundCents: 46_200,
  reason: 'customer moved away',
  purchaseCents: undefined,
  expiresOn: undefined,
});

export const ledgerEvents = {
  earn: pointsEarned,
  redeem: pointsRedeemed,
  adjust: pointsAdjusted,
  expire: pointsExpired,
  'top-up': storedValueToppedUp,
  spend: storedValueSpent,
  refund: storedValueRefunded,
} as const;
