import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { dateIn } from './time';

/**
 * Join gifts (开卡礼) and referral rewards (推荐有礼). A join gift is given once per phone ever: the
 * mark of it is kept under the phone's proof, so leaving and joining again, or an erasure and a new
 * join, finds it. A referral names the member who brought a new one; its rewards go once per new
 * member, at the first purchase or at join as the merchant sets, and the referrer's stop at the
 * merchant's monthly cap (the referral is still recorded). Pure: the stores and the clock are the
 * caller's.
 */

/** What a gift or a reward gives: points, a benefit of the catalog (by code), or both. */
export const rewardSchema = lazySchema(() =>
  z
    .strictObject({
      points: z
        .int('points: a whole number')
        .min(1, 'points: at least 1')
        .max(100_000, 'points: at most 100000')
        .optional(),
      benefitCode: z
        .string()
        .regex(/^[A-Z0-9]{2,20}$/, 'benefitCode: 2 to 20 uppercase letters or digits, e.g. WELCOME')
        .optional(),
    })
    .refine((reward) => reward.points !== undefined || reward.benefitCode !== undefined, {
      message: 'points or benefitCode: a reward gives points, a benefit, or both',
    }),
);
export type Reward = z.infer<typeof rewardSchema>;

export const referralTimings = ['first-purchase', 'join'] as const;
export type ReferralTiming = (typeof referralTimings)[number];

export const referralSettingsSchema = lazySchema(() =>
  z.strictObject({
    /** What the member who brought the new one gets. */
    referrer: rewardSchema.optional(),
    /** What the new member gets for being referred (on top of any join gift). */
    newMember: rewardSchema.optional(),
    /** When the rewards go: at the new member's first purchase (the default), or as they join. */
    when: z.enum(referralTimings).default('first-purchase'),
    /** At most this many rewarded referrals per referrer per calendar month (merchant time zone). */
    monthlyCapPerReferrer: z
      .int('monthlyCapPerReferrer: a whole number')
      .min(1, 'monthlyCapPerReferrer: at least 1')
      .max(1000, 'monthlyCapPerReferrer: at most 1000')
      .optional(),
  }),
);
export type ReferralSettings = z.infer<typeof referralSettingsSchema>;

/** Why a referral named at join is not recorded. */
export type ReferralProblem =
  /** What followed 推荐 is not a mobile number. */
  | 'unreadable'
  /** The new member named their own phone. */
  | 'self'
  /** No current member has that phone. */
  | 'not-member'
  /** The phone joined at the same time as the new member or after. */
  | 'joined-later';

export interface ReferrerCandidate {
  phone: string;
  joinedAt: string;
  deletedAt?: string;
}

/**
 * Whether `referrer` may be recorded as having brought the member joining with `phone` at `joinedAt`:
 * another phone, a current member, who joined before them.
 */
export function referralProblem(
  joiner: { phone: string; joinedAt: string },
  referrerPhone: string,
  referrer: ReferrerCandidate | undefined,
): ReferralProblem | undefined {
  if (referrerPhone === joiner.phone) return 'self';
  if (!referrer || referrer.deletedAt) return 'not-member';
  if (Date.parse(referrer.joinedAt) >= Date.parse(joiner.joinedAt)) return 'joined-later';
  return undefined;
}

/** The calendar month (YYYY-MM, merchant time zone) a referral's reward counts toward the cap in. */
export const capMonth = (timeZone: string, at: Date) => dateIn(timeZone, at).slice(0, 7);

/** A referral's state: waiting for the new member's first purchase, or settled one way or the other. */
export const referralStatuses = ['pending', 'rewarded', 'capped', 'no-reward'] as const;
export type ReferralStatus = (typeof referralStatuses)[number];

/**
 * What settling a referral gives, from the merchant's settings as they are then: the new member's
 * reward always, the referrer's unless the cap is reached. `no-reward`: the settings give nothing.
 */
export function settlement(
  settings: ReferralSettings | undefined,
  referrerUnderCap: boolean,
): { status: Exclude<ReferralStatus, 'pending'>; referrer?: Reward; newMember?: Reward } {
  const newMember = settings?.newMember;
  const referrer = settings?.referrer;
  if (!referrer && !newMember) return { status: 'no-reward' };
  if (referrer && !referrerUnderCap) return { status: 'capped', ...(newMember ? { newMember } : {}) };
  return {
    status: 'rewarded',
    ...(referrer ? { referrer } : {}),
    ...(newMember ? { newMember } : {}),
  };
}

/** The named keys of a referral's and a join gift's grants: one per new member (or phone) and party. */
export const rewardKeys = {
  referral: (newMemberId: string, party: 'referrer' | 'new-member') => `referral:${newMemberId}:${party}`,
  joinGift: (memberId: string) => `join-gift:${memberId}`,
} as const;

/** The ledger entry's reason for each grant: the member's statement shows what the points were for. */
export const rewardReasons = {
  joinGift: 'join gift',
  referrer: (newMemberId: string) => `referral reward: brought member ${newMemberId}`,
  newMember: 'referral reward: joined by referral',
} as const;
