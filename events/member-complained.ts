import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

/** A customer complained (投诉/举报 by text, or the carrier's spam feedback on a text); `eventId` is `complaint:<ref>`. */
export const memberComplained = defineEvent(
  'member.complained',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      phone: z.string(),
      channel: z.enum(['sms-keyword', 'provider']),
      campaignId: z.string().optional(),
      at: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'complaint:3f1c2a7e',
    merchantId: 'demo',
    phone: '+8613800138000',
    channel: 'sms-keyword',
    at: '2026-11-23T08:00:00.000Z',
  },
);
