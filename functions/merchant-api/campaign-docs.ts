import * as z from 'zod';
import {
  campaignBodySchema,
  campaignIdSchema,
  campaignPatchSchema,
  campaignProgressSchema,
  campaignViewSchema,
} from '../../shared/schemas/campaign';
import { pageQuery } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';

/** What the campaign routes (campaigns.ts) read and answer, and how the OpenAPI document describes them. */

export const campaignsQuerySchema = z.strictObject(pageQuery(campaignIdSchema, 20));

export const campaignAnswerSchema = z.object({ campaign: campaignViewSchema });
export const campaignsPageSchema = z.object({
  campaigns: z.array(campaignViewSchema),
  cursor: campaignIdSchema.optional(),
});

const byReason = z.object({ total: z.int(), byReason: z.record(z.string(), z.int()) });
export const campaignStatsAnswerSchema = z.object({
  stats: campaignProgressSchema.extend({
    /** Texts queued: one per member of the audience not held out. */
    targeted: z.int(),
    heldOut: z.int(),
    /**
     * Of the targeted, members without marketing consent who got the text as a service notice: only a
     * service template registered and approved with the provider goes to them.
     */
    serviceNotices: z.int(),
    sent: z.int(),
    delivered: z.int(),
    failed: z.int(),
    /** Parts billed for the texts sent. */
    segments: z.int(),
    /** Members who opted out within 72 hours of a text of the campaign. */
    optOuts: z.int(),
    complaints: z.int(),
    /** Texts not sent, by reason (no consent, opted out, frequency cap, …). */
    suppressed: byReason,
    /** Texts held over a carrier's per-number cap, by reason (a text held again on a later day counts again). */
    held: byReason,
    /** Held texts released to be sent again on a later day, inside the marketing hours. */
    released: z.int(),
    /** Held texts that waited longer than the merchant's `heldTextExpiryDays` and will not be sent, by why they were held. */
    expired: byReason,
    /**
     * Texts sent per minute (the minute's start, in UTC), oldest first: the latest 60 minutes in which
     * the campaign sent any. Minutes that sent none are absent.
     */
    sentPerMinute: z.array(z.object({ minute: z.iso.datetime(), sent: z.int() })),
  }),
});

export const campaignTestAnswerSchema = z.object({
  test: z.object({
    testId: z.string(),
    texts: z.array(z.object({ to: z.string(), messageId: z.string(), body: z.string() })),
  }),
});

const campaign = { campaignId: 'The id `POST /v1/campaigns` answered with' };
const noCampaign = 'There is no campaign with the id';

