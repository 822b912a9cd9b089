import * as z from 'zod';
import { datesBetween, dayFigures, dayFiguresSchema, maxDays } from '../../shared/domain/daily-stats';
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
  dailyStats: Pick<DailyStatsStore, 'days'>;
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

/** `GET /v1/stats/daily`: each day from `from` to `to`, 30 days up to today by default. */
export async function getDailyStats(
  request: Request,
  merchant: Merchant,
  deps: Pick<DailyStatsRoutesDeps, 'dailyStats' | 'clock'>,
): Promise<Response> {
  const query = parseQuery(request, dailyStatsQuerySchema);
  const to = query.to ?? (query.from ? addDays(query.from, 29) : dateIn(merchant.timeZone, deps.clock()));
  const from = query.from ?? addDays(to, -29);
  const counted = await deps.dailyStats.days(merchant.merchantId, from, to);
  const days = datesBetween(from, to).map((day) => dayFigures(day, counted.get(day)));
  return json(200, { days } satisfies z.infer<typeof dailyStatsAnswerSchema>);
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
