import * as z from 'zod';
import { couponCodeSchema, couponUseSchema } from '../domain/coupons';
import { maxPointsPerOperation } from '../domain/ledger';
import { lazySchema } from '../lazy-schema';

/** What a member texts after the claim keyword ("领取 ROAM90"), so short and unambiguous. */
export const benefitCodeSchema = lazySchema(() =>
  z.string().regex(/^[A-Z0-9]{2,20}$/, 'benefit codes: 2 to 20 uppercase letters or digits, e.g. ROAM90'),
);

/** How often one member may claim: once ever, or once per calendar month / year (merchant time zone). */
export const benefitLimitSchema = lazySchema(() => z.enum(['once', 'monthly', 'yearly']));
export type BenefitLimit = z.infer<typeof benefitLimitSchema>;

const tierCodeSchema = lazySchema(() => z.string().min(1).max(40));

/** What a benefit costs in points (积分兑换): whole points, at least one, at most one ledger operation's worth. */
export const pricePointsSchema = lazySchema(() =>
  z
    .int('pricePoints: a whole number of points')
    .min(1, 'pricePoints: at least 1 point (leave it out for a free benefit)')
    .max(maxPointsPerOperation, `pricePoints: at most ${maxPointsPerOperation} points`),
);

/** The fields of a benefit in the catalog, made for each schema that holds them (on first use). */
const catalogFields = () => ({
  code: benefitCodeSchema,
  name: z.string().trim().min(1).max(60),
  description: z.string().trim().max(500).optional(),
  /** The tiers whose members may claim it; none (only with a price in points) opens it to every member. */
  tiers: z.array(tierCodeSchema),
  /** Points a claim takes from the member's balance, in the claim's own transaction; absent = free. */
  pricePoints: pricePointsSchema.optional(),
  /** What the benefit is worth per tier, e.g. `{ gold: '72h', silver: '48h' }`. */
  valueByTier: z.record(tierCodeSchema, z.string().trim().min(1).max(60)).optional(),
  limit: benefitLimitSchema,
  /** Days the benefit stays valid after it is claimed; absent = no end. */
  validDays: z.int().min(1).max(3650).optional(),
  /** Units left to claim; absent = unlimited. */
  stock: z.int().min(0).optional(),
  /** Claimable only on the member's birthday. */
  birthdayOnly: z.boolean().optional(),
  active: z.boolean().default(true),
});

const valueTiersAreEligible = (
  benefit: { tiers: string[]; valueByTier?: Record<string, string>; pricePoints?: number },
  ctx: z.RefinementCtx,
) => {
  if (benefit.tiers.length === 0 && benefit.pricePoints === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['tiers'],
      message: 'name at least one eligible tier, or give a pricePoints to open it to every member',
    });
  }
  for (const tier of Object.keys(benefit.valueByTier ?? {})) {
    if (benefit.tiers.length > 0 && !benefit.tiers.includes(tier)) {
      ctx.addIssue({
        code: 'custom',
        path: ['valueByTier', tier],
        message: `valueByTier names ${tier}, which is not one of the eligible tiers`,
      });
    }
  }
};

/** A catalog entry as stored: what the merchant set, plus what claims keep up to date. */
export const benefitSchema = lazySchema(() =>
  z
    .object({
      ...catalogFields(),
      /** Claims granted so far; kept by the store, never set by the merchant. */
      claimed: z.int().nonnegative().default(0),
      /** Claims whose coupon was redeemed; kept by the store, never set by the merchant. */
      used: z.int().nonnegative().default(0),
    })
    .superRefine(valueTiersAreEligible),
);
export type Benefit = z.infer<typeof benefitSchema>;

/**
 * A benefit as the merchant creates or replaces it. `stock` left out keeps the current stock
 * (claims may have used some since the merchant last read it); `null` makes it unlimited.
 */
export const benefitInputSchema = lazySchema(() =>
  z
    .strictObject({ ...catalogFields(), stock: catalogFields().stock.unwrap().nullable().optional() })
    .superRefine(valueTiersAreEligible),
);
export type BenefitInput = z.input<typeof benefitInputSchema>;

/** `ever` for once-only benefits, else the calendar year (`YYYY`) or month (`YYYY-MM`) claimed in. */
export const claimPeriodSchema = lazySchema(() =>
  z.string().regex(/^(ever|\d{4}|\d{4}-(0[1-9]|1[0-2]))$/, "period: 'ever', YYYY or YYYY-MM"),
);
export type ClaimPeriod = z.infer<typeof claimPeriodSchema>;

/** One member's claim of one benefit in one period. */
export const claimSchema = lazySchema(() =>
  z.object({
    merchantId: z.string(),
    memberId: z.string(),
    code: benefitCodeSchema,
    claimId: z.string(),
    period: claimPeriodSchema,
    claimedAt: z.iso.datetime(),
    validFrom: z.iso.datetime(),
    validUntil: z.iso.datetime().optional(),
    /** The member's tier value at claim time, e.g. '72h'. */
    value: z.string().optional(),
    /** The points the claim took (an exchange, 积分兑换); absent for a free benefit. */
    pricePoints: pricePointsSchema.optional(),
    /** The inbound message or request id that made the claim, so a retry of it is recognised. */
    idempotencyKey: z.string().max(200),
    /** What the member shows at the counter to use the benefit, once (claims made before codes had none). */
    couponCode: couponCodeSchema.optional(),
    ...couponUseSchema.partial().shape,
  }),
);
export type Claim = z.infer<typeof claimSchema>;

/**
 * A claim's coupon, found by its code: whose it is, the claim it came with, and its use once redeemed.
 * `redeemKey` is the idempotency key of the redemption, so its retry is recognised.
 */
export const couponSchema = lazySchema(() =>
  z.object({
    merchantId: z.string(),
    couponCode: couponCodeSchema,
    memberId: z.string(),
    phone: z.string(),
    /** The benefit's code, and the claim's period and id. */
    code: benefitCodeSchema,
    period: claimPeriodSchema,
    claimId: z.string(),
    validUntil: z.iso.datetime().optional(),
    ...couponUseSchema.partial().shape,
    redeemKey: z.string().max(200).optional(),
  }),
);
export type Coupon = z.infer<typeof couponSchema>;
