import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../../shared/log';
import { authenticateCaller, type MerchantApiContext } from './auth';
import type { MerchantApiDeps } from './deps';
import { httpErrors, type Request, type Response } from './http';
import { isPublicRoute, type MerchantRouteKey } from './route-keys';
import { merchantRoutes, publicRoutes } from './routes';

// local/runtime.ts builds the handler with the deps from here.
export { depsFromEnv } from './deps';

/**
 * The merchant API, one function for every route: errors become JSON answers (httpErrors), the caller
 * is authenticated and held to its key's limit (authenticateCaller), then the route answers.
 */
export function createHandler(deps: MerchantApiDeps) {
  return middy(async (request: Request, context: MerchantApiContext): Promise<Response> => {
    const { routeKey } = request;
    if (isPublicRoute(routeKey)) return publicRoutes[routeKey](request);
    if (!context.caller)
      throw new Error(`no caller for ${routeKey}: authenticateCaller runs before every route`);
    return merchantRoutes[routeKey as MerchantRouteKey](request, context.caller.merchant, deps);
  })
    .use(injectLambdaContext(logger))
    .use(httpErrors())
    .use(authenticateCaller(deps));
}
