import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { msUntilNextWindow, readApiKey, requestsPerSecondPerKey } from '../../shared/domain/api-keys';
import { logger } from '../../shared/log';
import type { Merchant } from '../../shared/schemas/merchant';
import type { ApiThrottle } from '../../shared/store/api-throttle';
import type { DirectoryStore } from '../../shared/store/directory';
import { bearerToken, HttpError, json, type Request, type Response } from './http';
import { isPublicRoute, isRouteKey } from './route-keys';

/**
 * Who is calling: the tenant comes from the credentials, never from anything else in the request.
 * Today every caller is one of the merchant's API keys, which acts as the owner.
 */
export interface Caller {
  merchant: Merchant;
  actor: { kind: 'api-key'; keyId: string };
}

/** The Lambda context as the routes are dispatched with it: the caller, on every route but the public ones. */
export interface MerchantApiContext extends Context {
  caller?: Caller;
}

export interface AuthDeps {
  directory: Pick<DirectoryStore, 'merchantByApiKey'>;
  apiThrottle: Pick<ApiThrottle, 'admit' | 'perSecond'>;
  clock: () => Date;
}

/** How the OpenAPI document describes this middleware's refusals, on every route that takes a key. */
export const callerRefusals = {
  401: 'The API key is missing, unknown or revoked',
  429:
    `The API key made more than ${requestsPerSecondPerKey} requests this second; the Retry-After ` +
    'header says when to try again',
};

export async function authenticate(request: Request, directory: AuthDeps['directory']): Promise<Caller> {
  if (!request.headers.authorization)
    throw new HttpError(401, 'missing_api_key', 'send your API key as "Authorization: Bearer <key>"');
  const apiKey = bearerToken(request);
  const keyId = apiKey && readApiKey(apiKey)?.keyId;
  const merchant = keyId && (await directory.merchantByApiKey(apiKey));
  if (!keyId || !merchant) throw new HttpError(401, 'invalid_api_key', 'the API key is unknown or revoked');
  return { merchant, actor: { kind: 'api-key', keyId } };
}

/**
 * The per-key limit (HTTP APIs have no usage plans). Counted after the key is known good, so nobody
 * can use up another merchant's requests with a key id and a wrong secret. If the counter cannot be
 * reached the request goes through: the stage's own throttle still caps the total.
 */
export async function overLimit(caller: Caller, deps: AuthDeps): Promise<Response | undefined> {
  const now = deps.clock();
  try {
    if (await deps.apiThrottle.admit(caller.merchant.merchantId, caller.actor.keyId, now)) return undefined;
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

type AuthRequest = middy.Request<Request, Response, Error, MerchantApiContext>;

/**
 * Middy middleware: every route but the public ones answers only a known caller within the key's
 * limit, and finds the caller in `context.caller`. A refusal ends the request before the route runs
 * (middy then skips the `after` phases: the logger's has nothing to clear, as no log is buffered).
 */
export function authenticateCaller(
  deps: AuthDeps,
): middy.MiddlewareObj<Request, Response, Error, MerchantApiContext> {
  const authenticateCallerBefore = async (request: AuthRequest): Promise<Response | undefined> => {
    if (request.response !== undefined) return undefined;
    const { routeKey } = request.event;
    if (isPublicRoute(routeKey)) return undefined;
    if (!isRouteKey(routeKey)) {
      const { method, path } = request.event.requestContext.http;
      throw new HttpError(
        404,
        'route_not_found',
        `no route ${method} ${path}: GET /v1/openapi.json lists every route`,
      );
    }
    const caller = await authenticate(request.event, deps.directory);
    const refusal = await overLimit(caller, deps);
    if (refusal) return refusal;
    request.context.caller = caller;
    return undefined;
  };
  return { before: authenticateCallerBefore };
}
