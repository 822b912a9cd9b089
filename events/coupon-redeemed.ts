import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';
import { redemptionChannelSchema } from './vocabulary';

/** A member's coupon was used (核销), once: by whom, how, and the claim it came with. */
export const couponRedeemed = defineEvent(
  'coupon.redeemed',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      memberId: z.string(),
      couponCode: z.string(),
      /** The benefit's code, and the claim the coupon came with. */
      code: z.string(),
      claimId: z.string(),
      channel: redemptionChannelSchema,
      /** A member of staff (their id) or an API key (its id). */
      by: z.object({ kind: z.enum(['staff', 'api-key']), id: z.string() }),
      /** The store (门店) it was used at, when one was recorded. */
      storeId: z.string().optional(),
      redeemedAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'coupon:K7MW3QXR',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    couponCode: 'K7MW3QXR',
    code: 'ROAM90',
    claimId: '01JD7Q7A2B3C4D5E6F7G8H9J0K',
    channel: 'sms',
    by: { kind: 'staff', id: '01JD7Q5S3T4A5F6F7G8H9J0K1M' },
    redeemedAt: '2026-11-24T08:00:00.000Z',
  },
);
