import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

/** The merchant created, replaced or deactivated a catalog entry. */
export const benefitChanged = defineEvent(
  'benefit.changed',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      code: z.string(),
      active: z.boolean(),
      /** Units left; absent = unlimited. */
      stock: z.number().int().nonnegative().optional(),
      at: z.iso.datetime(),
    }),
  ),
  {
    eventId: 'benefit:ROAM90:2026-11-23T08:00:00.000Z',
    merchantId: 'demo',
    code: 'ROAM90',
    active: true,
    stock: 500,
    at: '2026-11-23T08:00:00.000Z',
  },
);
