import * as z from 'zod';
import {
  datesBetween,
  dayFigures,
  dayFiguresSchema,
  maxDays,
  storeDailyCounters,
  storeDayFigures,
  storeDayFiguresSchema,
  storeTotals,
} from '../../shared/domain/daily-stats';
import { sortedStores } from '../../shared/domain/stores';
import { addDays, dateIn, daysBetween } from '../../shared/domain/time';
import type { Merchant } from '../../shared/schemas/merchant';
import type { CampaignsStore } from '../../shared/store/campaigns';
import type { DailyStatsStore } from '../../shared/store/daily-stats';
import type { MembersStore } from '../../shared/store/members';
import type { TicketsStore } from '../../shared/store/tickets';
import { json, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidQuery, type RouteDocsFor } from './route-docs';

/**
 * The dashboard's figures: per day, from counters kept as things happen (no member is read), and
 * the few that stand at a moment rather than add up by day, counted on the server.
 */

export interface DailyStatsRoutesDeps {
  dailyStats: Pick<DailyStatsStore, 'days' | 'storeDays'>;
  members: Pick<MembersStore, 'count'>;
  tickets: Pick<TicketsStore, 'countUnclosed'>;
  campaigns: Pick<CampaignsStore, 'active'>;
  clock: () => Date;
}

const date = z.iso.date('a date, YYYY-MM-DD');
export const dailyStatsQuerySchema = z
  .strictObject({ from: date.optional(), to: date.optional() })
  .refine(({ from, to }) => !from || !to || daysBetween(from, to) >= 0, {
    path: ['to'],
    message: 'to: on or after from',
  })
  .refine(({ from, to }) => !from || !to || daysBetween(from, to) < maxDays, {
    path: ['to'],
    message: `to: at most ${maxDays} days after from`,
  });

const dailyStatsAnswerSchema = z.object({ days: z.array(dayFiguresSchema) });

/** The days a query asks for: `from` to `to`, 30 days up to today (in `timeZone`) by default. */
function rangeOf(query: z.infer<typeof dailyStatsQuerySchema>, timeZone: string, now: Date) {
  const to = query.to ?? (query.from ? addDays(query.from, 29) : dateIn(timeZone, now));
  return { from: query.from ?? addDays(to, -29), to };
}

/** `GET /v1/stats/daily`: each day from `from` to `to`, 30 days up to today by default. */
export async function getDailyStats(
  request: Request,
  merchant: Merchant,
  deps: Pick<DailyStatsRoutesDeps, 'dailyStats' | 'clock'>,
): Promise<Response> {
  const { from, to } = rangeOf(parseQuery(request, dailyStatsQuerySchema), merchant.timeZone, deps.clock());
  const counted = await deps.dailyStats.days(merchant.merchantId, from, to);
  const days = datesBetween(from, to).map((day) => dayFigures(day, counted.get(day)));
  return json(200, { days } satisfies z.infer<typeof dailyStatsAnswerSchema>);
}

const storeStatsAnswerSchema = z.object({
  storeStats: z.object({
    from: z.iso.date(),
    to: z.iso.date(),
    stores: z.array(
      z.object({
        storeId: z.string(),
        name: z.string(),
        status: z.enum(['open', 'closed']),
        timeZone: z.string(),
        /** The sum of the days, counter by counter. */
        totals: z.object(
          Object.fromEntries(storeDailyCounters.map((counter) => [counter, z.number()])) as Record<
            (typeof storeDailyCounters)[number],
            z.ZodNumber
          >,
        ),
        days: z.array(storeDayFiguresSchema),
      }),
    ),
  }),
});

/**
 * `GET /v1/stats/stores`: each store's days from `from` to `to` (the merchant's today by default; each
 * store's dates are its own calendar's), one query per store, open stores first.
 */
export async function getStoreStats(
  request: Request,
  merchant: Merchant,
  deps: Pick<DailyStatsRoutesDeps, 'dailyStats' | 'clock'>,
): Promise<Response> {
  const { from, to } = rangeOf(parseQuery(request, dailyStatsQuerySchema), merchant.timeZone, deps.clock());
  const dates = datesBetween(from, to);
  const stores = await Promise.all(
    sortedStores(merchant.stores).map(async ({ storeId, name, status, timeZone }) => {
      const counted = await deps.dailyStats.storeDays(merchant.merchantId, storeId, from, to);
      const days = dates.map((day) => storeDayFigures(day, counted.get(day)));
      return { storeId, name, status, timeZone, totals: storeTotals(days), days };
    }),
  );
  return json(200, { storeStats: { from, to, stores } } satisfies z.infer<typeof storeStatsAnswerSchema>);
}

const statsNowSchema = z.object({
  stats: z.object({
    /** Current members (deleted ones not counted). */
    members: z.number().int(),
    /** Tickets not closed yet: open, or answered and waiting. */
    openTickets: z.number().int(),
    /** Campaigns sending right now. */
    runningCampaigns: z.number().int(),
  }),
});

/** `GET /v1/stats/now`. */
export async function getStatsNow(
  _request: Request,
  merchant: Merchant,
  deps: Pick<DailyStatsRoutesDeps, 'members' | 'tickets' | 'campaigns'>,
): Promise<Response> {
  const [members, openTickets, active] = await Promise.all([
    deps.members.count(merchant.merchantId),
    deps.tickets.countUnclosed(merchant.merchantId),
    deps.campaigns.active(merchant.merchantId),
  ]);
  const runningCampaigns = active.filter((campaign) => campaign.status === 'running').length;
  return json(200, { stats: { members, openTickets, runningCampaigns } } satisfies z.infer<
    typeof statsNowSchema
  >);
}

export const dailyStatsRouteDocs: RouteDocsFor<'/v1/stats'> = {
  'GET /v1/stats/daily': {
    summary: 'Daily figures',
    description:
      'For each day of your calendar (your time zone) from `from` to `to` (30 days up to today by default, ' +
      `at most ${maxDays}): members who joined (imports not counted), opt-outs, texts sent with their parts ` +
      'and cost (fen, at your price per part), and points earned and redeemed. Counted as they happen, a few ' +
      'seconds behind.',
    query: dailyStatsQuerySchema,
    responses: { 200: { description: 'One entry per day, oldest first', body: dailyStatsAnswerSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/stats/stores': {
    summary: 'Daily figures by store',
    description:
      'For each of your stores (门店, open ones first), each day from `from` to `to` (30 days up to today ' +
      `by default, at most ${maxDays}) of the store's own calendar: purchases (earns for a purchase) and ` +
      'their amount in cents, points earned and redeemed, coupons used, stored value topped up and spent ' +
      '(cents), as recorded at the store — by its staff, or by calls that named it — and the totals over ' +
      'the days. What was recorded at no store is in the daily figures only. Counted as they happen, a ' +
      'few seconds behind.',
    query: dailyStatsQuerySchema,
    responses: {
      200: { description: 'Each store with its days, oldest first', body: storeStatsAnswerSchema },
    },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/stats/now': {
    summary: 'Figures as they stand',
    description:
      'What the dashboard shows beside the daily figures: your current members, tickets not yet closed, ' +
      'and campaigns sending right now. Counted by the API when asked, without sending the items: the ' +
      'member count reads your member list’s index, so it costs more reads the more members you have.',
    responses: { 200: { description: 'The counts', body: statsNowSchema } },
    errors: {},
  },
};
