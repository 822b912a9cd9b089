import * as z from 'zod';
import { senderNumberPattern } from '../domain/phone';
import { multiplierRulesSchema } from '../domain/points-multipliers';
import { referralSettingsSchema, rewardSchema } from '../domain/referrals';
import { defaultSendWindow, sendWindowSchema } from '../domain/send-window';
import { storeSchema } from '../domain/stores';
import { defaultTierTable, tierTableSchema } from '../domain/tiers';
import { bonusSpendOrderSchema, topUpBonusRulesSchema } from '../domain/top-up-bonus';
import { lazySchema } from '../lazy-schema';
import { retentionSettingsSchema } from './retention';

export const merchantIdSchema = lazySchema(() =>
  z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'merchant id: 2-40 lowercase letters, digits or -'),
);

/** How points are earned and how long they last, per merchant. */
export const loyaltySettingsSchema = lazySchema(() =>
  z
    .object({
      /** Points per currency unit (yuan) of a purchase. */
      pointsPerYuan: z.number().positive().max(100).default(1),
      /**
       * Points that take one yuan off a purchase (抵扣), e.g. 100; unset, points cannot offset purchases.
       * Whole points per fen are not required, but an offset must come to a whole number of points.
       */
      pointsPerYuanOff: z.int('pointsPerYuanOff: a whole number of points').min(1).max(10_000).optional(),
      expiry: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('never') }),
          z.object({ kind: z.literal('days'), days: z.number().int().min(1).max(3650) }),
          z.object({ kind: z.literal('end-of-year'), yearsAfter: z.number().int().min(0).max(5) }),
        ])
        .default({ kind: 'end-of-year', yearsAfter: 1 }),
      tiers: tierTableSchema.default(defaultTierTable),
      /**
       * Service texts telling the member what staff did to their account: points earned or stored value
       * topped up by a staff command texted from the counter, a coupon redeemed (by text, console or
       * API). Each costs a text, so all are off until the merchant turns them on.
       */
      memberNotices: z
        .object({
          earn: z.boolean().default(false),
          topUp: z.boolean().default(false),
          redeem: z.boolean().default(false),
        })
        .default({ earn: false, topUp: false, redeem: false }),
      /** Points multipliers (积分加倍) for purchases: the highest rule that applies, never several. */
      multipliers: multiplierRulesSchema.default([]),
      /** Top-up bonuses (充值赠送): the highest rule a top-up reaches, never several. */
      topUpBonuses: topUpBonusRulesSchema.default([]),
      /**
       * Which part of the stored value a spend takes first: `last` (the default) spends what the member
       * paid before the bonus they were given; `first` spends the bonus first.
       */
      bonusSpendOrder: bonusSpendOrderSchema.default('last'),
      /** The join gift (开卡礼): given once per phone ever, when it first joins. Unset: none. */
      joinGift: rewardSchema.optional(),
      /** Referral rewards (推荐有礼). Unset: referrals are recorded, and reward nobody. */
      referrals: referralSettingsSchema.optional(),
    })
    .superRefine((loyalty, context) => {
      const codes = new Set(loyalty.tiers.map((tier) => tier.code));
      loyalty.multipliers.forEach((rule, index) => {
        for (const tier of rule.tiers ?? []) {
          if (!codes.has(tier))
            context.addIssue({
              code: 'custom',
              path: ['multipliers', index, 'tiers'],
              message: `tiers: ${tier} is not one of the tiers (${[...codes].join(', ')})`,
            });
        }
      });
    }),
);
export type LoyaltySettings = z.infer<typeof loyaltySettingsSchema>;

/**
 * How the merchant's texts go out: the rules `send-sms` applies at send time to every text, whatever
 * capability queued it.
 */
export const sendingSettingsSchema = lazySchema(() =>
  z.object({
    /** Messages per second the merchant's sender identity may send (the provider's limit for it). */
    mps: z.number().int().min(1).max(1000).default(20),
    /**
     * The hours of the merchant's day marketing texts may go out (the sender holds one due outside them
     * until they open). Care texts first wait for the care `sendWindow`, then, if marketing, for these.
     */
    marketingHours: sendWindowSchema.default(defaultSendWindow),
    /** At most this many marketing texts to one member per calendar day and per ISO week (merchant time). */
    frequencyCap: z
      .object({
        perDay: z.number().int().min(1).max(50).default(2),
        perWeek: z.number().int().min(1).max(100).default(5),
      })
      .default({ perDay: 2, perWeek: 5 }),
    /** Carriers' per-recipient cap: texts a day to one number with the same signature and template. */
    carrierCapPerDay: z.number().int().min(1).max(1000).default(50),
    /**
     * A text held over the carrier cap is sent again on the following days, inside the marketing hours,
     * until this many days after it was first held; then it expires, with its reason.
     */
    heldTextExpiryDays: z.number().int().min(1).max(30).default(3),
    /** Appended to every marketing text that does not already carry an opt-out instruction. */
    unsubscribeLine: z.string().min(2).max(20).default('回复TD退订'),
    /** When set, marketing texts from templates not approved by the provider are refused. */
    requireRegisteredTemplates: z.boolean().default(false),
    /** Opt-out words of the merchant's own, on top of the standard set (退订, TD, T, N, R, STOP, UNSUBSCRIBE). */
    optOutKeywords: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
    /** What one part costs the merchant, in fen (0.01 CNY), for cost previews. */
    pricePerPartFen: z.number().min(0).max(1000).default(4.5),
  }),
);
export type SendingSettings = z.infer<typeof sendingSettingsSchema>;

export const merchantSchema = lazySchema(() =>
  z.object({
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
    sending: sendingSettingsSchema.default(sendingSettingsSchema.parse({})),
    retention: retentionSettingsSchema.default(retentionSettingsSchema.parse({})),
    /** When the tier table last changed: the loyalty jobs then re-evaluate every member against it. */
    tiersChangedAt: z.iso.datetime().optional(),
    /** The merchant's stores (门店) by id, and the count of changes to them (each write expects the last). */
    stores: z.record(z.string(), storeSchema).default({}),
    storesVersion: z.int().nonnegative().optional(),
  }),
);
export type Merchant = z.infer<typeof merchantSchema>;
export type MerchantInput = z.input<typeof merchantSchema>;
