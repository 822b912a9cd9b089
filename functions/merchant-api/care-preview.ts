import * as z from 'zod';
import { calendarYear, festivalCatalog } from '../../shared/domain/occasions';
import { dateIn } from '../../shared/domain/time';
import { careSettingsSchema } from '../../shared/schemas/care';
import type { Merchant } from '../../shared/schemas/merchant';
import { type CareRoutesDeps, careNotSetUp, refuseUnknownCareTiers } from './care';
import { HttpError, json, parseBody, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsOf } from './route-docs';

// The dry runs and festival dates need the care texts and the lunar calendar, which no other route
// does: they are loaded on the first call, so the API's cold start does not pay for them.
const careTexts = () => import('../../shared/use-cases/care-texts');
const careCalendarModule = () => import('../../shared/use-cases/care-calendar');
const festivalDates = () => import('../../shared/domain/festival-dates');

const carePreviewQuery = z.strictObject({ date: z.iso.date().optional() });

/**
 * The dry run: who would get what on a date (the merchant's today by default), signed and with
 * its part count, and which marketing texts consent would stop, without sending anything.
 */
export async function previewCareTexts(
  request: Request,
  merchant: Merchant,
  deps: CareRoutesDeps,
): Promise<Response> {
  const query = carePreviewQuery.safeParse(request.queryStringParameters ?? {});
  if (!query.success) throw new HttpError(400, 'invalid_query', 'date: a date as YYYY-MM-DD');
  const settings = await deps.care.settings(merchant.merchantId);
  if (!settings) throw careNotSetUp();
  const now = deps.clock();
  const date = query.data.date ?? dateIn(merchant.timeZone, now);
  const [{ previewCare }, { previewedTexts }] = await Promise.all([careTexts(), careCalendarModule()]);
  const texts = await previewCare(merchant, settings, date, now, deps);
  const previews = await previewedTexts(merchant, texts, (phone) =>
    deps.members.contact(merchant.merchantId, phone),
  );
  return json(200, { preview: { date, texts: previews } });
}

const calendarDays = 30;

const calendarRequestSchema = z.strictObject({
  settings: careSettingsSchema.optional(),
  from: z.iso.date().optional(),
  days: z.int().min(1).max(calendarDays).default(calendarDays),
  textsOn: z.iso.date().optional(),
});

/**
 * The dry run of a stretch of days (30 at most): per day the texts by occasion, for the saved
 * settings or for a draft sent with the request, which is checked as a save would check it and not
 * saved. Nothing is sent or recorded.
 */
export async function previewCareCalendar(
  request: Request,
  merchant: Merchant,
  deps: CareRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, calendarRequestSchema);
  const now = deps.clock();
  const today = dateIn(merchant.timeZone, now);
  const from = body.from ?? today;
  const settings = body.settings ?? (await deps.care.settings(merchant.merchantId));
  if (!settings) throw careNotSetUp();
  if (body.settings) refuseUnknownCareTiers(merchant, body.settings, 'settings.');
  const { careCalendar } = await careCalendarModule();
  const days = await careCalendar(
    merchant,
    settings,
    { from, days: body.days, ...(body.textsOn ? { textsOn: body.textsOn } : {}) },
    today,
    now,
    deps,
  );
  return json(200, { preview: { from, draft: body.settings !== undefined, days } });
}

/**
 * Every festival a greeting can be set for, with its date this year and next (the merchant's year),
 * from the calendar the care job greets by.
 */
export async function listCareFestivals(
  _request: Request,
  merchant: Merchant,
  deps: CareRoutesDeps,
): Promise<Response> {
  const today = dateIn(merchant.timeZone, deps.clock());
  const year = calendarYear(today);
  const { festivalDate } = await festivalDates();
  const festivals = festivalCatalog.map(({ code, name, calendar }) => ({
    code,
    name,
    calendar,
    dates: [year, year + 1].map((y) => ({ year: y, date: festivalDate(code, y) })),
  }));
  return json(200, { festivalCalendar: { today, festivals } });
}

const previewTextSchema = z.object({
  occasion: z.string(),
  to: z.string(),
  text: z.string(),
  category: z.enum(['service', 'marketing']),
  segments: z.number().int(),
  skipped: z.string().optional(),
});

export const carePreviewRouteDocs: RouteDocsOf<
  'GET /v1/care/preview' | 'POST /v1/care/preview' | 'GET /v1/care/festivals'
> = {
  'GET /v1/care/preview': {
    summary: 'Dry run of the care texts for a date',
    description:
      'Who would get which text on `date` (your today by default), signed, with its part count, and ' +
      'which marketing texts an opt-out would stop. Nothing is sent or recorded.',
    query: carePreviewQuery,
    responses: {
      200: {
        description: 'The texts the date would bring',
        body: z.object({ preview: z.object({ date: z.iso.date(), texts: z.array(previewTextSchema) }) }),
      },
    },
    errors: { 400: anyOf(invalidQuery), 404: 'Care has not been set up yet' },
  },
  'POST /v1/care/preview': {
    summary: 'Dry run of the care texts for up to 30 days, of the saved settings or a draft',
    description:
      'For each of `days` days (30 at most, 30 by default) from `from` (your today by default): the ' +
      'texts by occasion (`birthday`, `anniversary`, `festival:<code>`, `special:<code>`, reminders), ' +
      'counting those that would go and those consent would stop. The texts themselves are listed for ' +
      'the day `textsOn` names (200 at most). With `settings`, the draft is checked as `PUT ' +
      '/v1/care/settings` would check it (refusals name `settings.<field>`) and previewed without being ' +
      'saved; without, the saved settings are. A text whose send-once id came up on an earlier day of the ' +
      'stretch (a reminder per expiring lot) is counted once. Nothing is sent, saved or recorded.',
    body: calendarRequestSchema,
    responses: {
      200: {
        description: 'The days and their texts by occasion',
        body: z.object({
          preview: z.object({
            from: z.iso.date(),
            draft: z.boolean(),
            days: z.array(
              z.object({
                date: z.iso.date(),
                occasions: z.array(
                  z.object({ occasion: z.string(), count: z.number().int(), skipped: z.number().int() }),
                ),
                texts: z.array(previewTextSchema).optional(),
                textsLeftOut: z.number().int().optional(),
              }),
            ),
          }),
        }),
      },
    },
    errors: { 400: anyOf(invalidBody), 404: 'No draft was sent and care has not been set up yet' },
  },
  'GET /v1/care/festivals': {
    summary: 'Festivals and their dates',
    description:
      'Every festival a greeting can be set for (`festivals[].code` of the care settings), Gregorian ' +
      'or lunar, with its date this year and next in your time zone, from the calendar the care job ' +
      'greets by. A 腊月 festival belongs to the year of the Spring Festival after it, so its date may ' +
      'fall in the last days of the year before.',
    responses: {
      200: {
        description: 'The festivals, and your today',
        body: z.object({
          festivalCalendar: z.object({
            today: z.iso.date(),
            festivals: z.array(
              z.object({
                code: z.string(),
                name: z.object({ zh: z.string(), en: z.string() }),
                calendar: z.enum(['gregorian', 'lunar']),
                dates: z.array(z.object({ year: z.number().int(), date: z.iso.date() })),
              }),
            ),
          }),
        }),
      },
    },
    errors: {},
  },
};
