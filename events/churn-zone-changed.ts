import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';
import { churnZoneSchema } from './vocabulary';

/**
 * A scoring run put a member in another churn zone. `eventId` is `zone:<runId>:<memberId>`: a run
 * resumed after a crash publishes the same id again, and subscribers act once per id.
 */
export const churnZoneChanged = defineEvent(
  'churn.zone-changed',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      memberId: z.string(),
      phone: z.string(),
      /** The zone before; absent the first time the member is scored. */
      from: churnZoneSchema.optional(),
      to: churnZoneSchema,
      /** The churn score (sum of the groups' highest rule scores) and the rules that fired. */
      score: z.number().int().nonnegative(),
      rules: z.array(z.string()),
      runId: z.string(),
      scoredAt: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'zone:2026-11-23:01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    phone: '+8613800138000',
    from: 'yellow',
    to: 'red',
    score: 8,
    rules: ['no-purchase-60d', 'spend-down-50'],
    runId: '2026-11-23',
    scoredAt: '2026-11-23T19:00:00.000Z',
  },
);
