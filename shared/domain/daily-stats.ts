import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { addDays, daysBetween } from './time';

/** The dashboard's figures for one day of the merchant's calendar. */
export const dailyCounters = [
  'joins',
  'optOuts',
  'texts',
  'parts',
  'costFen',
  'pointsEarned',
  'pointsRedeemed',
  'couponsRedeemed',
] as const;
export type DailyCounter = (typeof dailyCounters)[number];
export type DailyCounts = Partial<Record<DailyCounter, number>>;

export const dayFiguresSchema = lazySchema(() =>
  z.object({
    date: z.iso.date(),
    /** Members who joined (by text or added by the merchant; imports are not counted). */
    joins: z.number(),
    /** Phones that opted out of marketing texts. */
    optOuts: z.number(),
    /** Texts sent, the parts carriers billed, and what they cost at the merchant's price per part (fen). */
    texts: z.number(),
    parts: z.number(),
    costFen: z.number(),
    pointsEarned: z.number(),
    pointsRedeemed: z.number(),
    /** Coupons used (核销), whichever way. */
    couponsRedeemed: z.number(),
  }),
);
export type DayFigures = z.infer<typeof dayFiguresSchema>;

/** The longest range one request reads: a quarter. */
export const maxDays = 92;

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const count = daysBetween(from, to) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => addDays(from, i));
}

/** One day's figures from its counters as stored (a day nothing happened on has none). */
export function dayFigures(date: string, counts: DailyCounts | undefined): DayFigures {
  const figures = { date } as DayFigures;
  for (const counter of dailyCounters) {
    // Costs add fractions of a fen (4.5 a part): rounded to a tenth, as the price is written.
    figures[counter] = Math.round((counts?.[counter] ?? 0) * 10) / 10;
  }
  return figures;
}

/**
 * A store's figures for one day of its own calendar: what was recorded at it (门店日报). Purchases are
 * the earns for a purchase; top-ups and stored value spent are in cents.
 */
export const storeDailyCounters = [
  'purchases',
  'spendCents',
  'pointsEarned',
  'pointsRedeemed',
  'couponsRedeemed',
  'topUpCents',
  'storedValueSpentCents',
] as const;
export type StoreDailyCounter = (typeof storeDailyCounters)[number];
export type StoreDailyCounts = Partial<Record<StoreDailyCounter, number>>;

export const storeDayFiguresSchema = lazySchema(() =>
  z.object({
    date: z.iso.date(),
    ...(Object.fromEntries(storeDailyCounters.map((counter) => [counter, z.number()])) as Record<
      StoreDailyCounter,
      z.ZodNumber
    >),
  }),
);
export type StoreDayFigures = z.infer<typeof storeDayFiguresSchema>;

/** One store day's figures from its counters as stored (0 for what it has none of). */
export function storeDayFigures(date: string, counts: StoreDailyCounts | undefined): StoreDayFigures {
  const figures = { date } as StoreDayFigures;
  for (const counter of storeDailyCounters) figures[counter] = counts?.[counter] ?? 0;
  return figures;
}

/** The sum of a store's days, counter by counter. */
export function storeTotals(days: readonly StoreDayFigures[]): Record<StoreDailyCounter, number> {
  const totals = Object.fromEntries(storeDailyCounters.map((counter) => [counter, 0])) as Record<
    StoreDailyCounter,
    number
  >;
  for (const day of days) for (const counter of storeDailyCounters) totals[counter] += day[counter];
  return totals;
}
