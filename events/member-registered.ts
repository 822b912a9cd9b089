import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

export const memberRegistered = defineEvent(
  'member.registered',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      memberId: z.string(),
      channel: z.enum(['sms', 'merchant-api']),
      joinedAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'register:sms:3f1c2a7e',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    channel: 'sms',
    joinedAt: '2026-11-23T08:00:00.000Z',
  },
);
