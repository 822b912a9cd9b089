import type * as z from 'zod';
import {
  couponRedeemed,
  memberConsentChanged,
  memberRegistered,
  pointsEarned,
  pointsRedeemed,
} from '../../events';
import type { EventType } from '../../events/catalog';
import type { DailyCounts } from '../../shared/domain/daily-stats';
import { dateIn } from '../../shared/domain/time';
import type { DailyStatsStore } from '../../shared/store/daily-stats';
import type { DirectoryStore } from '../../shared/store/directory';

/** What one event adds to its merchant's figures for the day it happened. */
export interface CountedEvent {
  merchantId: string;
  eventId: string;
  at: string;
  counts: DailyCounts;
}

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
  })),
  reading(pointsRedeemed, (d) => ({
    merchantId: d.merchantId,
    eventId: d.eventId,
    at: d.at,
    counts: { pointsRedeemed: -d.delta },
  })),
  reading(couponRedeemed, (d) => ({
    merchantId: d.merchantId,
    eventId: d.eventId,
    at: d.redeemedAt,
    counts: { couponsRedeemed: 1 },
  })),
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
  { merchantId, eventId, at, counts }: CountedEvent,
  deps: CountDayDeps,
): Promise<'counted' | 'duplicate' | 'no-merchant'> {
  const merchant = await deps.directory.merchant(merchantId);
  if (!merchant) return 'no-merchant';
  return deps.dailyStats.count(merchantId, dateIn(merchant.timeZone, new Date(at)), eventId, counts);
}
