import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { eventBridgePublisher } from '../../shared/bus/event-bridge-publisher';
import { msUntilNextWindow, readApiKey } from '../../shared/domain/api-keys';
import type { Env } from '../../shared/env';
import { logger } from '../../shared/log';
import { sqsOutboundQueue } from '../../shared/queue/sqs-outbound-queue';
import {
  campaignSchedules,
  eventBus,
  type httpRoutes,
  reminderSchedules,
  type ScheduleGroupDefinition,
} from '../../shared/resources';
import { eventBridgeCampaignScheduler } from '../../shared/scheduler/event-bridge-campaign-scheduler';
import { eventBridgeReminderScheduler } from '../../shared/scheduler/event-bridge-reminder-scheduler';
import type { Merchant } from '../../shared/schemas/merchant';
import { type ApiThrottle, apiThrottle } from '../../shared/store/api-throttle';
import { audienceReader } from '../../shared/store/audience-members';
import { audiencesStore } from '../../shared/store/audiences';
import { benefitsStore } from '../../shared/store/benefits';
import { campaignsStore } from '../../shared/store/campaigns';
import { careStore } from '../../shared/store/care';
import { type DirectoryStore, directoryStore } from '../../shared/store/directory';
import { importFiles } from '../../shared/store/import-files';
import { importsStore } from '../../shared/store/imports';
import { jobsStore } from '../../shared/store/jobs';
import { keywordAppsStore } from '../../shared/store/keyword-apps';
import { ledgerStore } from '../../shared/store/ledger';
import { membersStore } from '../../shared/store/members';
import { remindersStore } from '../../shared/store/reminders';
import { retentionStore } from '../../shared/store/retention';
import { surveysStore } from '../../shared/store/surveys';
import { templatesStore } from '../../shared/store/templates';
import { ticketsStore } from '../../shared/store/tickets';
import { tiersStore } from '../../shared/store/tiers';
import type { TierDeps } from '../../shared/use-cases/evaluate-tier';
import * as apiKeys from './api-keys';
import * as audiences from './audiences';
import * as benefits from './benefits';
import * as campaigns from './campaigns';
import * as care from './care';
import * as consent from './consent';
import { HttpError, httpErrors, json, type Request, type Response } from './http';
import * as imports from './imports';
import * as keywordApps from './keyword-apps';
import * as ledger from './ledger';
import {
  buyPackage,
  createMember,
  deleteMember,
  getMember,
  listMembers,
  type MemberRoutesDeps,
  updateMember,
} from './members';
import { serveOpenApiDocument } from './openapi';
import * as reminders from './reminders';
import * as retention from './retention';
import * as settings from './settings';
import * as surveys from './surveys';
import * as templates from './templates';
import * as tickets from './tickets';

export type MerchantApiDeps = MemberRoutesDeps &
  ledger.LedgerRoutesDeps &
  benefits.BenefitRoutesDeps &
  imports.ImportRoutesDeps &
  TierDeps &
  care.CareRoutesDeps &
  reminders.ReminderRoutesDeps &
  campaigns.CampaignRoutesDeps &
  consent.ConsentRoutesDeps &
  templates.TemplateRoutesDeps &
  audiences.AudienceRoutesDeps &
  retention.RetentionRoutesDeps &
  surveys.SurveyRoutesDeps &
  tickets.TicketRoutesDeps &
  keywordApps.KeywordAppRoutesDeps &
  apiKeys.ApiKeyRoutesDeps & { directory: DirectoryStore; apiThrottle: ApiThrottle };

export type RouteKey = (typeof httpRoutes)[number] extends infer Route
  ? Route extends { method: infer M extends string; path: infer P extends string }
    ? `${M} ${P}`
    : never
  : never;
type Route = (request: Request, merchant: Merchant, deps: MerchantApiDeps) => Promise<Response>;

/** Routes that answer without an API key: they carry no merchant data, and are given no merchant. */
const publicRoutes = {
  'GET /v1/openapi.json': serveOpenApiDocument,
} satisfies Partial<Record<RouteKey, (request: Request) => Promise<Response>>>;
type PublicRouteKey = keyof typeof publicRoutes;

