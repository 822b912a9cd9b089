import * as z from 'zod';
import { audienceSchema } from '../domain/audience';
import { campaignStatuses } from '../domain/campaign';
import { lazySchema } from '../lazy-schema';
import { cronInputSchema, cronSchema } from './cron';
import { merchantIdSchema } from './merchant';
import { surveyIdSchema } from './survey';
import { templateIdSchema } from './template';

/**
 * A campaign: one template (or one survey's opening) to an audience, now, at an instant or on a cron in the merchant's time
 * zone, with an optional holdout and test phones. The Campaigns table keeps the campaign, each run's
 * fan-out checkpoint and the campaign's outcome counters.
 */

/** A ULID, so a merchant's campaigns sort by creation time. */
export const campaignIdSchema = lazySchema(() =>
  z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'campaign id: 26 characters, as POST /v1/campaigns gave it'),
);

export const maxTestPhones = 5;
export const maxHoldoutPercent = 50;

/** Who gets it: a saved audience by id, or a definition of its own. */
export const campaignAudienceSchema = lazySchema(() =>
  z.union(
    [
      z.strictObject({ audienceId: z.string().min(1).max(100) }),
      z.strictObject({ definition: audienceSchema }),
    ],
    { error: 'audience: give { "audienceId" } (a saved audience) or { "definition" }' },
  ),
);
export type CampaignAudience = z.infer<typeof campaignAudienceSchema>;

/** The fields of a campaign the merchant writes. Phones are read in the merchant's country by the route. */
const campaignFieldsSchema = lazySchema(() =>
  z.strictObject({
    name: z.string().trim().min(1, 'name: give the campaign a name').max(60, 'name: at most 60 characters'),
    /** A template of yours (`POST /v1/templates`); its category makes the texts marketing or service. */
    templateId: templateIdSchema.optional(),
    /**
     * Instead of a template, a survey of yours (`POST /v1/surveys`): each member gets its intro and
     * first question as a marketing text, and their replies answer it.
     */
    surveyId: surveyIdSchema.optional(),
    audience: campaignAudienceSchema,
    /** `now` once scheduled, once `at` an instant (with its offset), or `recurring` on a cron in your time zone. */
    schedule: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('now') }),
      z.strictObject({ kind: z.literal('at'), at: z.iso.datetime({ offset: true }) }),
      z.strictObject({ kind: z.literal('recurring'), cron: cronInputSchema }),
    ]),
    /** Members held out (sent nothing) to measure the campaign against: the same members every run. */
    holdoutPercent: z
      .number()
      .min(0, 'holdoutPercent: 0 to 50')
      .max(maxHoldoutPercent, `holdoutPercent: at most ${maxHoldoutPercent}`),
    /** Phones `POST /v1/campaigns/{campaignId}/test` sends the text to. */
    testPhones: z.array(z.string().min(1).max(32)).max(maxTestPhones, `testPhones: at most ${maxTestPhones}`),
  }),
);

/** `POST /v1/campaigns`. */
export const campaignBodySchema = lazySchema(() =>
  campaignFieldsSchema
    .extend({
      /**
       * Your own id for the new campaign (a ULID you make, e.g. when the composer opens): a repeat of the
       * request creates nothing more and answers the campaign (200); the id of another campaign is refused (409).
       */
      campaignId: campaignIdSchema.optional(),
      holdoutPercent: campaignFieldsSchema.shape.holdoutPercent.default(0),
      testPhones: campaignFieldsSchema.shape.testPhones.default([]),
    })
    .refine((body) => (body.templateId === undefined) !== (body.surveyId === undefined), {
      path: ['templateId'],
      message: 'templateId: give a templateId (a text) or a surveyId (a survey), one of the two',
    }),
);
export type CampaignBody = z.infer<typeof campaignBodySchema>;

/**
 * `PATCH /v1/campaigns/{campaignId}`: the fields sent replace the campaign's. A campaign's survey is
 * not among them: the survey counts the campaigns that carry it.
 */
