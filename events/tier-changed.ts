import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

export const tierChanged = defineEvent(
  'tier.changed',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      memberId: z.string(),
      /** Absent for a member's first tier. */
      from: z.string().optional(),
      to: z.string(),
      earnedTier: z.string(),
      change: z.enum(['upgrade', 'downgrade']),
      /** What moved it: the yearly or monthly evaluation, or a package bought or ended. */
      cause: z.enum(['yearly', 'monthly', 'package-bought', 'package-ended', 'table-changed']),
      at: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'tier:yearly:2027:01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    from: 'gold',
    to: 'platinum',
    earnedTier: 'platinum',
    change: 'upgrade',
    cause: 'yearly',
    at: '2027-01-01T00:15:00.000Z',
  },
);