/** Every other route of shared/resources.ts must have its handler here, or this does not compile. */
const routes: Record<Exclude<RouteKey, PublicRouteKey>, Route> = {
  'GET /v1/members/{phone}': getMember,
  'GET /v1/members': listMembers,
  'POST /v1/members': createMember,
  'PATCH /v1/members/{phone}': updateMember,
  'DELETE /v1/members/{phone}': deleteMember,
  'POST /v1/members/{phone}/points': ledger.earn,
  'POST /v1/members/{phone}/points/redeem': ledger.redeem,
  'POST /v1/members/{phone}/points/adjust': ledger.adjust,
  'POST /v1/members/{phone}/stored-value/top-up': ledger.topUp,
  'POST /v1/members/{phone}/stored-value/spend': ledger.spend,
  'GET /v1/members/{phone}/ledger': ledger.history,
  'POST /v1/members/{phone}/package': buyPackage,
  'POST /v1/members/{phone}/claims': benefits.claim,
  'GET /v1/members/{phone}/claims': benefits.listClaims,
  'GET /v1/settings/loyalty': settings.getLoyaltySettings,
  'PUT /v1/settings/loyalty': settings.putLoyaltySettings,
  'GET /v1/settings/sending': settings.getSendingSettings,
  'PUT /v1/settings/sending': settings.putSendingSettings,
  'GET /v1/care/settings': care.getCareSettings,
  'PUT /v1/care/settings': care.putCareSettings,
  'GET /v1/care/preview': care.previewCareTexts,
  'POST /v1/benefits': benefits.putBenefit,
  'GET /v1/benefits': benefits.listBenefits,
  'DELETE /v1/benefits/{code}': benefits.deactivateBenefit,
  'POST /v1/imports': imports.createImport,
  'GET /v1/imports': imports.listImports,
  'GET /v1/imports/{importId}': imports.getImport,
  'POST /v1/reminders': reminders.createReminder,
  'GET /v1/reminders': reminders.listReminders,
  'GET /v1/reminders/{reminderId}': reminders.getReminder,
  'DELETE /v1/reminders/{reminderId}': reminders.cancelReminder,
  'POST /v1/campaigns': campaigns.createCampaign,
  'GET /v1/campaigns': campaigns.listCampaigns,
  'GET /v1/campaigns/{campaignId}': campaigns.getCampaign,
  'POST /v1/campaigns/{campaignId}/schedule': campaigns.scheduleCampaign,
  'POST /v1/campaigns/{campaignId}/pause': campaigns.pauseCampaign,
  'POST /v1/campaigns/{campaignId}/resume': campaigns.resumeCampaign,
  'POST /v1/campaigns/{campaignId}/cancel': campaigns.cancelCampaign,
  'POST /v1/campaigns/{campaignId}/test': campaigns.testCampaign,
  'GET /v1/campaigns/{campaignId}/stats': campaigns.getCampaignStats,
  'GET /v1/members/{phone}/consent': consent.exportConsent,
  'POST /v1/members/{phone}/consent': consent.recordConsent,
  'DELETE /v1/members/{phone}/suppression': consent.clearSuppression,
  'POST /v1/templates': templates.createTemplate,
  'GET /v1/templates': templates.listTemplates,
  'POST /v1/templates/preview': templates.previewTemplate,
  'GET /v1/templates/{templateId}': templates.getTemplate,
  'DELETE /v1/templates/{templateId}': templates.deleteTemplate,
  'PUT /v1/templates/{templateId}/registration': templates.putTemplateRegistration,
  'POST /v1/audiences': audiences.createAudience,
  'GET /v1/audiences': audiences.listAudiences,
  'POST /v1/audiences/preview': audiences.previewAudience,
  'GET /v1/audiences/{audienceId}': audiences.getAudience,
  'DELETE /v1/audiences/{audienceId}': audiences.deleteAudience,
  'GET /v1/retention/settings': retention.getRetentionSettings,
  'PUT /v1/retention/settings': retention.putRetentionSettings,
  'POST /v1/retention/rules': retention.createRetentionRule,
  'GET /v1/retention/rules': retention.listRetentionRules,
  'GET /v1/retention/rules/{ruleId}': retention.getRetentionRule,
  'DELETE /v1/retention/rules/{ruleId}': retention.stopRetentionRule,
  'POST /v1/retention/runs': retention.requestScoringRun,
  'GET /v1/retention/runs': retention.listScoringRuns,
  'GET /v1/retention/report': retention.getRetentionReport,
  'POST /v1/surveys': surveys.createSurvey,
  'GET /v1/surveys': surveys.listSurveys,
  'GET /v1/surveys/{surveyId}': surveys.getSurvey,
  'POST /v1/surveys/{surveyId}/close': surveys.closeSurvey,
  'GET /v1/surveys/{surveyId}/results': surveys.getSurveyResults,
  'GET /v1/tickets': tickets.listTickets,
  'GET /v1/tickets/{ticketId}': tickets.getTicket,
  'POST /v1/tickets/{ticketId}/answer': tickets.answerTicket,
  'POST /v1/tickets/{ticketId}/close': tickets.closeTicket,
  'POST /v1/keyword-apps': keywordApps.createKeywordApp,
  'GET /v1/keyword-apps': keywordApps.listKeywordApps,
  'GET /v1/keyword-apps/{appId}': keywordApps.getKeywordApp,
  'PATCH /v1/keyword-apps/{appId}': keywordApps.updateKeywordApp,
  'DELETE /v1/keyword-apps/{appId}': keywordApps.deleteKeywordApp,
  'GET /v1/api-keys': apiKeys.listApiKeys,
  'POST /v1/api-keys': apiKeys.createApiKey,
  'DELETE /v1/api-keys/{keyId}': apiKeys.revokeApiKey,
};

