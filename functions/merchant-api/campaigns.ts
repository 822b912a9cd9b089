import { isDeepStrictEqual } from 'node:util';
import { ulid } from 'ulidx';
import type * as z from 'zod';
import { campaignRunRequested, eventOf } from '../../events';
import { tierCodesIn } from '../../shared/domain/audience';
import { nextRuns, recurrenceProblem } from '../../shared/domain/aws-cron';
import {
  type CampaignAction,
  type CampaignStatus,
  campaignTransition,
  editRefusal,
} from '../../shared/domain/campaign';
import { toMobileE164 } from '../../shared/domain/phone';
import { logger } from '../../shared/log';
import type { OutboundQueue } from '../../shared/queue/outbound-queue';
import type { CampaignScheduler } from '../../shared/scheduler/campaign-scheduler';
import { ScheduleRefusedError } from '../../shared/scheduler/reminder-scheduler';
import {
  type Campaign,
  type CampaignBody,
  type CampaignInvocation,
  type CampaignPatch,
  type CampaignProgress,
  type CampaignRun,
  type CampaignView,
  campaignBodySchema,
  campaignIdSchema,
  campaignPatchSchema,
} from '../../shared/schemas/campaign';
import type { Merchant } from '../../shared/schemas/merchant';
import { maxSurveyCampaigns } from '../../shared/schemas/survey';
import type { AudiencesStore } from '../../shared/store/audiences';
import type { CampaignEdit, CampaignsStore } from '../../shared/store/campaigns';
import type { OutboxWriter } from '../../shared/store/outbox';
import type { SurveysStore } from '../../shared/store/surveys';
import type { TemplatesStore } from '../../shared/store/templates';
import { armCampaign } from '../../shared/use-cases/arm-campaign';
import { type campaignAnswerSchema, type campaignsPageSchema, campaignsQuerySchema } from './campaign-docs';
import { HttpError, json, parseBody, parseQuery, type Request, type Response } from './http';
import { refuseUnknownTiers } from './tier-codes';

/**
 * Campaigns: a template (or a survey's opening) to an audience, created as a draft, then scheduled (EventBridge Scheduler
 * invokes `campaign-fanout`), paused, resumed or cancelled. Sending is the fan-out's and send-sms's.
 */

export interface CampaignRoutesDeps {
  campaigns: CampaignsStore;
  campaignScheduler: CampaignScheduler;
  templates: Pick<TemplatesStore, 'get'>;
  surveys: Pick<SurveysStore, 'get' | 'addCampaign'>;
  audiences: Pick<AudiencesStore, 'get'>;
  outbound: Pick<OutboundQueue, 'enqueueMany'>;
  /** Asks the fan-out to start a run due now, rather than at Scheduler's next minute (by an event). */
  outbox: OutboxWriter;
  clock: () => Date;
}

/** Runs shown with a campaign, newest first. */
const runsShown = 10;

const invalid = (path: string, message: string) =>
  new HttpError(400, 'invalid_body', `${path}: ${message}`, [{ path, message }]);
const notFound = () => new HttpError(404, 'campaign_not_found', 'no campaign with this id');
export const refused = (reason: string) => new HttpError(409, 'campaign_state', reason);

/** Where the campaign stands: a running campaign whose run waits is `waiting`, with why and until when. */
export function progressOf(campaign: Campaign, now: Date): CampaignProgress {
  const { status, schedule, waiting } = campaign;
  if (status === 'running' && waiting) {
    return { status: 'waiting', nextAt: waiting.until, waitingReason: waiting.reason };
  }
  const next =
    status !== 'scheduled'
      ? undefined
      : schedule.kind === 'recurring'
        ? nextRuns(schedule.cron.expression, schedule.cron.timeZone, now, 1)[0]?.toISOString()
        : schedule.kind === 'at'
          ? schedule.at
          : undefined;
  return { status, ...(next ? { nextAt: next } : {}) };
}

function viewOf(campaign: Campaign, now: Date, runs?: CampaignRun[]): CampaignView {
  const { merchantId: _tenant, waiting: _waiting, ...shown } = campaign;
  return {
    ...shown,
    ...progressOf(campaign, now),
    ...(runs ? { runs: runs.map(({ cursor: _cursor, ...run }) => run) } : {}),
  };
}

