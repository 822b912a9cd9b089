import type { Balances, Book, Posting } from '../../domain/ledger';

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
    idempotencyKey,
    at,
  };
}
