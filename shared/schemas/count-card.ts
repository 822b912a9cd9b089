import * as z from 'zod';
import { maxCentsPerOperation } from '../domain/ledger';
import { lazySchema } from '../lazy-schema';

/**
 * Count cards (计次卡): a product of the merchant's catalog (e.g. "car wash ×10, ¥300, valid a year"),
 * and the cards sold from it, each held by one member with the uses it has left.
 */

/** Ids are ULIDs: a client may choose a product's id, so a retried create finds it. */
export const countCardIdSchema = lazySchema(() =>
  z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'id: 26 characters (a ULID), as the API gave it'),
);

export const maxCardUses = 1000;

/** How long a card sold from the product lasts: days from the day of sale, or until a fixed date. */
export const cardValiditySchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('days'),
      /** The card can be used on the day of sale and the `days - 1` days after it. */
      days: z.int('validity.days: a whole number of days').min(1).max(3650),
    }),
    z.strictObject({ kind: z.literal('until'), date: z.iso.date('validity.date: a date, YYYY-MM-DD') }),
  ]),
);
export type CardValidity = z.infer<typeof cardValiditySchema>;

const productFields = () => ({
  name: z.string().trim().min(1, 'name: the name members and staff know the card by').max(40),
  uses: z
    .int('uses: a whole number')
    .min(1, 'uses: at least 1')
    .max(maxCardUses, `uses: at most ${maxCardUses}`),
  priceCents: z.int('priceCents: whole cents').min(0).max(maxCentsPerOperation),
  validity: cardValiditySchema,
  /**
   * The stores (门店 ids) where the card may be used: a use recorded at another store is refused. Left
   * out (or empty), the card is valid at every store.
   */
  stores: z.array(z.string().trim().min(1).max(60)).max(50).optional(),
});

/** `POST /v1/count-cards`: a new product; `productId` is the client's, to make a retry safe. */
export const cardProductInputSchema = lazySchema(() =>
  z.strictObject({ productId: countCardIdSchema.optional(), ...productFields() }),
);
export type CardProductInput = z.infer<typeof cardProductInputSchema>;

/** `PATCH /v1/count-cards/{productId}`: what changes; cards already sold keep what they were sold with. */
export const cardProductChangeSchema = lazySchema(() =>
  z
    .strictObject({ ...productFields(), active: z.boolean() })
    .partial()
    .refine((change) => Object.keys(change).length > 0, 'give at least one field to change'),
);
export type CardProductChange = z.infer<typeof cardProductChangeSchema>;

export const cardProductSchema = lazySchema(() =>
  z.object({
    productId: z.string(),
    ...productFields(),
    /** A stopped product (false) is no longer sold; the cards sold from it still work. */
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export type CardProduct = z.infer<typeof cardProductSchema>;

/** Who did something to a card: a member of staff (console or text), or an API key. */
export const cardActorSchema = lazySchema(() =>
  z.object({ kind: z.enum(['staff', 'api-key']), id: z.string(), name: z.string().optional() }),
);
export type CardActor = z.infer<typeof cardActorSchema>;

export const cardPaymentSchema = lazySchema(() => z.enum(['stored-value', 'till']));
export type CardPayment = z.infer<typeof cardPaymentSchema>;

/** A card a member holds. */
export const countCardSchema = lazySchema(() =>
  z.object({
    cardId: z.string(),
    memberId: z.string(),
    productId: z.string(),
    /** The product as sold: a later change of the product does not change the card. */
    name: z.string(),
    uses: z.int(),
    usesLeft: z.int().nonnegative(),
    /** The last day (merchant's time zone) the card can be used. */
    expiresOn: z.iso.date(),
    stores: z.array(z.string()).optional(),
    pricePaid: z.int().nonnegative(),
    /** What of the price came from bonus stored value (充值赠送): a refund gives that share back as bonus. */
    paidFromBonus: z.int().positive().optional(),
    payment: cardPaymentSchema,
    soldAt: z.iso.datetime(),
    soldBy: cardActorSchema,
    lastUsedAt: z.iso.datetime().optional(),
    /** Refunded: the uses that were left then and what was paid back for them. */
    refundedAt: z.iso.datetime().optional(),
    refundedUses: z.int().optional(),
    refundCents: z.int().optional(),
  }),
);
export type CountCard = z.infer<typeof countCardSchema>;
