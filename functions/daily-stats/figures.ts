import type * as z from 'zod';
import {
  countCardUsed,
  couponRedeemed,
  memberConsentChanged,
  memberRegistered,
  pointsEarned,
  pointsRedeemed,
  storedValueSpent,
  storedValueToppedUp,
} from '../../events';
import type { EventType } from '../../events/catalog';
import type { DailyCounts, StoreDailyCounts } from '../../shared/domain/daily-stats';
import { dateIn } from '../../shared/domain/time';
import type { DailyStatsStore } from '../../shared/store/daily-stats';
import type { DirectoryStore } from '../../shared/store/directory';

/** What one event adds to its merchant's figures for the day it happened. */
export interface CountedEvent {
  merchantId: string;
  eventId: string;
  at: string;
  counts: DailyCounts;
  /** What it adds to the store it was recorded at (门店), when it was recorded at one. */
  store?: { storeId: string; counts: StoreDailyCounts };
}

/** The store part of a counted event: none when no store was recorded. */
const atStore = (storeId: string | undefined, counts: StoreDailyCounts) =>
  storeId ? { store: { storeId, counts } } : {};

/** An event that counts at its store only: nothing when it was recorded at none. */
const onlyAtStore = (
  d: { merchantId: string; eventId: string; at: string; storeId?: string },
  counts: StoreDailyCounts,
): CountedEvent | undefined =>
  d.storeId
    ? { merchantId: d.merchantId, eventId: d.eventId, at: d.at, counts: {}, ...atStore(d.storeId, counts) }
    : undefined;

function reading<Schema extends z.ZodType>(
  type: EventType<Schema>,
  read: (detail: z.infer<Schema>) => CountedEvent | undefined,
) {
  return { detailType: type.detailType, read: (detail: unknown) => read(type.detail.parse(detail)) };
}

const readings = [
  reading(memberRegistered, (d) => ({
    merchantId: d.merchantId,
    eventId: d.eventId,
    at: d.joinedAt,
    counts: { joins: 1 },
  })),
  // Opting back in is no join and no opt-out: the figure counts the phones that left.
  reading(memberConsentChanged, (d) =>
    d.status === 'unsubscribed'
      ? { merchantId: d.merchantId, eventId: d.eventId, at: d.changedAt, counts: { optOuts: 1 } }
      : undefined,
  ),
  reading(pointsEarned, (d) => ({
    merchantId: d.merchantId,
    eventId: d.eventId,
    at: d.at,
    counts: { pointsEarned: d.delta },
    ...atStore(d.storeId, {
      pointsEarned: d.delta,
      ...(d.purchaseCents ? { purchases: 1, spendCents: d.purchaseCents } : {}),
    }),
  })),
  reading(pointsRedeemed, (d) => ({
    merchantId: d.merchantId,
    eventId: d.eventId,
    at: d.at,
    counts: { pointsRedeemed: -d.delta },
    ...atStore(d.storeId, { pointsRedeemed: -d.delta }),
  })),
  reading(couponRedeemed, (d) => ({
    merchantId: d.merchantId,
    eventId: d.eventId,
    at: d.redeemedAt,
    counts: { couponsRedeemed: 1 },
    ...atStore(d.storeId, { couponsRedeemed: 1 }),
  })),
  // Stored value and count cards move only a store's figures: the merchant's day has no such figure.
  reading(storedValueToppedUp, (d) => onlyAtStore(d, { topUpCents: d.delta })),
  reading(storedValueSpent, (d) => onlyAtStore(d, { storedValueSpentCents: -d.delta })),
  reading(countCardUsed, (d) => onlyAtStore(d, { cardUses: 1 })),
];

/** The rule delivered an event this function does not read: its subscription and this list disagree. */
export class UnexpectedEventError extends Error {
  constructor(detailType: string) {
    super(`${detailType} is not an event daily-stats counts`);
    this.name = 'UnexpectedEventError';
  }
}

/** What an event counts on the daily figures; throws on an event type or detail it cannot read. */
export function countsOf(detailType: string, detail: unknown): CountedEvent | undefined {
  const known = readings.find((r) => r.detailType === detailType);
  if (!known) throw new UnexpectedEventError(detailType);
  return known.read(detail);
}

export interface CountDayDeps {
  directory: Pick<DirectoryStore, 'merchant'>;
  dailyStats: Pick<DailyStatsStore, 'count'>;
}

/** Counts the event on the day it happened in the merchant's time zone, once per event id. */
export async function countOnDay(
  { merchantId, eventId, at, counts, store }: CountedEvent,
  deps: CountDayDeps,
): Promise<'counted' | 'duplicate' | 'no-merchant'> {
  const merchant = await deps.directory.merchant(merchantId);
  if (!merchant) return 'no-merchant';
  const instant = new Date(at);
  // A store counts on its own calendar: a store in another time zone has its own midnight.
  const storeZone = store && (merchant.stores[store.storeId]?.timeZone ?? merchant.timeZone);
  const storeDay = store && storeZone ? { ...store, day: dateIn(storeZone, instant) } : undefined;
  return deps.dailyStats.count(merchantId, dateIn(merchant.timeZone, instant), eventId, counts, storeDay);
}
