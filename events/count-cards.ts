import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

/** Count cards (计次卡): a card sold to a member, one use of it, and the refund of its unused uses. */

const by = () => z.object({ kind: z.enum(['staff', 'api-key']), id: z.string() });
const cardFields = () => ({
  eventId: z.string(),
  merchantId: z.string(),
  memberId: z.string(),
  cardId: z.string(),
  productId: z.string(),
  name: z.string(),
  /** A member of staff (their id) or an API key (its id). */
  by: by(),
  idempotencyKey: z.string(),
  at: z.iso.datetime(),
});

const card = {
  merchantId: 'demo',
  memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
  cardId: '01JD7Q7A2B3C4D5E6F7G8H9J0K',
  productId: '01JD7Q5S3T4A5F6F7G8H9J0K1M',
  name: '洗车10次卡',
  by: { kind: 'staff' as const, id: '01JD7Q5S3T4A5F6F7G8H9J0K1N' },
  at: '2026-12-08T08:00:00.000Z',
};

export const countCardSold = defineEvent(
  'count-card.sold',
  lazySchema(() =>
    z.object({
      ...cardFields(),
      uses: z.int().positive(),
      expiresOn: z.iso.date(),
      pricePaid: z.int().nonnegative(),
      /** Paid from the member's stored value (in the same transaction), or at the till. */
      payment: z.enum(['stored-value', 'till']),
    }),
  ),
  {
    ...card,
    eventId: 'count-card-sold:order-1001',
    idempotencyKey: 'order-1001',
    uses: 10,
    expiresOn: '2027-12-07',
    pricePaid: 30_000,
    payment: 'stored-value',
  },
);

export const countCardUsed = defineEvent(
  'count-card.used',
  lazySchema(() =>
    z.object({
      ...cardFields(),
      usesLeft: z.int().nonnegative(),
      /** The store (门店) it was used at, when one was recorded. */
      storeId: z.string().optional(),
    }),
  ),
  { ...card, eventId: 'count-card-used:wash-2001', idempotencyKey: 'wash-2001', usesLeft: 9 },
);

export const countCardRefunded = defineEvent(
  'count-card.refunded',
  lazySchema(() =>
    z.object({
      ...cardFields(),
      refundedUses: z.int().nonnegative(),
      refundCents: z.int().nonnegative(),
      /** Back to stored value (a ledger entry in the same transaction), or paid out at the till. */
      payment: z.enum(['stored-value', 'till']),
    }),
  ),
  {
    ...card,
    eventId: 'count-card-refunded:refund-3001',
    idempotencyKey: 'refund-3001',
    refundedUses: 9,
    refundCents: 27_000,
    payment: 'stored-value',
  },
);
