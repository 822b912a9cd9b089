import { z } from 'zod';
import { maxNameLength } from '../domain/keywords';

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

/** Merchant-defined fields: short keys, scalar values. */
export const customAttributesSchema = z
  .record(
    z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9_]{0,39}$/,
        'attribute names: a letter, then letters, digits or _ (40 at most)',
      ),
    z.union([z.string().max(200), z.number().finite(), z.boolean()]),
  )
  .refine((attributes) => Object.keys(attributes).length <= 50, 'at most 50 custom attributes');

export const tagSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^,;]+$/, 'tags may not contain , or ;');

/** A membership package bought by the member: it holds the member at a tier until it ends. */
export const tierPackageSchema = z.object({
  tier: z.string().min(1).max(40),
  endsAt: z.iso.datetime(),
});

export const memberSchema = z.object({
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
  /** Spend in cents per calendar year (merchant time zone), the base of the yearly tier score. */
  spendByYear: z.record(z.string().regex(/^\d{4}$/), z.number().int().nonnegative()).default({}),
  tier: z.string().optional(),
  /** The tier the member earned by score, kept apart from a package that may hold them higher. */
  earnedTier: z.string().optional(),
  tierPackage: tierPackageSchema.optional(),
  updatedAt: z.iso.datetime().optional(),
  /** Soft delete: the member is gone from lists and keywords; the ledger stays. */
  deletedAt: z.iso.datetime().optional(),
});
export type Member = z.infer<typeof memberSchema>;
/** A member as written: defaults (no tags, zero balances) filled in on the way to the store. */
export type MemberInput = z.input<typeof memberSchema>;

/** A phone the merchant knows: a member, a consent record, or both. */
export interface Contact {
  member?: Member;
  marketing?: MarketingConsent;
}

/** The most custom attributes a member may hold: the cap customAttributesSchema enforces. */
export const maxCustomAttributes = 50;
export const maxTagsPerMember = 50;

const memberNameSchema = z
  .string()
  .trim()
  .min(1, 'name is empty')
  .max(maxNameLength, `name: ${maxNameLength} characters at most`)
  .regex(/^[^<>{}\\]*$/, 'name may not contain < > { } or \\');
const citySchema = z.string().trim().min(1, 'city is empty').max(40, 'city: 40 characters at most');
const tagsSchema = z
  .array(tagSchema)
  .max(maxTagsPerMember, `at most ${maxTagsPerMember} tags`)
  .transform((tags) => [...new Set(tags)]);
const attributeValueSchema = z.union(customAttributesSchema.valueType.options, {
  error: 'attribute values: text of 200 characters at most, a number, or true/false',
});

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

/** A birthday is a real calendar day, not after `today` (the merchant's date) and not before 1900. */
const birthdaySchema = (today: string) =>
  z.iso
    .date('birthday: a real date as YYYY-MM-DD')
    .refine((date) => date >= '1900-01-01' && date <= today, 'birthday must be a past date after 1900');

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
  });
export type NewMember = z.infer<ReturnType<typeof newMemberSchema>>;

export const profileFields = ['name', 'gender', 'birthday', 'city', 'tags', 'attributes'] as const;

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
