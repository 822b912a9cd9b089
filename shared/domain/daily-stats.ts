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
