import { z } from 'zod';

export const consentChannelSchema = z.enum(['sms-keyword', 'merchant-api']);

/** Whether the member takes marketing texts, with when and how that last changed. */
export const marketingConsentSchema = z.object({
  status: z.enum(['subscribed', 'unsubscribed']),
  changedAt: z.iso.datetime(),
  channel: consentChannelSchema,
  /** The exact text or API call that changed it: proof of consent. */
  source: z.string().max(200),
  /** The inbound message or request id that made the change, so a retry of it is recognised. */
  ref: z.string().max(200),
});
export type MarketingConsent = z.infer<typeof marketingConsentSchema>;

export const memberSchema = z.object({
  merchantId: z.string(),
  memberId: z.string(),
  phone: z.string(),
  name: z.string().optional(),
  birthday: z.iso.date().optional(),
  joinedAt: z.iso.datetime(),
  joinChannel: z.enum(['sms', 'merchant-api']),
  /** The inbound message or request id that created the member, so a retry of it is recognised. */
  joinRef: z.string().max(200),
  points: z.number().int().nonnegative(),
  tier: z.string().optional(),
});
export type Member = z.infer<typeof memberSchema>;

/** A phone the merchant knows: a member, a consent record, or both. */
export interface Contact {
  member?: Member;
  marketing?: MarketingConsent;
}
