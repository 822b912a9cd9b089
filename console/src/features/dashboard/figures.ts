import type { DayFigures } from './api/get-daily-stats';

/** The sums the dashboard shows, from the days the API answered (oldest first, the last is today). */
export interface Sums {
  joinsThisWeek: number;
  optOutsToday: number;
  optOutsThisMonth: number;
  textsToday: number;
  costFenToday: number;
  textsThisMonth: number;
  costFenThisMonth: number;
}

const sum = (days: readonly DayFigures[], figure: keyof Omit<DayFigures, 'date'>) =>
  // Costs carry tenths of a fen: rounded again after adding, as the API rounds each day.
  Math.round(days.reduce((total, day) => total + day[figure], 0) * 10) / 10;

/** Monday of the ISO week `date` (YYYY-MM-DD) falls in, as YYYY-MM-DD. */
export function weekStart(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** The first day of `date`'s month, as YYYY-MM-DD. */
export const monthStart = (date: string): string => `${date.slice(0, 8)}01`;

/** Sums over today, this week and this month; `month` holds every day of the month up to today. */
export function sums(recent: readonly DayFigures[], month: readonly DayFigures[]): Sums {
  const today = recent.slice(-1);
  const monday = today[0] ? weekStart(today[0].date) : '';
  const week = recent.filter((day) => day.date >= monday);
  return {
    joinsThisWeek: sum(week, 'joins'),
    optOutsToday: sum(today, 'optOuts'),
    optOutsThisMonth: sum(month, 'optOuts'),
    textsToday: sum(today, 'texts'),
    costFenToday: sum(today, 'costFen'),
    textsThisMonth: sum(month, 'texts'),
    costFenThisMonth: sum(month, 'costFen'),
  };
}
