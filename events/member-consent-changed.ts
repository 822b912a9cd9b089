import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';
import { consentChannelSchema } from './vocabulary';

export const memberConsentChanged = defineEvent(
  'member.consent-changed',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      /** Consent is kept per phone, so a non-member's opt-out is honoured if they join later. */
      phone: z.string(),
      status: z.enum(['subscribed', 'unsubscribed']),
      channel: consentChannelSchema,
      changedAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'consent:sms:3f1c2a7e',
    merchantId: 'demo',
    phone: '+8613800138000',
    status: 'unsubscribed',
    channel: 'sms-keyword',
    changedAt: '2026-11-23T08:00:00.000Z',
  },
);
