import { describe, expect, it } from 'vitest';
import enActions from '../../../console/src/locales/en-US/actions';
import zhActions from '../../../console/src/locales/zh-CN/actions';
import { auditWords } from '../../../functions/inbound-sms/staff-commands';
import { isPublicRoute, type RouteKey } from '../../../functions/merchant-api/route-keys';
import { httpRoutes } from '../../../shared/resources';

/**
 * The audit log names in words each change the API records (any method but GET, by a known caller)
 * and each staff command by text.
 */
const recorded = [
  ...httpRoutes
    .map(({ method, path }) => `${method} ${path}` as RouteKey)
    .filter((routeKey) => !routeKey.startsWith('GET ') && !isPublicRoute(routeKey)),
  // Staff commands by text, recorded as `SMS <command>`.
  ...Object.values(auditWords).map((word) => `SMS ${word}`),
];

describe("the audit log's names for changes", () => {
  it.each([
    ['zh-CN', zhActions],
    ['en-US', enActions],
  ])('%s names every change the API records, and nothing else', (_language, actions) => {
    expect(Object.keys(actions).sort()).toEqual(recorded.map((routeKey) => `action.${routeKey}`).sort());
  });
});
