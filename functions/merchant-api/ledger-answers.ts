import * as z from 'zod';
import type { Balances, Book, EntryType } from '../../shared/domain/ledger';
import type { Entry } from '../../shared/store/ledger';

// The answers as the document describes them: the ledger store's types, checked against these schemas.
const books: { [B in Book]: B } = { points: 'points', storedValue: 'storedValue' };
const entryTypes: { [T in EntryType]: T } = {
  earn: 'earn',
  redeem: 'redeem',
  adjust: 'adjust',
  expire: 'expire',
  'top-up': 'top-up',
  spend: 'spend',
  refund: 'refund',
};
export const entrySchema = z.object({
  entryId: z.string(),
  book: z.enum(books),
  type: z.enum(entryTypes),
  delta: z.int(),
  reason: z.string().optional(),
  purchaseCents: z.int().optional(),
  /** A multiplied earn (积分加倍): the points before the multiplier, the rule's name and its multiplier. */
  basePoints: z.int().optional(),
  multiplierRule: z.string().optional(),
  multiplier: z.number().optional(),
  /** The store (门店) it was recorded at. */
  storeId: z.string().optional(),
  expiresOn: z.iso.date().optional(),
  /** An exchange (积分兑换): the benefit the points bought. */
  benefitCode: z.string().optional(),
  /** An offset (抵扣): the purchase, and the cents the points took off it. */
  purchaseRef: z.string().optional(),
  offsetCents: z.int().optional(),
  /** Stored value (充值赠送): the part of `delta` that moved the bonus; a top-up's bonus; a refund's top-up and money back. */
  bonusDelta: z.int().optional(),
  bonusRule: z.string().optional(),
  bonusPoints: z.int().optional(),
  refundOf: z.string().optional(),
  refundCents: z.int().optional(),
  idempotencyKey: z.string(),
  at: z.iso.datetime(),
}) satisfies z.ZodType<Entry>;
const balancesSchema = z.object({
  points: z.int().nonnegative(),
  storedValue: z.int().nonnegative(),
  storedValueBonus: z.int().nonnegative().optional(),
}) satisfies z.ZodType<Balances>;
export const postingAnswer = z.object({
  entry: entrySchema,
  balances: balancesSchema,
  replayed: z.boolean(),
});
