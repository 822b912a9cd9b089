import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { msUntilNextWindow, readApiKey, requestsPerSecondPerKey } from '../../shared/domain/api-keys';
import { sessionIdOf, sessionState, sessionTokenOf, touchDue } from '../../shared/domain/sign-in';
import { mayCall, type Role, type Staff } from '../../shared/domain/staff';
import { logger } from '../../shared/log';
import type { Merchant } from '../../shared/schemas/merchant';
import type { ApiThrottle } from '../../shared/store/api-throttle';
import type { DirectoryStore } from '../../shared/store/directory';
import type { SignInStore } from '../../shared/store/sign-in';
import type { StaffStore } from '../../shared/store/staff';
import { bearerToken, HttpError, json, type Request, type Response } from './http';
import { isPublicRoute, isRouteKey, type MerchantRouteKey } from './route-keys';

/**
 * Who is calling: the tenant and the role come from the credentials, never from anything else in the
 * request. An API key acts as the owner; a staff member's session in their role as stored now.
 */
export interface Caller {
  merchant: Merchant;
  role: Role;
  actor: { kind: 'api-key'; keyId: string } | { kind: 'staff'; staff: Staff; sessionId: string };
}

/** The Lambda context as the routes are dispatched with it: the caller, on every route but the public ones. */
export interface MerchantApiContext extends Context {
  caller?: Caller;
}

export interface AuthDeps {
  directory: Pick<DirectoryStore, 'merchantByApiKey' | 'merchant'>;
  staff: Pick<StaffStore, 'get'>;
  signIn: Pick<SignInStore, 'session' | 'touchSession' | 'endSession'>;
  apiThrottle: Pick<ApiThrottle, 'admit' | 'perSecond'>;
  clock: () => Date;
}

/** The roles that may call each route: the route table's (routes.ts). */
export type RouteRoles = { readonly [Key in MerchantRouteKey]: readonly Role[] };

/** The header a change made with a session cookie must carry: a form on another site cannot send it. */
export const csrfHeader = 'x-mcrm-csrf';

/** How the OpenAPI document describes this middleware's refusals, on every route that takes a key. */
export const callerRefusals = {
  401: 'No API key and no session, or the key is unknown or revoked, or the session has ended',
  403:
    'Your role may not call this route, or a change made with a session cookie lacks the ' +
    `\`${csrfHeader}: 1\` header`,
  429:
    `The API key (or staff member) made more than ${requestsPerSecondPerKey} requests this second; ` +
    'the Retry-After header says when to try again',
};

/** The id the caller's requests are counted and audited under: the key id, or the staff id. */
export const actorIdOf = (caller: Caller) =>
  caller.actor.kind === 'api-key' ? caller.actor.keyId : caller.actor.staff.staffId;

export async function authenticate(request: Request, deps: AuthDeps): Promise<Caller> {
  if (request.headers.authorization) return apiKeyCaller(request, deps.directory);
  const token = sessionTokenOf([
    ...(request.cookies ?? []),
    ...(request.headers.cookie ? [request.headers.cookie] : []),
  ]);
  if (!token) {
    throw new HttpError(
      401,
      'missing_api_key',
      'sign in, or send your API key as "Authorization: Bearer <key>"',
    );
  }
  return sessionCaller(sessionIdOf(token), deps);
}

async function apiKeyCaller(request: Request, directory: AuthDeps['directory']): Promise<Caller> {
  const apiKey = bearerToken(request);
  const keyId = apiKey && readApiKey(apiKey)?.keyId;
  const merchant = keyId && (await directory.merchantByApiKey(apiKey));
  if (!keyId || !merchant) throw new HttpError(401, 'invalid_api_key', 'the API key is unknown or revoked');
  return { merchant, role: 'owner', actor: { kind: 'api-key', keyId } };
}

/**
 * The session's staff member, read again on every request: a removal or a new role counts from the
 * next request on. A session ended by time or by removal is deleted.
 */
async function sessionCaller(sessionId: string, deps: AuthDeps): Promise<Caller> {
  const ended = new HttpError(401, 'session_ended', 'your session has ended: sign in again');
  const session = await deps.signIn.session(sessionId);
  if (!session) throw ended;
  const now = deps.clock();
  const [merchant, staff] = await Promise.all([
    deps.directory.merchant(session.merchantId),
    deps.staff.get(session.merchantId, session.staffId),
  ]);
  if (sessionState(session, now) !== 'live' || !merchant || staff?.status !== 'active') {
    await deps.signIn.endSession(sessionId);
    throw ended;
  }
  if (touchDue(session, now)) {
    await deps.signIn.touchSession(sessionId, { ...session, lastSeenAt: now.toISOString() });
  }
  return { merchant, role: staff.role, actor: { kind: 'staff', staff, sessionId } };
}

/**
 * A browser sends the session cookie with any request to this origin, a form posted from another
 * site's page included; that page cannot add a header without a CORS preflight this API never grants.
 * An API key is never sent by a browser on its own, so its requests need no such proof.
 */
function lacksCsrfHeader(request: Request, caller: Caller): boolean {
  if (caller.actor.kind !== 'staff') return false;
  const method = request.requestContext.http.method;
  return method !== 'GET' && method !== 'HEAD' && request.headers[csrfHeader] !== '1';
}

/**
 * The per-key (or per staff member) limit (HTTP APIs have no usage plans). Counted after the caller
 * is known good, so nobody can use up another merchant's requests with a key id and a wrong secret.
 * If the counter cannot be reached the request goes through: the stage's own throttle still caps the
 * total.
 */
export async function overLimit(caller: Caller, deps: AuthDeps): Promise<Response | undefined> {
  const now = deps.clock();
  try {
    if (await deps.apiThrottle.admit(caller.merchant.merchantId, actorIdOf(caller), now)) return undefined;
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
 * Middy middleware: every route but the public ones answers only a known caller within its limit, in
 * a role the route table allows, and finds the caller in `context.caller`. A refusal ends the request
 * before the route runs; one made once the caller is known (CSRF, role) leaves the caller in the
 * context, so the change refused is audited.
 */
export function authenticateCaller(
  deps: AuthDeps,
  routeRoles: RouteRoles,
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
    const caller = await authenticate(request.event, deps);
    const refusal = await overLimit(caller, deps);
    if (refusal) return refusal;
    request.context.caller = caller;
    if (lacksCsrfHeader(request.event, caller)) {
      throw new HttpError(
        403,
        'missing_csrf_header',
        `a change made with a session needs the header "${csrfHeader}: 1"`,
      );
    }
    const allowed = routeRoles[routeKey as MerchantRouteKey];
    if (!mayCall(caller.role, allowed)) {
      throw new HttpError(
        403,
        'role_forbidden',
        `${routeKey} is for ${allowed.join(', ')}; you are signed in as ${caller.role}`,
      );
    }
    return undefined;
  };
  return { before: authenticateCallerBefore };
}
