import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** Figures per day of the shop's calendar; with no range, the 30 days up to the shop's today. */
export const getDailyStats = (range?: { from: string; to: string }) =>
  answer(api.GET('/v1/stats/daily', { params: { query: range ?? {} } })).then((a) => a.days);

export type DayFigures = Awaited<ReturnType<typeof getDailyStats>>[number];

export const dailyStatsQuery = (range?: { from: string; to: string }) =>
  queryOptions({
    queryKey: ['stats', 'daily', range ?? 'last-30-days'],
    queryFn: () => getDailyStats(range),
  });

/** `range` undefined: the last 30 days; `enabled` false waits (a range that depends on another answer). */
export const useDailyStats = (range?: { from: string; to: string }, enabled = true) =>
  useQuery({ ...dailyStatsQuery(range), enabled });
