import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { authenticateCaller, type MerchantApiContext } from './auth';
import type { MerchantApiDeps } from './deps';
import { httpErrors, type Request, type Response } from './http';
import { recordChanges } from './record-changes';
import { isPublicRoute, type MerchantRouteKey } from './route-keys';
import { routeRoles } from './route-roles';
import { merchantRoutes, publicRoutes } from './routes';

// local/runtime.ts builds the handler with the deps from here.
export { depsFromEnv } from './deps';

/**
 * The merchant API, one function for every route: errors become JSON answers (httpErrors), the caller
 * is authenticated, held to its limit and to the roles the route table allows (authenticateCaller),
 * then the route answers, and a change is written to the audit log with its outcome (recordChanges,
 * used before httpErrors so that its error phase sees the error's answer).
 */
export function createHandler(deps: MerchantApiDeps) {
  return middy(async (request: Request, context: MerchantApiContext): Promise<Response> => {
    const { routeKey } = request;
    if (isPublicRoute(routeKey)) return publicRoutes[routeKey](request, deps);
    const { caller } = context;
    if (!caller) throw new Error(`no caller for ${routeKey}: authenticateCaller runs before every route`);
    return merchantRoutes[routeKey as MerchantRouteKey](request, caller.merchant, deps, caller);
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics())
    .use(recordChanges(deps))
    .use(httpErrors())
    .use(authenticateCaller(deps, routeRoles));
}
