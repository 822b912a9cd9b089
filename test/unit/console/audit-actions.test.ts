import { describe, expect, it } from 'vitest';
import enActions from '../../../console/src/locales/en-US/actions';
import zhActions from '../../../console/src/locales/zh-CN/actions';
import { isPublicRoute, type RouteKey } from '../../../functions/merchant-api/route-keys';
import { httpRoutes } from '../../../shared/resources';

/** The audit log names each change the API records (any method but GET, by a known caller) in words. */
const recorded = httpRoutes
  .map(({ method, path }) => `${method} ${path}` as RouteKey)
  .filter((routeKey) => !routeKey.startsWith('GET ') && !isPublicRoute(routeKey));

describe("the audit log's names for changes", () => {
  it.each([
    ['zh-CN', zhActions],
    ['en-US', enActions],
  ])('%s names every change the API records, and nothing else', (_language, actions) => {
    expect(Object.keys(actions).sort()).toEqual(recorded.map((routeKey) => `action.${routeKey}`).sort());
  });
});
