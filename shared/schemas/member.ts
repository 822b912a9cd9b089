import * as z from 'zod';
import { consentChannelSchema, profileFields } from '../../events/vocabulary';
import { maxNameLength, readDate } from '../domain/keywords';
import { nameProblem } from '../domain/member-name';
import { lazySchema } from '../lazy-schema';
import { churnScoreSchema, churnZoneSchema, memberActivitySchema, rfmSchema } from './retention';
import { isStorableNumber, storableNumberRule } from './storable-number';

export { profileFields } from '../../events/vocabulary';

/**
 * Whether the phone takes marketing texts, with when and how that last changed. Every change is
 * also kept as an immutable record of the same shape: the proof of consent a regulator asks for.
 */
export const marketingConsentSchema = lazySchema(() =>
  z.object({
    status: z.enum(['subscribed', 'unsubscribed']),
    changedAt: z.iso.datetime(),
    channel: consentChannelSchema,
    /** The exact text the customer sent, or the merchant's description of how consent was given. */
    source: z.string().max(200),
    /** The inbound message or request id that made the change, so a retry of it is recognised. */
    ref: z.string().max(200),
    /** The keyword that made it (`TD`, `退订`, a merchant's own word), or `join` for joining by text. */
    keyword: z.string().max(40).optional(),
    /** The campaign whose text the customer answered (an opt-out within 72 hours of it). */
    campaignId: z.string().max(100).optional(),
  }),
);
export type MarketingConsent = z.infer<typeof marketingConsentSchema>;

/**
 * Marketing held back from a phone until a person clears it: the customer complained (投诉, 举报,
 * or the provider routed the reply as spam feedback). Shows the latest complaint.
 */
export const suppressionSchema = lazySchema(() =>
  z.object({
    reason: z.literal('complaint'),
    at: z.iso.datetime(),
    channel: z.enum(['sms-keyword', 'provider']),
    /** The complaint's text, or what the provider reported. */
    source: z.string().max(200),
    /** The inbound message or provider feedback id, so a retry of it is recognised. */
    ref: z.string().max(200),
    /** The campaign whose text the complaint answered (within 72 hours of it). */
    campaignId: z.string().max(100).optional(),
  }),
);
export type Suppression = z.infer<typeof suppressionSchema>;

/** The immutable history of a phone's suppression: each complaint, and each time a person cleared it. */
export const suppressionEventSchema = lazySchema(() =>
  z.discriminatedUnion('event', [
    suppressionSchema.extend({ event: z.literal('complaint') }),
    z.object({
      event: z.literal('cleared'),
      at: z.iso.datetime(),
      /** Who at the merchant cleared it, and why: the complaint was handled. */
      clearedBy: z.string().max(100),
      note: z.string().max(500),
      /** The request that cleared it, and the complaint it cleared. */
      ref: z.string().max(200),
      complaintRef: z.string().max(200),
    }),
  ]),
);
export type SuppressionEvent = z.infer<typeof suppressionEventSchema>;

/** A bare answer says nothing about how consent was given: it is no proof. */
const bareAnswer = /^(y|yes|n|no|true|false|0|1|x|ok|是|否|有|无|同意|不同意|subscribed|unsubscribed)$/iu;

/** How a merchant records consent: what the customer did, in the merchant's words. */
const consentSourceSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'source: say how the customer gave or withdrew consent, e.g. "signed form, Xuhui store"')
    .max(200, 'source: 200 characters at most')
    .refine(
      (source) => !bareAnswer.test(source),
      'source: say how the customer gave or withdrew consent, e.g. "signed form, Xuhui store, 2026-03-01"; a bare yes or no is no proof',
    ),
);

/** `marketingConsent` on a new member or an import row: the customer's opt-in, and its proof. */
export const marketingOptInSchema = lazySchema(() => z.strictObject({ source: consentSourceSchema }));

/** `POST /v1/members/{phone}/consent`: a change the merchant records. */
export const consentChangeSchema = lazySchema(() =>
  z.strictObject({
    status: marketingConsentSchema.shape.status,
    source: consentSourceSchema,
    channel: z.enum(['merchant-api', 'merchant-staff']).default('merchant-api'),
  }),
);

