import { ulid } from 'ulidx';
import * as z from 'zod';
import { requestedRun } from '../../shared/domain/retention';
import { reportDays, retentionReport, retentionReportSchema } from '../../shared/domain/retention-report';
import { addDays, dateIn } from '../../shared/domain/time';
import type { Merchant } from '../../shared/schemas/merchant';
import {
  type RetentionRule,
  retentionRuleSchema,
  retentionSettingsSchema,
  type ScoringRun,
  scoringRunSchema,
} from '../../shared/schemas/retention';
import type { BenefitsStore } from '../../shared/store/benefits';
import type { DirectoryStore } from '../../shared/store/directory';
import type { RetentionStore } from '../../shared/store/retention';
import type { TemplatesStore } from '../../shared/store/templates';
import { HttpError, json, pageQuery, parseBody, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';
import { patchedSettings, settingsPatchOf } from './settings-patch';

/**
 * Retention: the churn rules and zone thresholds the nightly scoring applies, the retention rules that
 * act when a member enters a zone, scoring runs asked for by hand, and the report of what it all did.
 * Scoring is retention-jobs'; the texts and grants are retention-actions'.
 */

export interface RetentionRoutesDeps {
  directory: Pick<DirectoryStore, 'setRetention'>;
  retention: RetentionStore;
  templates: Pick<TemplatesStore, 'get'>;
  benefits: Pick<BenefitsStore, 'get'>;
  clock: () => Date;
}

/** The strict body: every field of the retention settings, defaults filled where left out. */
export const retentionSettingsBody = retentionSettingsSchema.strict();
const settingsAnswerSchema = z.object({ retention: retentionSettingsSchema });

export const retentionRuleBodySchema = retentionRuleSchema
  .pick({ name: true, zone: true, templateId: true, grant: true, coolDownDays: true, holdoutPercent: true })
  .strict();

/** A ULID, so a merchant's rules sort by creation time. */
const ruleIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);

const ruleViewSchema = retentionRuleSchema.omit({ merchantId: true });
const ruleAnswerSchema = z.object({ rule: ruleViewSchema });
const rulesAnswerSchema = z.object({ rules: z.array(ruleViewSchema) });

const runViewSchema = scoringRunSchema
  .omit({ merchantId: true, cursor: true, histograms: true, cohorts: true })
  .extend({
    /** Percent of the members counted that are scored: 0 until scoring starts, 100 when done. */
    progress: z.int().min(0).max(100),
  });
const runAnswerSchema = z.object({ run: runViewSchema });
const runsAnswerSchema = z.object({ runs: z.array(runViewSchema) });
const reportAnswerSchema = z.object({ report: retentionReportSchema });

export const runsQuerySchema = z.strictObject({ limit: pageQuery(z.string(), 10, 50).limit });

/**
 * Snapshots the report reads, back from today: the latest may be days old (no member to score, runs
 * paused), and the one to compare with is the nearest on or before 30 days earlier.
 */
const snapshotDaysRead = 3 * reportDays;

const invalid = (path: string, message: string) =>
  new HttpError(400, 'invalid_body', `${path}: ${message}`, [{ path, message }]);
const ruleNotFound = () => new HttpError(404, 'rule_not_found', 'no retention rule with this id');

const ruleView = ({ merchantId: _tenant, ...rule }: RetentionRule) => rule;

function runView({ merchantId: _tenant, cursor: _c, histograms: _h, cohorts: _co, ...run }: ScoringRun) {
  const progress =
    run.status === 'done'
      ? 100
      : run.status === 'scoring' && run.counted > 0
        ? Math.min(100, Math.floor((100 * run.scored) / run.counted))
        : 0;
  return { ...run, progress };
}

/** `GET /v1/retention/settings`. */
export async function getRetentionSettings(_request: Request, merchant: Merchant): Promise<Response> {
  return json(200, { retention: merchant.retention } satisfies z.infer<typeof settingsAnswerSchema>);
}

/**
 * `PUT /v1/retention/settings`: replaces the churn rules, zone thresholds and scoring hour. Members
 * keep their zone until the next scoring run, nightly or asked for with `POST /v1/retention/runs`.
 */
export async function putRetentionSettings(
  request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const retention = parseBody(request, retentionSettingsBody);
  await deps.directory.setRetention(merchant.merchantId, retention);
  return json(200, { retention } satisfies z.infer<typeof settingsAnswerSchema>);
}

/** `PATCH /v1/retention/settings`: changes the fields sent and keeps the others. */
export async function patchRetentionSettings(
  request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const retention = patchedSettings(request, merchant.retention, retentionSettingsSchema);
  await deps.directory.setRetention(merchant.merchantId, retention);
  return json(200, { retention } satisfies z.infer<typeof settingsAnswerSchema>);
}

