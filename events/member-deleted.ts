import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

/** The member is gone from lists and the API; their ledger entries stay. */
export const memberDeleted = defineEvent(
  'member.deleted',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      memberId: z.string(),
      channel: z.enum(['merchant-api']),
      deletedAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'delete:01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    channel: 'merchant-api',
    deletedAt: '2026-11-23T08:00:00.000Z',
  },
);