/** `DELETE /v1/members/{phone}/suppression`: who clears a complaint's suppression, and why. */
export const suppressionClearSchema = lazySchema(() =>
  z.strictObject({
    clearedBy: z
      .string()
      .trim()
      .min(1, 'clearedBy: who clears it')
      .max(100, 'clearedBy: 100 characters at most'),
    note: z
      .string()
      .trim()
      .min(1, 'note: why marketing may go to the phone again')
      .max(500, 'note: 500 characters at most'),
  }),
);

/** Merchant-defined fields: short keys, scalar values. */
export const customAttributesSchema = lazySchema(() =>
  z
    .record(
      z
        .string()
        .regex(
          /^[A-Za-z][A-Za-z0-9_]{0,39}$/,
          'attribute names: a letter, then letters, digits or _ (40 at most)',
        ),
      z.union([z.string().max(200), z.number().refine(isStorableNumber, storableNumberRule), z.boolean()]),
    )
    .refine((attributes) => Object.keys(attributes).length <= 50, 'at most 50 custom attributes'),
);

export const tagSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[^,;]+$/, 'tags may not contain , or ;'),
);

/** A membership package bought by the member: it holds the member at a tier until it ends. */
export const tierPackageSchema = lazySchema(() =>
  z.object({
    tier: z.string().min(1).max(40),
    endsAt: z.iso.datetime(),
  }),
);

export const memberSchema = lazySchema(() =>
  z.object({
    merchantId: z.string(),
    memberId: z.string(),
    phone: z.string(),
    name: z.string().optional(),
    gender: z.enum(['female', 'male', 'other']).optional(),
    birthday: z.iso.date().optional(),
    city: z.string().optional(),
    tags: z.array(z.string()).default([]),
    attributes: customAttributesSchema.default({}),
    joinedAt: z.iso.datetime(),
    joinChannel: z.enum(['sms', 'merchant-api', 'import']),
    /** The inbound message or request id that created the member, so a retry of it is recognised. */
    joinRef: z.string().max(200),
    /** Points balance: always the sum of the member's points ledger entries. */
    points: z.number().int().nonnegative(),
    /** Points consumed so far (redeemed, expired, adjusted down): with the lots, what is left to expire. */
    pointsConsumed: z.number().int().nonnegative().default(0),
    /** Stored value (prepaid balance) in cents: always the sum of the stored-value entries. */
    storedValue: z.number().int().nonnegative().default(0),
    /** The part of `storedValue` given as top-up bonuses (充值赠送), absent for none; what was paid is the rest. */
    storedValueBonus: z.number().int().nonnegative().optional(),
    /** Spend in cents per calendar year (merchant time zone), the base of the yearly tier score. */
    spendByYear: z.record(z.string().regex(/^\d{4}$/), z.number().int().nonnegative()).default({}),
    /** When the member last bought something (an earn for a purchase): audiences' `daysSinceLastPurchase`. */
    lastPurchaseAt: z.iso.datetime().optional(),
    /**
     * Computed facts the retention jobs fill in: RFM scores, 1 (lowest) to 5, and the churn zone. Absent
     * until a job has scored the member; audiences treat a condition on them as one on a missing value.
     */
    rfm: rfmSchema.optional(),
    churnZone: churnZoneSchema.optional(),
    /** The churn score of the last scoring run, and the rules that fired. */
    churn: churnScoreSchema.optional(),
    /** Activity facts kept by member-activity from the events (see shared/schemas/retention.ts). */
    activity: memberActivitySchema.optional(),
    tier: z.string().optional(),
    /** The tier the member earned by score, kept apart from a package that may hold them higher. */
    earnedTier: z.string().optional(),
    tierPackage: tierPackageSchema.optional(),
    updatedAt: z.iso.datetime().optional(),
    /** Soft delete: the member is gone from lists and keywords; the ledger stays. */
    deletedAt: z.iso.datetime().optional(),
  }),
);
export type Member = z.infer<typeof memberSchema>;
/** A member as written: defaults (no tags, zero balances) filled in on the way to the store. */
export type MemberInput = z.input<typeof memberSchema>;

