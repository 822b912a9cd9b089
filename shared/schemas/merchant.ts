import { z } from 'zod';
import { senderNumberPattern } from '../domain/phone';
import { defaultTierTable, tierTableSchema } from '../domain/tiers';

export const merchantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'merchant id: 2-40 lowercase letters, digits or -');

/** How points are earned and how long they last, per merchant. */
export const loyaltySettingsSchema = z.object({
  /** Points per currency unit (yuan) of a purchase. */
  pointsPerUnit: z.number().positive().max(100).default(1),
  expiry: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('never') }),
      z.object({ kind: z.literal('days'), days: z.number().int().min(1).max(3650) }),
      z.object({ kind: z.literal('end-of-year'), yearsAfter: z.number().int().min(0).max(5) }),
    ])
    .default({ kind: 'end-of-year', yearsAfter: 1 }),
  tiers: tierTableSchema.default(defaultTierTable),
});
export type LoyaltySettings = z.infer<typeof loyaltySettingsSchema>;

export const merchantSchema = z.object({
  merchantId: merchantIdSchema,
  name: z.string().min(1).max(40),
  /** The approved 【signature】 every text starts with. */
  signature: z.string().regex(/^【[^【】]{2,12}】$/, 'signature: 2-12 characters in 【】'),
  /** The number customers text, and the number texts are sent from. */
  senderNumber: z.string().regex(senderNumberPattern, 'sender number: E.164, e.g. +8610690000'),
  /** ISO 3166 country used to read phone numbers written without a country code. */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/),
  timeZone: z.string().min(1),
  createdAt: z.iso.datetime(),
  loyalty: loyaltySettingsSchema.default(loyaltySettingsSchema.parse({})),
});
export type Merchant = z.infer<typeof merchantSchema>;
export type MerchantInput = z.input<typeof merchantSchema>;