/** The schedule as stored: an instant in UTC, or a cron read in the merchant's time zone. */
function scheduleAsStored(schedule: CampaignBody['schedule'], merchant: Merchant): Campaign['schedule'] {
  if (schedule.kind === 'now') return { kind: 'now' };
  // Scheduler's at() counts whole seconds.
  if (schedule.kind === 'at') {
    return { kind: 'at', at: new Date(Math.floor(Date.parse(schedule.at) / 1000) * 1000).toISOString() };
  }
  const { expression, timeZone = merchant.timeZone } = schedule.cron;
  return { kind: 'recurring', cron: { expression, timeZone } };
}

/** The schedule as stored, refused when its instant has passed or its cron repeats too often. */
function scheduleOf(schedule: CampaignBody['schedule'], merchant: Merchant, now: Date): Campaign['schedule'] {
  const stored = scheduleAsStored(schedule, merchant);
  if (stored.kind === 'at' && Date.parse(stored.at) <= now.getTime()) {
    throw invalid('schedule.at', `must be in the future; it is ${now.toISOString()} now`);
  }
  const problem =
    stored.kind === 'recurring' && recurrenceProblem(stored.cron.expression, stored.cron.timeZone, now);
  if (problem) throw invalid('schedule.cron', problem);
  return stored;
}

/** Test phones read in the merchant's country, as E.164, each once. */
function testPhonesOf(phones: string[], merchant: Merchant): string[] {
  const read = phones.map((raw, i) => {
    const phone = toMobileE164(raw, merchant.defaultCountry);
    if (!phone.ok) throw invalid(`testPhones.${i}`, phone.reason);
    return phone.phone;
  });
  return [...new Set(read)];
}