/** A phone the merchant knows: a member, its marketing consent, a complaint's suppression, or any of them. */
export interface Contact {
  member?: Member;
  marketing?: MarketingConsent;
  suppression?: Suppression;
}

/** The most custom attributes a member may hold: the cap customAttributesSchema enforces. */
export const maxCustomAttributes = 50;
export const maxTagsPerMember = 50;

const memberNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'name is empty')
    .max(maxNameLength, `name: ${maxNameLength} characters at most`)
    .regex(/^[^<>{}\\]*$/, 'name may not contain < > { } or \\')
    .superRefine((name, context) => {
      const problem = nameProblem(name);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
);
const citySchema = lazySchema(() =>
  z.string().trim().min(1, 'city is empty').max(40, 'city: 40 characters at most'),
);
const tagsSchema = lazySchema(() =>
  z
    .array(tagSchema)
    .max(maxTagsPerMember, `at most ${maxTagsPerMember} tags`)
    .transform((tags) => [...new Set(tags)]),
);
const attributeValueSchema = lazySchema(() =>
  z.union(customAttributesSchema.valueType.options, {
    error: 'attribute values: text of 200 characters at most, a number, or true/false',
  }),
);

/** Custom attributes as a merchant sends them, each bad name reported with its own rule. */
function attributesInputOf<Value extends z.ZodType>(value: Value) {
  return z
    .record(customAttributesSchema.keyType, value, {
      error: (issue) => (issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined),
    })
    .refine(
      (attributes) => Object.keys(attributes).length <= maxCustomAttributes,
      `at most ${maxCustomAttributes} custom attributes`,
    );
}

/**
 * A birthday is a real calendar day, not after `today` (the merchant's date) and not before 1900,
 * written as by text (1990-05-01, 19900501, 1990/5/1 …) and kept as YYYY-MM-DD.
 */
const birthdaySchema = (today: string) =>
  z
    .string()
    .meta({ description: 'YYYY-MM-DD or YYYYMMDD (as a text to join may give it)', examples: ['1990-05-01'] })
    .transform((text, context) => {
      // Read as a text's 注册 张三 19900501 is: one reading of a date for members however they join.
      const date = readDate(text.trim());
      if (date) return date;
      context.addIssue({ code: 'custom', message: 'a real date as YYYY-MM-DD or YYYYMMDD' });
      return z.NEVER;
    })
    .refine((date) => date >= '1900-01-01' && date <= today, 'a past date after 1900');

/** The body of a member created by the merchant; `today` is the merchant's date. */
export const newMemberSchema = (today: string) =>
  z.strictObject({
    phone: z.string({ error: 'phone is required: the mobile number, e.g. +8613800138000' }),
    name: memberNameSchema.optional(),
    gender: memberSchema.shape.gender.unwrap().optional(),
    birthday: birthdaySchema(today).optional(),
    city: citySchema.optional(),
    tags: tagsSchema.optional(),
    attributes: attributesInputOf(attributeValueSchema).optional(),
    /** The customer agreed to marketing texts: recorded as an opt-in unless the phone already chose. */
    marketingConsent: marketingOptInSchema.optional(),
  });
export type NewMember = z.infer<ReturnType<typeof newMemberSchema>>;

/**
 * A change to a member's profile: a field left out stays as it is, `null` clears it; `tags`
 * replaces the list; `attributes` merges, and an attribute set to `null` is removed.
 */
export const memberPatchSchema = (today: string) =>
  z
    .strictObject({
      name: memberNameSchema.nullable().optional(),
      gender: memberSchema.shape.gender.unwrap().nullable().optional(),
      birthday: birthdaySchema(today).nullable().optional(),
      city: citySchema.nullable().optional(),
      tags: tagsSchema.optional(),
      attributes: attributesInputOf(attributeValueSchema.nullable()).optional(),
    })
    .refine(
      (patch) => Object.keys(patch).length > 0,
      `send at least one field to change: ${profileFields.join(', ')}`,
    );
export type MemberPatch = z.infer<ReturnType<typeof memberPatchSchema>>;
