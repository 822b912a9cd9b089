import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent, eventOf } from './catalog';

/** A deleted member is back in lists and the API, with their ledger: restored by the merchant or by joining again. */
export const memberRestored = defineEvent(
  'member.restored',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      memberId: z.string(),
      channel: z.enum(['merchant-api', 'sms']),
      restoredAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'restore:01JD7Q6V4N8K2M5P9R3T6W8Y0Z:2026-11-24T08:00:00.000Z',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    channel: 'merchant-api',
    restoredAt: '2026-11-24T08:00:00.000Z',
  },
);

/** The event of a restore: named by the member and the restore's time, so a retry publishes it once. */
export const restoreOf = (
  member: { merchantId: string; memberId: string; updatedAt?: string },
  channel: 'merchant-api' | 'sms',
  at: string,
) =>
  eventOf(memberRestored, {
    eventId: `restore:${member.memberId}:${member.updatedAt ?? at}`,
    merchantId: member.merchantId,
    memberId: member.memberId,
    channel,
    restoredAt: member.updatedAt ?? at,
  });