export const campaignRouteDocs: RouteDocsFor<'/v1/campaigns'> = {
  'POST /v1/campaigns': {
    summary: 'Create a campaign',
    description:
      'A draft: one of your templates (or, by `surveyId`, a survey) to an audience (a saved one by ' +
      '`audienceId`, or a `definition`), ' +
      '`now`, `at` an instant or `recurring` on an EventBridge Scheduler cron read in your time zone ' +
      '(at most once an hour). `holdoutPercent` (0-50) of the audience is held out, the same members ' +
      'every run, to measure the campaign against. Nothing is sent until it is scheduled. A request ' +
      'carrying the `campaignId` of a campaign already created with the same fields creates nothing more ' +
      'and answers that campaign as it is now.',
    body: campaignBodySchema,
    responses: {
      201: { description: 'The draft', body: campaignAnswerSchema },
      200: {
        description: 'The campaign created before under the same `campaignId`, as it is now',
        body: campaignAnswerSchema,
      },
    },
    errors: {
      400: anyOf(
        invalidBody,
        'the template or saved audience is not yours, the survey is not yours or closed, `at` is past, ' +
          'or the cron repeats within the hour',
      ),
      409: 'The `campaignId` already names a campaign with other fields',
    },
  },
  'GET /v1/campaigns': {
    summary: 'List campaigns',
    description: 'Your campaigns, newest first. Pass the `cursor` of a page to get the next one.',
    query: campaignsQuerySchema,
    responses: { 200: { description: 'A page of campaigns', body: campaignsPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/campaigns/{campaignId}': {
    summary: 'A campaign',
    description:
      '`draft`, `scheduled` (with `nextAt`), `running`, `paused`, `completed` or `cancelled`, with its ' +
      'latest runs: pages read, texts queued (`targeted`) and members held out.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign', body: campaignAnswerSchema } },
    errors: { 404: noCampaign },
  },
  'PATCH /v1/campaigns/{campaignId}': {
    summary: 'Change a campaign',
    description:
      'A draft, or a scheduled campaign that has not started sending, takes the fields sent (its ' +
      'survey stays). A scheduled campaign whose `schedule` changes gets its new schedule at once.',
    pathParameters: campaign,
    body: campaignPatchSchema,
    responses: { 200: { description: 'The campaign as changed', body: campaignAnswerSchema } },
    errors: {
      400: anyOf(
        invalidBody,
        'no field was sent, the template or saved audience is not yours, `at` is past, or the cron ' +
          'repeats within the hour',
      ),
      404: noCampaign,
      409: 'The campaign has started sending, completed or was cancelled (the reason says which)',
    },
  },
  'POST /v1/campaigns/{campaignId}/schedule': {
    summary: 'Schedule a campaign',
    description:
      'Draft to `scheduled`: its schedule is created. A campaign `now` starts within seconds. ' +
      'Marketing texts go inside your marketing hours only: a run that reaches it waits for the next opening.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign, scheduled', body: campaignAnswerSchema } },
    errors: {
      400: 'EventBridge Scheduler refused the schedule',
      404: noCampaign,
      409: 'The campaign is not a draft, or its time has passed (the reason says which)',
    },
  },
  'POST /v1/campaigns/{campaignId}/pause': {
    summary: 'Pause a campaign',
    description:
      'A scheduled or running campaign stops: its schedule is deleted, and a run in progress stops ' +
      'after the page it is queueing.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign, paused', body: campaignAnswerSchema } },
    errors: { 404: noCampaign, 409: 'The campaign is a draft, already paused, completed or cancelled' },
  },
  'POST /v1/campaigns/{campaignId}/resume': {
    summary: 'Resume a campaign',
    description:
      'A paused campaign is scheduled again; a run it stopped continues where it stopped, with no member ' +
      'texted twice.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign, scheduled or running', body: campaignAnswerSchema } },
    errors: {
      400: 'EventBridge Scheduler refused the schedule',
      404: noCampaign,
      409: 'The campaign is not paused',
    },
  },
  'POST /v1/campaigns/{campaignId}/cancel': {
    summary: 'Cancel a campaign',
    description:
      'For good: its schedule is deleted, and a run in progress stops after the page it is queueing. ' +
      'Texts already queued still go.',
    pathParameters: campaign,
    responses: { 200: { description: 'The campaign, cancelled', body: campaignAnswerSchema } },
    errors: { 404: noCampaign, 409: 'The campaign has completed or was cancelled' },
  },
  'POST /v1/campaigns/{campaignId}/test': {
    summary: "Send a campaign's text to its test phones",
    description:
      "The template's text, as members will read it, to the campaign's `testPhones`, now. Tests count in " +
      'no stats; each call sends again.',
    pathParameters: campaign,
    responses: { 202: { description: 'The texts queued', body: campaignTestAnswerSchema } },
    errors: { 404: noCampaign, 409: 'The campaign has no test phones, or its template was deleted' },
  },
  'GET /v1/campaigns/{campaignId}/stats': {
    summary: "A campaign's outcomes",
    description:
      'Over all its runs: texts queued (`targeted`), members held out, texts sent, delivered and failed, ' +
      'parts billed, texts not sent by reason, texts held over a carrier cap by reason, released the next ' +
      'days or expired, opt-outs within 72 hours of a text, complaints, and texts sent per minute over ' +
      'the latest 60 minutes that sent any.',
    pathParameters: campaign,
    responses: { 200: { description: 'The counts', body: campaignStatsAnswerSchema } },
    errors: { 404: noCampaign },
  },
};