/** The grant as a rule may make it: a benefit must be one of the merchant's, still claimable. */
async function checkGrant(grant: RetentionRule['grant'], merchant: Merchant, deps: RetentionRoutesDeps) {
  if (grant?.kind !== 'benefit') return;
  const benefit = await deps.benefits.get(merchant.merchantId, grant.code);
  if (!benefit) throw invalid('grant.code', `you have no benefit ${grant.code}`);
  if (!benefit.active) throw invalid('grant.code', `the benefit ${grant.code} is stopped`);
  // A gift to win a member back is the merchant's, not bought with the member's points.
  if (benefit.pricePoints !== undefined)
    throw invalid('grant.code', `the benefit ${grant.code} is priced in points: a retention gift is free`);
}

/**
 * `POST /v1/retention/rules`. It takes no idempotency key: a retried request finds the rule the first
 * made and is refused (409) with its id, since two active rules with one zone and template would text
 * each member twice.
 */
export async function createRetentionRule(
  request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, retentionRuleBodySchema);
  const { merchantId } = merchant;
  if (!(await deps.templates.get(merchantId, body.templateId))) {
    throw invalid('templateId', 'you have no template with this id');
  }
  await checkGrant(body.grant, merchant, deps);
  const twin = (await deps.retention.rules(merchantId)).find(
    (rule) => rule.status === 'active' && rule.zone === body.zone && rule.templateId === body.templateId,
  );
  if (twin) {
    throw new HttpError(
      409,
      'rule_exists',
      `your active rule ${twin.ruleId} already texts ${body.templateId} to members entering ${body.zone}; stop it first to replace it`,
    );
  }
  const now = deps.clock();
  const rule: RetentionRule = {
    ...body,
    merchantId,
    ruleId: ulid(now.getTime()),
    status: 'active',
    createdAt: now.toISOString(),
  };
  if (!(await deps.retention.createRule(rule))) {
    throw new HttpError(409, 'rule_exists', `a rule ${rule.ruleId} exists; send the request again`);
  }
  return json(201, { rule: ruleView(rule) } satisfies z.infer<typeof ruleAnswerSchema>);
}

/** `GET /v1/retention/rules`: active and stopped, newest first. */
export async function listRetentionRules(
  _request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const rules = await deps.retention.rules(merchant.merchantId);
  return json(200, { rules: rules.map(ruleView) } satisfies z.infer<typeof rulesAnswerSchema>);
}

function ruleIdIn(request: Request): string | undefined {
  const ruleId = ruleIdSchema.safeParse(request.pathParameters?.ruleId);
  return ruleId.success ? ruleId.data : undefined;
}

/** `GET /v1/retention/rules/{ruleId}`; another merchant's rule is not found. */
export async function getRetentionRule(
  request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const ruleId = ruleIdIn(request);
  const rule = ruleId && (await deps.retention.rule(merchant.merchantId, ruleId));
  if (!rule) throw ruleNotFound();
  return json(200, { rule: ruleView(rule) } satisfies z.infer<typeof ruleAnswerSchema>);
}

/**
 * `DELETE /v1/retention/rules/{ruleId}`: stops the rule; it is kept for the report. Stopping a stopped
 * rule answers as the first time, so a retry is harmless.
 */
export async function stopRetentionRule(
  request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const ruleId = ruleIdIn(request);
  if (!ruleId || !(await deps.retention.stopRule(merchant.merchantId, ruleId, deps.clock()))) {
    throw ruleNotFound();
  }
  const rule = await deps.retention.rule(merchant.merchantId, ruleId);
  if (!rule) throw ruleNotFound();
  return json(200, { rule: ruleView(rule) } satisfies z.infer<typeof ruleAnswerSchema>);
}

/**
 * `POST /v1/retention/runs`: asks for a scoring run as of now, which retention-jobs starts within 15
 * minutes. One at a time: while a run is pending, another is refused with the pending run's id.
 */
export async function requestScoringRun(
  _request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const { merchantId } = merchant;
  const pending = (await deps.retention.pendingRuns(merchantId))[0];
  if (pending) {
    throw new HttpError(
      409,
      'run_pending',
      `run ${pending.runId} is ${pending.status}; ask again when it is done (GET /v1/retention/runs)`,
    );
  }
  const now = deps.clock();
  const run = requestedRun(merchantId, `manual-${ulid(now.getTime())}`, 'manual', now);
  if (!(await deps.retention.requestRun(run))) {
    throw new HttpError(409, 'run_pending', `a run ${run.runId} exists; send the request again`);
  }
  return json(202, { run: runView(run) } satisfies z.infer<typeof runAnswerSchema>);
}

/** `GET /v1/retention/runs`: the latest runs, newest first, with their progress. */
export async function listScoringRuns(
  request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const { limit } = parseQuery(request, runsQuerySchema);
  const runs = await deps.retention.recentRuns(merchant.merchantId, limit);
  return json(200, { runs: runs.map(runView) } satisfies z.infer<typeof runsAnswerSchema>);
}

/** `GET /v1/retention/report`: zones now and 30 days before, the changes between, each rule's effect. */
export async function getRetentionReport(
  _request: Request,
  merchant: Merchant,
  deps: RetentionRoutesDeps,
): Promise<Response> {
  const { merchantId } = merchant;
  const today = dateIn(merchant.timeZone, deps.clock());
  const [snapshots, rules] = await Promise.all([
    deps.retention.snapshots(merchantId, addDays(today, -snapshotDaysRead), today),
    deps.retention.rules(merchantId),
  ]);
  return json(200, { report: retentionReport(snapshots, rules) } satisfies z.infer<
    typeof reportAnswerSchema
  >);
}

