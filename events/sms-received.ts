import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

/**
 * A customer texted the merchant's number (routed to the merchant, from a valid mobile number),
 * member or not. `intent` is what the text was read as (`opt-out`, `points`, `survey-answer`, …).
 */
export const smsReceived = defineEvent(
  'sms.received',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      phone: z.string(),
      inboundMessageId: z.string(),
      intent: z.string().max(40),
      receivedAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'inbound:3f1c2a7e',
    merchantId: 'demo',
    phone: '+8613800138000',
    inboundMessageId: '3f1c2a7e',
    intent: 'points',
    receivedAt: '2026-11-23T08:00:00.000Z',
  },
);
