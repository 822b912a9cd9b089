import { createHash } from 'node:crypto';

/**
 * The rules of a member's two books: points, and stored value (a prepaid balance in cents).
 * Every change is one signed posting; a balance is the sum of its book's postings and may never
 * go below zero.
 *
 * Points expire in lots: each earn (or positive adjustment) adds to the lot of its expiry date.
 * Spending points (redeem, expire, a negative adjustment) consumes the lots that expire soonest
 * first, which under a fixed policy is the oldest points first. So the member needs no per-lot
 * bookkeeping: with C(d) the points in lots expiring on or before d and U the points consumed so
 * far, the points left to expire by d are max(0, C(d) - U).
 */

export type Book = 'points' | 'storedValue';
export type EntryType = 'earn' | 'redeem' | 'adjust' | 'expire' | 'top-up' | 'spend' | 'refund';

/** The most one operation may move; larger is a typo in a merchant's integration. */
export const maxPointsPerOperation = 1_000_000;
export const maxCentsPerOperation = 100_000_000;

/** Idempotency keys name one business operation: an order id, a refund id, a run date. */
export const idempotencyKeyPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface Posting {
  book: Book;
  type: EntryType;
  /** Signed change to the book's balance. */
  delta: number;
  reason?: string;
  /** The purchase behind an earn, counted toward the yearly tier score. */
  purchaseCents?: number;
  /** A multiplied earn (积分加倍): the points before the multiplier, and the rule that multiplied them. */
  basePoints?: number;
  multiplierRule?: string;
  multiplier?: number;
  /** Last day (merchant time zone) the points of an earn can be used. */
  expiresOn?: string;
  /** The benefit a redeem exchanged the points for (积分兑换). */
  benefitCode?: string;
  /** The purchase a redeem offsets (抵扣): its reference and the cents taken off it. */
  purchaseRef?: string;
  offsetCents?: number;
  /** The store (门店) it was recorded at: the staff member's, or the one an API call named. */
  storeId?: string;
  /**
   * Stored value only: the signed part of `delta` that moved the bonus balance (充值赠送) — a top-up's
   * bonus (+), the bonus a spend or a refund took (−). The paid part moved by `delta − bonusDelta`.
   */
  bonusDelta?: number;
  /** A top-up given a bonus: the rule, and the bonus points booked with it (their own points entry). */
  bonusRule?: string;
  bonusPoints?: number;
  /** A refund (退款): the top-up's idempotency key, and the money handed back to the member. */
  refundOf?: string;
  refundCents?: number;
}

export type ExpiryPolicy =
  | { kind: 'never' }
  /** Points last N days after the day they were earned. */
  | { kind: 'days'; days: number }
  /** Points last until 31 December, `yearsAfter` years after the year they were earned. */
  | { kind: 'end-of-year'; yearsAfter: number };

export interface Balances {
  points: number;
  storedValue: number;
  /** The bonus part of `storedValue` (充值赠送); what was paid is the rest. */
  storedValueBonus?: number;
}

/**
 * The points that take `offsetCents` off a purchase at the merchant's rate (`pointsPerYuanOff`, points
 * per yuan off); undefined when the offset is not a whole number of points at that rate.
 */
export function pointsForOffset(offsetCents: number, pointsPerYuanOff: number): number | undefined {
  const points = (offsetCents * pointsPerYuanOff) / 100;
  // Rates such as 0.5 point per fen leave float dust; a whole number of points is what is asked for.
  const whole = Math.round(points);
  return Math.abs(points - whole) < 1e-9 ? whole : undefined;
}

/** Points a purchase earns: whole points only, rounded down. */
export function pointsForPurchase(purchaseCents: number, pointsPerYuan: number): number {
  return Math.floor((purchaseCents * pointsPerYuan) / 100);
}

/** The last day points earned on `earnedOn` (YYYY-MM-DD) can be used, or undefined if they never expire. */
export function expiryDate(earnedOn: string, policy: ExpiryPolicy): string | undefined {
  switch (policy.kind) {
    case 'never':
      return undefined;
    case 'days': {
      const date = new Date(`${earnedOn}T00:00:00Z`);
      date.setUTCDate(date.getUTCDate() + policy.days);
      return date.toISOString().slice(0, 10);
    }
    case 'end-of-year':
      return `${Number(earnedOn.slice(0, 4)) + policy.yearsAfter}-12-31`;
  }
}

/** How a posting moves the consumed-points counter U: every points debit consumes points. */
export function consumes(posting: Posting): number {
  return posting.book === 'points' && posting.delta < 0 ? -posting.delta : 0;
}

/** Whether a posting adds a points lot (and so needs an expiry date under the merchant's policy). */
export function addsLot(posting: Posting): boolean {
  return posting.book === 'points' && posting.delta > 0;
}

export interface Lot {
  expiresOn: string;
  points: number;
}

/** Points in lots expiring on or before `through` that are not yet consumed: what expires then. */
export function expirablePoints(lots: readonly Lot[], consumed: number, through: string): number {
  const due = lots.filter((lot) => lot.expiresOn <= through).reduce((sum, lot) => sum + lot.points, 0);
  return Math.max(0, due - consumed);
}

/** The first lot on or after `from` that still holds points, with what is left of it. */
export function soonestExpiring(lots: readonly Lot[], consumed: number, from: string): Lot | undefined {
  let before = 0;
  for (const lot of [...lots].sort((a, b) => a.expiresOn.localeCompare(b.expiresOn))) {
    const through = before + lot.points;
    const left = Math.max(0, through - consumed) - Math.max(0, before - consumed);
    before = through;
    if (lot.expiresOn >= from && left > 0) return { expiresOn: lot.expiresOn, points: left };
  }
  return undefined;
}

/**
 * What a retried request must repeat exactly. The same idempotency key with a different
 * fingerprint is a client bug (two operations sharing one key), not a retry.
 */
export function postingFingerprint(memberId: string, posting: Posting): string {
  const { book, type, reason, purchaseCents, benefitCode, purchaseRef, offsetCents, refundOf } = posting;
  // A multiplied earn is the purchase asked for, whichever rule applied: a retry that lands after a
  // points day ended repeats the first answer instead of being taken for another operation. So is a
  // top-up without its bonus, and a spend whichever part it took. A refund asks for one top-up back,
  // whatever its amounts came to.
  const delta =
    type === 'refund'
      ? null
      : (posting.basePoints ??
        (type === 'top-up' ? posting.delta - (posting.bonusDelta ?? 0) : posting.delta));
  // Fields a posting gained later join the fingerprint only when set, so earlier keys still match.
  const later: (string | number | null)[] = [benefitCode, purchaseRef, offsetCents].some(
    (field) => field !== undefined,
  )
    ? [benefitCode ?? null, purchaseRef ?? null, offsetCents ?? null]
    : [];
  if (refundOf !== undefined) later.push(refundOf);
  return createHash('sha256')
    .update(JSON.stringify([memberId, book, type, delta, reason ?? null, purchaseCents ?? null, ...later]))
    .digest('base64url');
}
