import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

export const benefitClaimed = defineEvent(
  'benefit.claimed',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      memberId: z.string(),
      code: z.string(),
      claimId: z.string(),
      period: z.string(),
      value: z.string().optional(),
      validUntil: z.iso.datetime().optional(),
      /** The points the claim took, when the benefit is priced in points (an exchange, 积分兑换). */
      pricePoints: z.number().int().positive().optional(),
      /** `retention`: granted by a retention rule; `reward`: a join gift or referral reward; not claimed by the member. */
      channel: z.enum(['sms', 'merchant-api', 'retention', 'reward']),
      claimedAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'claim:01JD7Q7A2B3C4D5E6F7G8H9J0K',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    code: 'ROAM90',
    claimId: '01JD7Q7A2B3C4D5E6F7G8H9J0K',
    period: 'ever',
    value: '90 days',
    validUntil: '2027-02-21T08:00:00.000Z',
    channel: 'sms',
    claimedAt: '2026-11-23T08:00:00.000Z',
  },
);
