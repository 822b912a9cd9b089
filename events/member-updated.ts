import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';
import { profileFields } from './vocabulary';

export const memberUpdated = defineEvent(
  'member.updated',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      memberId: z.string(),
      /** The profile fields the change named; subscribers read the member for the values. */
      fields: z.array(z.enum(profileFields)).min(1),
      channel: z.enum(['merchant-api']),
      updatedAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'update:5b2e9c41-7d3a-4f0e-9a61-0c8d2e7f4b13',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    fields: ['name', 'tags'],
    channel: 'merchant-api',
    updatedAt: '2026-11-23T08:00:00.000Z',
  },
);
