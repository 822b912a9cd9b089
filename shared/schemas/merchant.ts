import { z } from 'zod';
import { senderNumberPattern } from '../domain/phone';

export const merchantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'merchant id: 2-40 lowercase letters, digits or -');

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
});
export type Merchant = z.infer<typeof merchantSchema>;
