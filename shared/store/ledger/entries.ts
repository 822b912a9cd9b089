import type { Balances, Book, Posting } from '../../domain/ledger';
import type { BonusSpendOrder, StoredValueParts } from '../../domain/top-up-bonus';

export interface MemberRef {
  memberId: string;
  phone: string;
}

export interface PostInput {
  merchantId: string;
  member: MemberRef;
  posting: Posting;
  idempotencyKey: string;
  at: Date;
  /** Calendar year of the posting in the merchant's time zone, for the yearly spend. */
  year: string;
  /**
   * Postings to the other book written with this one, under its key and in its transaction: a top-up's
   * bonus points, the points a refund takes back. Each is an entry (and an event) of its own.
   */
  also?: Posting[];
  /**
   * A stored-value debit's split into paid and bonus was computed from these parts: the write is
   * conditioned on them, so a concurrent change makes it go again rather than split wrong.
   */
  partsWere?: StoredValueParts;
  /** A stored-value debit given without its split is split by this order (the merchant's; `last` if unset). */
  bonusSpendOrder?: BonusSpendOrder;
}

export interface Entry {
  entryId: string;
  book: Book;
  type: Posting['type'];
  delta: number;
  reason?: string;
  purchaseCents?: number;
  basePoints?: number;
  multiplierRule?: string;
  multiplier?: number;
  expiresOn?: string;
  benefitCode?: string;
  purchaseRef?: string;
  offsetCents?: number;
  storeId?: string;
  bonusDelta?: number;
  bonusRule?: string;
  bonusPoints?: number;
  refundOf?: string;
  refundCents?: number;
  idempotencyKey: string;
  at: string;
}

export type PostOutcome =
  | { status: 'applied' | 'replayed'; entry: Entry; balances: Balances }
  /** The key was used before for a different operation. */
  | { status: 'conflict' }
  | { status: 'no-member' }
  | { status: 'insufficient'; balance: number };

export interface HistoryPage {
  entries: Entry[];
  cursor?: string;
}

export function toEntry(item: Record<string, unknown>): Entry {
  const { entryId, book, type, delta, reason, purchaseCents, expiresOn, idempotencyKey, at } =
    item as unknown as Entry;
  const { benefitCode, purchaseRef, offsetCents, basePoints, multiplierRule, multiplier, storeId } =
    item as unknown as Entry;
  const { bonusDelta, bonusRule, bonusPoints, refundOf, refundCents } = item as unknown as Entry;
  return {
    entryId: entryId ?? (item.sk as string).slice('ENTRY#'.length),
    book,
    type,
    delta,
    ...(reason !== undefined ? { reason } : {}),
    ...(purchaseCents !== undefined ? { purchaseCents } : {}),
    ...(basePoints !== undefined ? { basePoints, multiplierRule, multiplier } : {}),
    ...(expiresOn !== undefined ? { expiresOn } : {}),
    ...(benefitCode !== undefined ? { benefitCode } : {}),
    ...(purchaseRef !== undefined ? { purchaseRef } : {}),
    ...(offsetCents !== undefined ? { offsetCents } : {}),
    ...(storeId !== undefined ? { storeId } : {}),
    ...(bonusDelta !== undefined ? { bonusDelta } : {}),
    ...(bonusRule !== undefined ? { bonusRule } : {}),
    ...(bonusPoints !== undefined ? { bonusPoints } : {}),
    ...(refundOf !== undefined ? { refundOf } : {}),
    ...(refundCents !== undefined ? { refundCents } : {}),
    idempotencyKey,
    at,
  };
}