/** Refuses a tier, template or saved audience the merchant does not have. */
async function refuseUnknownNames(
  { templateId, audience }: Pick<CampaignPatch, 'templateId' | 'audience'>,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<void> {
  const { merchantId } = merchant;
  if (audience && 'definition' in audience) {
    refuseUnknownTiers(merchant, [{ path: 'audience.definition', codes: tierCodesIn(audience.definition) }]);
  }
  if (templateId && !(await deps.templates.get(merchantId, templateId))) {
    throw invalid('templateId', 'you have no template with this id');
  }
  if (audience && 'audienceId' in audience && !(await deps.audiences.get(merchantId, audience.audienceId))) {
    throw invalid('audience.audienceId', 'you have no saved audience with this id');
  }
}

/** What a repeat of `POST /v1/campaigns` must carry the same to be the same campaign. */
const createdFields = ({
  name,
  templateId,
  surveyId,
  audience,
  schedule,
  holdoutPercent,
  testPhones,
}: Campaign) => ({
  name,
  templateId,
  surveyId,
  audience,
  schedule,
  holdoutPercent,
  testPhones,
});

/**
 * `POST /v1/campaigns`: a draft; nothing is scheduled or sent until `POST …/schedule`. With the client's
 * `campaignId`, a repeat creates nothing more and answers the campaign as it is now (200), even after it
 * was scheduled or its `at` passed; the id already holding another campaign is refused (409).
 */
export async function createCampaign(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, campaignBodySchema);
  const now = deps.clock();
  const { merchantId } = merchant;
  const campaign: Campaign = {
    merchantId,
    campaignId: body.campaignId ?? ulid(now.getTime()),
    name: body.name,
    ...(body.templateId ? { templateId: body.templateId } : {}),
    ...(body.surveyId ? { surveyId: body.surveyId } : {}),
    audience: body.audience,
    schedule: scheduleAsStored(body.schedule, merchant),
    holdoutPercent: body.holdoutPercent,
    testPhones: testPhonesOf(body.testPhones, merchant),
    status: 'draft',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const saved = body.campaignId && (await deps.campaigns.get(merchantId, body.campaignId));
  if (saved) return repeated(saved, campaign, now);
  scheduleOf(body.schedule, merchant, now);
  await refuseUnknownNames(body, merchant, deps);
  if (body.surveyId && (await deps.surveys.get(merchantId, body.surveyId))?.status !== 'open') {
    throw invalid('surveyId', 'you have no open survey with this id');
  }
  // The survey learns of the campaign first: a failure before the campaign is saved leaves an id that
  // sent nothing, which adds nothing to the survey's response rate. A retry finds the id there.
  if (
    body.surveyId &&
    !(await deps.surveys.addCampaign(merchantId, body.surveyId, campaign.campaignId, now)) &&
    !(await deps.surveys.get(merchantId, body.surveyId))?.campaignIds?.includes(campaign.campaignId)
  ) {
    throw invalid(
      'surveyId',
      `the survey is closed, or already goes out with ${maxSurveyCampaigns} campaigns`,
    );
  }
  const outcome = await deps.campaigns.create(campaign);
  if (!outcome.created) return repeated(outcome.campaign, campaign, now);
  return json(201, { campaign: viewOf(campaign, now) } satisfies z.infer<typeof campaignAnswerSchema>);
}

/** A create under an id already saved: the same campaign is answered, another refused. */
function repeated(saved: Campaign, wanted: Campaign, now: Date): Response {
  if (!isDeepStrictEqual(createdFields(saved), createdFields(wanted))) {
    throw new HttpError(
      409,
      'campaign_exists',
      `campaignId: ${saved.campaignId} is another campaign; change it with PATCH /v1/campaigns/${saved.campaignId}`,
    );
  }
  return json(200, { campaign: viewOf(saved, now) } satisfies z.infer<typeof campaignAnswerSchema>);
}

/**
 * Creates the schedules the campaign needs; a schedule Scheduler refuses is the merchant's 400.
 * Answers the runs due now, for `startNow` once the campaign's status allows them.
 */
async function arm(campaign: Campaign, deps: CampaignRoutesDeps, now: Date): Promise<CampaignInvocation[]> {
  try {
    return await armCampaign(deps.campaignScheduler, campaign, now);
  } catch (error) {
    if (error instanceof ScheduleRefusedError) throw new HttpError(400, 'invalid_schedule', error.message);
    throw error;
  }
}

/**
 * Starts runs due now within seconds: an event the fan-out is subscribed to (through the outbox, as
 * every event), naming the same run as the one-off schedule already made. If it cannot be written,
 * the schedule still starts the run at its minute, so the merchant's request does not fail for it.
 */
async function startNow(
  invocations: CampaignInvocation[],
  deps: CampaignRoutesDeps,
  now: Date,
): Promise<void> {
  if (invocations.length === 0) return;
  const events = invocations.map((invocation) =>
    eventOf(campaignRunRequested, {
      eventId: `run:${invocation.campaignId}:${invocation.runId ?? ''}:${invocation.scheduledTime}`,
      ...invocation,
    }),
  );
  try {
    await deps.outbox.commit(events, now);
  } catch (error) {
    logger.warn('run requested by event failed; its schedule starts it', { error, invocations });
  }
}

/**
 * `PATCH /v1/campaigns/{campaignId}`: a draft, or a scheduled campaign that has not started sending,
 * takes the fields sent. A scheduled campaign's schedule is made again when it changed (the old one
 * deleted first) and created if missing otherwise, so a repeat of a request that failed half-way
 * completes it.
 */
export async function updateCampaign(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const fields = parseBody(request, campaignPatchSchema);
  const campaign = await campaignIn(request, merchant, deps);
  if (fields.templateId && campaign.surveyId) {
    throw invalid('templateId', 'the campaign sends a survey; create a new campaign to send a template');
  }
  const refusal = editRefusal(campaign);
  if (refusal) throw refused(refusal);
  const now = deps.clock();
  const { surveyId: _survey, schedule, testPhones, ...rest } = fields;
  const change: CampaignEdit = {
    ...rest,
    ...(schedule ? { schedule: scheduleOf(schedule, merchant, now) } : {}),
    ...(testPhones ? { testPhones: testPhonesOf(testPhones, merchant) } : {}),
  };
  await refuseUnknownNames(fields, merchant, deps);
  const outcome = await deps.campaigns.edit(merchant.merchantId, campaign.campaignId, change, now);
  if (!outcome) throw notFound();
  if (!outcome.ok) throw refused(outcome.reason);
  const edited = outcome.campaign;
  if (edited.status === 'scheduled') {
    if (!isDeepStrictEqual(outcome.before.schedule, edited.schedule)) {
      await deps.campaignScheduler.cancel(merchant.merchantId, edited.campaignId);
    }
    await startNow(await arm(edited, deps, now), deps, now);
  }
  return json(200, { campaign: viewOf(edited, now) } satisfies z.infer<typeof campaignAnswerSchema>);
}

/** `GET /v1/campaigns`: newest first. */
export async function listCampaigns(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const page = await deps.campaigns.list(merchant.merchantId, parseQuery(request, campaignsQuerySchema));
  const now = deps.clock();
  return json(200, {
    campaigns: page.campaigns.map((campaign) => viewOf(campaign, now)),
    cursor: page.cursor,
  } satisfies z.infer<typeof campaignsPageSchema>);
}

/** The campaign in the path; another merchant's is not found. */
export async function campaignIn(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Campaign> {
  const campaignId = campaignIdSchema.safeParse(request.pathParameters?.campaignId);
  const campaign = campaignId.success && (await deps.campaigns.get(merchant.merchantId, campaignId.data));
  if (!campaign) throw notFound();
  return campaign;
}

/** `GET /v1/campaigns/{campaignId}`: with its latest runs (pages, texts queued, members held out). */
export async function getCampaign(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const campaign = await campaignIn(request, merchant, deps);
  const runs = await deps.campaigns.runs(merchant.merchantId, campaign.campaignId, runsShown);
  return json(200, { campaign: viewOf(campaign, deps.clock(), runs) } satisfies z.infer<
    typeof campaignAnswerSchema
  >);
}

/**
 * Schedule and resume: the schedules are created first, then the status is written, so a failure in
 * between leaves a status that still allows the action, and its retry finds the schedules there. If
 * the status write loses to another action, the schedules go unless the campaign still needs them.
 */
async function armThen(
  action: Extract<CampaignAction, 'schedule' | 'resume'>,
  campaign: Campaign,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const { merchantId, campaignId } = campaign;
  const now = deps.clock();
  const allowed = campaignTransition(campaign, action);
  if (!allowed.ok) throw refused(allowed.reason);
  const dueNow = await arm(campaign, deps, now);
  const outcome = await deps.campaigns.transition(merchantId, campaignId, action, now);
  if (!outcome) throw notFound();
  if (!outcome.ok) {
    if (!live.includes(outcome.campaign.status)) await deps.campaignScheduler.cancel(merchantId, campaignId);
    throw refused(outcome.reason);
  }
  await startNow(dueNow, deps, now);
  return json(200, { campaign: viewOf(outcome.campaign, now) } satisfies z.infer<
    typeof campaignAnswerSchema
  >);
}
const live: readonly CampaignStatus[] = ['scheduled', 'running'];

/**
 * Pause and cancel: the status is written first, then the campaign's schedule deleted; a repeat
 * (answered 409, the campaign already being so) deletes it again, in case a first attempt failed in
 * between. A run in progress stops at its next page, when the fan-out reads the status.
 */
async function stopThen(
  action: Extract<CampaignAction, 'pause' | 'cancel'>,
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const campaign = await campaignIn(request, merchant, deps);
  const now = deps.clock();
  const outcome = await deps.campaigns.transition(merchant.merchantId, campaign.campaignId, action, now);
  if (!outcome) throw notFound();
  const reached = action === 'pause' ? 'paused' : 'cancelled';
  if (outcome.ok || outcome.campaign.status === reached) {
    await deps.campaignScheduler.cancel(merchant.merchantId, campaign.campaignId);
  }
  if (!outcome.ok) throw refused(outcome.reason);
  return json(200, { campaign: viewOf(outcome.campaign, now) } satisfies z.infer<
    typeof campaignAnswerSchema
  >);
}

/** `POST /v1/campaigns/{campaignId}/schedule`: draft → scheduled; its schedule is created. */
export async function scheduleCampaign(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const campaign = await campaignIn(request, merchant, deps);
  const { schedule } = campaign;
  const now = deps.clock();
  // The draft may have waited: its instant may have passed, its cron stopped firing.
  if (schedule.kind === 'at' && Date.parse(schedule.at) <= now.getTime()) {
    throw refused(
      `the campaign was to go at ${schedule.at}, which has passed; create it again with a new time`,
    );
  }
  const problem =
    schedule.kind === 'recurring' && recurrenceProblem(schedule.cron.expression, schedule.cron.timeZone, now);
  if (problem) throw refused(problem);
  return armThen('schedule', campaign, deps);
}

/** `POST /v1/campaigns/{campaignId}/resume`: scheduled again, and an unfinished run continues where it stopped. */
export async function resumeCampaign(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  return armThen('resume', await campaignIn(request, merchant, deps), deps);
}

/** `POST /v1/campaigns/{campaignId}/pause`. */
export const pauseCampaign = (request: Request, merchant: Merchant, deps: CampaignRoutesDeps) =>
  stopThen('pause', request, merchant, deps);

/** `POST /v1/campaigns/{campaignId}/cancel`. */
export const cancelCampaign = (request: Request, merchant: Merchant, deps: CampaignRoutesDeps) =>
  stopThen('cancel', request, merchant, deps);