export const campaignPatchSchema = lazySchema(() =>
  campaignFieldsSchema
    .partial()
    .extend({
      surveyId: z
        .never({
          error: "surveyId: a campaign's survey stays as created; create a new campaign for another",
        })
        .optional(),
    })
    .refine((change) => Object.keys(change).length > 0, { message: 'send at least one field to change' }),
);
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

/** The schedule as stored: `at` an instant in UTC, a cron with the zone it is read in (as a reminder's). */
export const campaignScheduleSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('now') }),
    z.object({ kind: z.literal('at'), at: z.iso.datetime() }),
    z.object({ kind: z.literal('recurring'), cron: cronSchema }),
  ]),
);
export type CampaignSchedule = z.infer<typeof campaignScheduleSchema>;

export const campaignSchema = lazySchema(() =>
  z.object({
    merchantId: merchantIdSchema,
    campaignId: campaignIdSchema,
    name: z.string(),
    /** What the campaign sends: a template, or a survey's intro and first question. One of the two. */
    templateId: z.string().optional(),
    surveyId: z.string().optional(),
    audience: z.union([z.object({ audienceId: z.string() }), z.object({ definition: audienceSchema })]),
    schedule: campaignScheduleSchema,
    holdoutPercent: z.number(),
    /** E.164. */
    testPhones: z.array(z.string()),
    status: z.enum(campaignStatuses),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    scheduledAt: z.iso.datetime().optional(),
    pausedAt: z.iso.datetime().optional(),
    resumedAt: z.iso.datetime().optional(),
    cancelledAt: z.iso.datetime().optional(),
    completedAt: z.iso.datetime().optional(),
    /** The run a fan-out started and has not finished. */
    currentRun: z.iso.datetime().optional(),
    /** The last run that reached the end of its audience. */
    lastRun: z.iso.datetime().optional(),
    /** Why the current run stopped and when it goes on: set as it stops, gone once it goes on. */
    waiting: z.object({ reason: z.string(), until: z.iso.datetime() }).optional(),
  }),
);
export type Campaign = z.infer<typeof campaignSchema>;

/** One run of a campaign (one firing of its schedule) and its fan-out checkpoint. */
export const campaignRunSchema = lazySchema(() =>
  z.object({
    runId: z.iso.datetime(),
    status: z.enum(['running', 'completed']),
    /** Where the next page of the audience starts; absent before the first page and once completed. */
    cursor: z.string().optional(),
    pages: z.int().nonnegative(),
    /** Texts queued, one per member not held out. */
    targeted: z.int().nonnegative(),
    heldOut: z.int().nonnegative(),
    startedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().optional(),
    /** Why the run ended without reaching its audience: its template or saved audience is gone. */
    problem: z.string().optional(),
  }),
);
export type CampaignRun = z.infer<typeof campaignRunSchema>;

/** What the merchant sees of where a campaign stands: `waiting` is a running campaign whose run waits. */
export const campaignProgressSchema = lazySchema(() =>
  z.object({
    status: z.enum([...campaignStatuses, 'waiting']),
    /** When it next sends: its next firing, or when a waiting run goes on. */
    nextAt: z.iso.datetime().optional(),
    /** Why a waiting run waits, e.g. outside the send window. */
    waitingReason: z.string().optional(),
  }),
);
export type CampaignProgress = z.infer<typeof campaignProgressSchema>;

/** A campaign as the merchant sees it: no tenant id; its latest runs without their cursors. */
export const campaignViewSchema = lazySchema(() =>
  campaignSchema.omit({ merchantId: true, waiting: true }).extend({
    ...campaignProgressSchema.shape,
    runs: z.array(campaignRunSchema.omit({ cursor: true })).optional(),
  }),
);
export type CampaignView = z.infer<typeof campaignViewSchema>;

/**
 * What EventBridge Scheduler passes `campaign-fanout`: the campaign, the instant this invocation was due
 * (`<aws.scheduler.scheduled-time>`) and, for a continuation, the run it continues.
 */
export const campaignInvocationSchema = lazySchema(() =>
  z.object({
    merchantId: merchantIdSchema,
    campaignId: campaignIdSchema,
    scheduledTime: z.iso.datetime(),
    runId: z.iso.datetime().optional(),
  }),
);
export type CampaignInvocation = z.infer<typeof campaignInvocationSchema>;