/** The tenant is the owner of the API key, never anything in the request. */
async function authenticate(
  request: Request,
  directory: DirectoryStore,
): Promise<{ merchant: Merchant; keyId?: string }> {
  const header = request.headers.authorization;
  if (!header)
    throw new HttpError(401, 'missing_api_key', 'send your API key as "Authorization: Bearer <key>"');
  const apiKey = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const merchant = apiKey && (await directory.merchantByApiKey(apiKey));
  if (!merchant) throw new HttpError(401, 'invalid_api_key', 'the API key is unknown or revoked');
  return { merchant, keyId: readApiKey(apiKey)?.keyId };
}

/**
 * The per-key limit (HTTP APIs have no usage plans). Counted after the key is known good, so nobody
 * can use up another merchant's requests with a key id and a wrong secret. If the counter cannot be
 * reached the request goes through: the stage's own throttle still caps the total.
 */
async function overLimit(
  merchantId: string,
  keyId: string,
  deps: MerchantApiDeps,
): Promise<Response | undefined> {
  const now = deps.clock();
  try {
    if (await deps.apiThrottle.admit(merchantId, keyId, now)) return undefined;
  } catch (error) {
    logger.warn('API key request counter unavailable; request let through', { error: error as Error });
    return undefined;
  }
  const refusal = json(429, {
    error: {
      code: 'throttled',
      message:
        `this API key may make ${deps.apiThrottle.perSecond} requests a second; ` +
        `try again in ${msUntilNextWindow(now)} ms`,
    },
  });
  // Retry-After takes whole seconds; the window is one second long.
  return { ...refusal, headers: { ...refusal.headers, 'retry-after': '1' } };
}

export function createHandler(deps: MerchantApiDeps) {
  return middy(async (request: Request): Promise<Response> => {
    if (Object.hasOwn(publicRoutes, request.routeKey)) {
      return publicRoutes[request.routeKey as PublicRouteKey](request);
    }
    const route = routes[request.routeKey as Exclude<RouteKey, PublicRouteKey>];
    if (!route) throw new HttpError(404, 'no_route', `no route ${request.routeKey}`);
    const { merchant, keyId } = await authenticate(request, deps.directory);
    // The directory accepts only well-formed keys, so an accepted key has an id.
    const refused = keyId && (await overLimit(merchant.merchantId, keyId, deps));
    return refused || route(request, merchant, deps);
  })
    .use(injectLambdaContext(logger))
    .use(httpErrors());
}

export function depsFromEnv(env: Env): MerchantApiDeps {
  const scheduleTarget = (declared: ScheduleGroupDefinition) => ({
    group: env.get(declared.groupEnvVar),
    roleArn: env.get(declared.roleEnvVar),
    targetArn: env.get(declared.targetEnvVar),
  });
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    apiThrottle: apiThrottle(env.dynamo(), env.table('sendLimits')),
    members: membersStore(env.dynamo(), env.table('members')),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), env.table('members')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits')),
    imports: importsStore(env.dynamo(), env.table('imports')),
    importFiles: importFiles(env.s3(), env.bucket('imports')),
    tiers: tiersStore(env.dynamo(), env.table('members')),
    care: careStore(env.dynamo(), env.table('care'), env.table('members')),
    jobs: jobsStore(env.dynamo(), env.table('directory')),
    reminders: remindersStore(env.dynamo(), env.table('care')),
    templates: templatesStore(env.dynamo(), env.table('campaigns')),
    audiences: audiencesStore(env.dynamo(), env.table('campaigns')),
    audienceReader: audienceReader(env.dynamo(), env.table('members')),
    scheduler: eventBridgeReminderScheduler(env.scheduler(), scheduleTarget(reminderSchedules)),
    campaigns: campaignsStore(env.dynamo(), env.table('campaigns')),
    campaignScheduler: eventBridgeCampaignScheduler(env.scheduler(), scheduleTarget(campaignSchedules)),
    outbound: sqsOutboundQueue(env.sqs(), env.queueUrl('outbound')),
    events: eventBridgePublisher(env.eventBridge(), env.get(eventBus.envVar)),
    retention: retentionStore(env.dynamo(), env.table('retention')),
    surveys: surveysStore(env.dynamo(), env.table('engagement')),
    tickets: ticketsStore(env.dynamo(), env.table('engagement')),
    keywordApps: keywordAppsStore(env.dynamo(), env.table('engagement')),
    clock: () => new Date(),
  };
}
