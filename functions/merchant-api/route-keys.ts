import { httpRoutes } from '../../shared/resources';

/** A route of the merchant API as API Gateway names it, e.g. `GET /v1/members/{phone}`. */
export type RouteKey = (typeof httpRoutes)[number] extends infer Route
  ? Route extends { method: infer M extends string; path: infer P extends string }
    ? `${M} ${P}`
    : never
  : never;

const routeKeys: ReadonlySet<string> = new Set(httpRoutes.map(({ method, path }) => `${method} ${path}`));

export function isRouteKey(routeKey: string): routeKey is RouteKey {
  return routeKeys.has(routeKey);
}

/**
 * Routes that answer without an API key or a session: the API's description, and the two steps of
 * signing in. They are given no merchant. Who may call every other route is the route table's
 * `routeRoles` (route-roles.ts), which authenticateCaller (auth.ts) reads.
 */
export const publicRouteKeys = [
  'GET /v1/openapi.json',
  'POST /v1/auth/code',
  'POST /v1/auth/session',
] as const satisfies readonly RouteKey[];
export type PublicRouteKey = (typeof publicRouteKeys)[number];

export function isPublicRoute(routeKey: string): routeKey is PublicRouteKey {
  return (publicRouteKeys as readonly string[]).includes(routeKey);
}

/** The routes that act for a merchant: every other one. */
export type MerchantRouteKey = Exclude<RouteKey, PublicRouteKey>;
