import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { TierDeps } from '../../shared/actions/evaluate-tier';
import { eventBridgePublisher } from '../../shared/bus/events';
import type { Env } from '../../shared/env';
import { logger } from '../../shared/log';
import { sqsOutboundQueue } from '../../shared/queue/outbound';
import { eventBus, type httpRoutes, reminderSchedules } from '../../shared/resources';
import { eventBridgeReminderScheduler } from '../../shared/scheduler/event-bridge-scheduler';
import type { Merchant } from '../../shared/schemas/merchant';
import { benefitsStore } from '../../shared/store/benefits';
import { careStore } from '../../shared/store/care';
import { type DirectoryStore, directoryStore } from '../../shared/store/directory';
import { importFiles } from '../../shared/store/import-files';
import { importsStore } from '../../shared/store/imports';
import { jobsStore } from '../../shared/store/jobs';
import { ledgerStore } from '../../shared/store/ledger';
import { membersStore } from '../../shared/store/members';
import { remindersStore } from '../../shared/store/reminders';
import { tiersStore } from '../../shared/store/tiers';
import * as benefits from './benefits';
import * as care from './care';
import { HttpError, httpErrors, type Request, type Response } from './http';
import * as imports from './imports';
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
import * as settings from './settings';

export type MerchantApiDeps = MemberRoutesDeps &
  ledger.LedgerRoutesDeps &
  benefits.BenefitRoutesDeps &
  imports.ImportRoutesDeps &
  TierDeps &
  care.CareRoutesDeps &
  reminders.ReminderRoutesDeps & { directory: DirectoryStore };

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
};

/** The tenant is the owner of the API key, never anything in the request. */
async function authenticate(request: Request, directory: DirectoryStore): Promise<Merchant> {
  const header = request.headers.authorization;
  if (!header)
    throw new HttpError(401, 'missing_api_key', 'send your API key as "Authorization: Bearer <key>"');
  const apiKey = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const merchant = apiKey && (await directory.merchantByApiKey(apiKey));
  if (!merchant) throw new HttpError(401, 'invalid_api_key', 'the API key is unknown or revoked');
  return merchant;
}

export function createHandler(deps: MerchantApiDeps) {
  return middy(async (request: Request): Promise<Response> => {
    if (Object.hasOwn(publicRoutes, request.routeKey)) {
      return publicRoutes[request.routeKey as PublicRouteKey](request);
    }
    const route = routes[request.routeKey as Exclude<RouteKey, PublicRouteKey>];
    if (!route) throw new HttpError(404, 'no_route', `no route ${request.routeKey}`);
    const merchant = await authenticate(request, deps.directory);
    return route(request, merchant, deps);
  })
    .use(injectLambdaContext(logger))
    .use(httpErrors());
}

export function depsFromEnv(env: Env): MerchantApiDeps {
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    members: membersStore(env.dynamo(), env.table('members')),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), env.table('members')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits')),
    imports: importsStore(env.dynamo(), env.table('imports')),
    importFiles: importFiles(env.s3(), env.bucket('imports')),
    tiers: tiersStore(env.dynamo(), env.table('members')),
    care: careStore(env.dynamo(), env.table('care'), env.table('members')),
    jobs: jobsStore(env.dynamo(), env.table('directory')),
    reminders: remindersStore(env.dynamo(), env.table('care')),
    scheduler: eventBridgeReminderScheduler(env.scheduler(), {
      group: env.get(reminderSchedules.groupEnvVar),
      roleArn: env.get(reminderSchedules.roleEnvVar),
      targetArn: env.get(reminderSchedules.targetEnvVar),
    }),
    outbound: sqsOutboundQueue(env.sqs(), env.queueUrl('outbound')),
    events: eventBridgePublisher(env.eventBridge(), env.get(eventBus.envVar)),
    clock: () => new Date(),
  };
}
