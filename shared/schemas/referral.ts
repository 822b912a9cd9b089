import * as z from 'zod';
import { referralStatuses, rewardSchema } from '../domain/referrals';
import { lazySchema } from '../lazy-schema';

/** Member ids are ULIDs: they sort by the time the member was created. */
export const memberIdSchema = lazySchema(() =>
  z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a member id (26 characters, as the API gave it)'),
);

/**
 * A referral (推荐有礼): who brought whom, when, and what settling it gave. It names members by id only,
 * so erasing either member's personal data leaves nothing of it to erase.
 */
export const referralSchema = lazySchema(() =>
  z.object({
    merchantId: z.string(),
    newMemberId: memberIdSchema,
    referrerMemberId: memberIdSchema,
    /** When the new member joined, and how. */
    referredAt: z.iso.datetime(),
    channel: z.enum(['sms', 'merchant-api', 'import']),
    status: z.enum(referralStatuses),
    /** When it was settled (first purchase, or join), and what it gave each party. */
    settledAt: z.iso.datetime().optional(),
    referrerReward: rewardSchema.optional(),
    newMemberReward: rewardSchema.optional(),
  }),
);
export type Referral = z.infer<typeof referralSchema>;