const ruleId = { ruleId: 'The id `POST /v1/retention/rules` answered with' };
const noRule = 'There is no retention rule with the id';

export const retentionRouteDocs: RouteDocsFor<'/v1/retention'> = {
  'GET /v1/retention/settings': {
    summary: 'Retention settings',
    description:
      'The churn rules the nightly scoring applies, the zone thresholds, which members are too new or ' +
      'too inactive to score (white), and the hour (your time) scoring runs.',
    responses: { 200: { description: 'The settings', body: settingsAnswerSchema } },
    errors: {},
  },
  'PUT /v1/retention/settings': {
    summary: 'Set churn rules and zones',
    description:
      'Replaces the retention settings whole: a field left out takes the default the schema shows (PATCH ' +
      'changes some fields and keeps the others). A churn ' +
      'rule scores when all its conditions hold; within a group the highest score counts, and the ' +
      "groups' scores add up. A score reaching `zones.blue`, `yellow` or `red` puts the member in that " +
      'zone (thresholds must rise). Members keep their zone until the next scoring run.',
    body: retentionSettingsBody,
    responses: { 200: { description: 'The settings as saved', body: settingsAnswerSchema } },
    errors: { 400: anyOf(invalidBody, 'two churn rules share an id, or the zone thresholds do not rise') },
  },
  'PATCH /v1/retention/settings': {
    summary: 'Change some retention settings',
    description:
      'Changes the fields sent, each replaced whole (`churnRules` is the whole list), and keeps the ' +
      'others as they are, e.g. `{"scoringHour":4}`. The result is checked as a PUT would be.',
    body: settingsPatchOf(retentionSettingsSchema),
    responses: { 200: { description: 'The settings as saved', body: settingsAnswerSchema } },
    errors: {
      400: anyOf(
        invalidBody,
        'no field was sent',
        'two churn rules share an id, or the zone thresholds do not rise',
      ),
    },
  },
  'POST /v1/retention/rules': {
    summary: 'Create a retention rule',
    description:
      'When a member enters `zone`, texts them the template and makes the grant (bonus points or a ' +
      'benefit), at most once per `coolDownDays`. `holdoutPercent` of the members it would target get ' +
      'nothing, to measure the effect in the report. Takes no idempotency key: a retry finds the rule ' +
      'the first request made and is refused (409) with its id.',
    body: retentionRuleBodySchema,
    responses: { 201: { description: 'The new rule', body: ruleAnswerSchema } },
    errors: {
      400: anyOf(
        invalidBody,
        'the template is not one of yours, or the benefit is unknown, stopped or priced in points',
      ),
      409: 'An active rule already texts this template to members entering this zone',
    },
  },
  'GET /v1/retention/rules': {
    summary: 'List retention rules',
    description: 'Your retention rules, active and stopped, newest first.',
    responses: { 200: { description: 'The rules', body: rulesAnswerSchema } },
    errors: {},
  },
  'GET /v1/retention/rules/{ruleId}': {
    summary: 'A retention rule',
    description: 'One retention rule; its effect is in `GET /v1/retention/report`.',
    pathParameters: ruleId,
    responses: { 200: { description: 'The rule', body: ruleAnswerSchema } },
    errors: { 404: noRule },
  },
  'DELETE /v1/retention/rules/{ruleId}': {
    summary: 'Stop a retention rule',
    description:
      'The rule acts on no more members; it is kept, with its results, for the report. Stopping a ' +
      'stopped rule answers as the first time.',
    pathParameters: ruleId,
    responses: { 200: { description: 'The rule, stopped', body: ruleAnswerSchema } },
    errors: { 404: noRule },
  },
  'POST /v1/retention/runs': {
    summary: 'Score members now',
    description:
      'Asks for a scoring run as of now, say after changing the churn rules; the retention jobs start ' +
      'it within 15 minutes. Follow it with `GET /v1/retention/runs`. Members entering a zone are acted ' +
      'on by the retention rules as after the nightly run.',
    responses: { 202: { description: 'The run, requested', body: runAnswerSchema } },
    errors: { 409: 'A run is requested or under way; the message names it' },
  },
  'GET /v1/retention/runs': {
    summary: 'Scoring runs',
    description:
      'The latest scoring runs, nightly and asked for, newest first: their status (requested, ' +
      'counting, scoring, done), members counted and scored, and the zones and zone changes they made.',
    query: runsQuerySchema,
    responses: { 200: { description: 'The runs', body: runsAnswerSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/retention/report': {
    summary: 'Retention report',
    description:
      'Members by churn zone at the latest scoring and 30 days before, the zone changes over those ' +
      '30 days, and per retention rule the members treated and held out whose 30-day window has ' +
      'closed, how many bought within it, the rates, and the lift (treated rate minus holdout rate, ' +
      'in percentage points). Windows still running are counted apart.',
    responses: { 200: { description: 'The report', body: reportAnswerSchema } },
    errors: {},
  },
};
