import { describe, expect, it } from 'vitest';
import { type Access, type AccessFlag, access, allowedRoutes } from '../../../console/src/app/access';
import { routeRoles } from '../../../functions/merchant-api/route-roles';
import { roles } from '../../../shared/domain/staff';

const none: Access = {
  canSeeNumbers: false,
  canServeCounter: false,
  canManageMembers: false,
  canMarket: false,
  canManageSettings: false,
  canCorrectBalances: false,
  canManageStaff: false,
  canEraseMembers: false,
};

describe('access', () => {
  it('lets an owner open every page and correct balances', () => {
    expect(access({ role: 'owner' })).toEqual({
      canSeeNumbers: true,
      canServeCounter: true,
      canManageMembers: true,
      canMarket: true,
      canManageSettings: true,
      canCorrectBalances: true,
      canManageStaff: true,
      canEraseMembers: true,
    });
  });

  it('lets marketing staff see the numbers, manage members and market, not serve the counter or change settings', () => {
    expect(access({ role: 'marketing' })).toEqual({
      ...none,
      canSeeNumbers: true,
      canManageMembers: true,
      canMarket: true,
    });
  });

  it('lets a cashier serve the counter only', () => {
    expect(access({ role: 'cashier' })).toEqual({ ...none, canServeCounter: true });
  });

  it('lets nobody signed in open anything', () => {
    expect(access(undefined)).toEqual(none);
  });
});

describe('allowedRoutes', () => {
  const routes: { path: string; access: AccessFlag }[] = [
    { path: '/dashboard', access: 'canSeeNumbers' },
    { path: '/counter', access: 'canServeCounter' },
    { path: '/members', access: 'canManageMembers' },
    { path: '/settings', access: 'canManageSettings' },
  ];
  const paths = (role: 'owner' | 'marketing' | 'cashier') =>
    allowedRoutes(routes, access({ role })).map((route) => route.path);

  it('leaves out a page reached from another, such as a member of the members page', () => {
    const withProfile = [
      ...routes,
      { path: '/members/:phone', access: 'canManageMembers' as const, inMenuAs: '/members' },
    ];
    expect(allowedRoutes(withProfile, access({ role: 'owner' })).map((route) => route.path)).toEqual([
      '/dashboard',
      '/counter',
      '/members',
      '/settings',
    ]);
  });

  it('keeps the routes a role may open, in their declared order', () => {
    expect(paths('owner')).toEqual(['/dashboard', '/counter', '/members', '/settings']);
    expect(paths('marketing')).toEqual(['/dashboard', '/members']);
    expect(paths('cashier')).toEqual(['/counter']);
  });
});

describe('the flags and the API route table', () => {
  // The calls each flag's pages make: a role given the flag must be allowed every one of them.
  const callsOf: Partial<Record<AccessFlag, (keyof typeof routeRoles)[]>> = {
    canSeeNumbers: ['GET /v1/stats/daily', 'GET /v1/stats/now'],
    canMarket: [
      'GET /v1/benefits',
      'POST /v1/benefits',
      'DELETE /v1/benefits/{code}',
      'GET /v1/templates',
      'POST /v1/templates',
      'POST /v1/templates/preview',
      'GET /v1/templates/{templateId}',
      'PATCH /v1/templates/{templateId}',
      'DELETE /v1/templates/{templateId}',
      'PUT /v1/templates/{templateId}/registration',
    ],
    canManageSettings: [
      'GET /v1/settings/loyalty',
      'PUT /v1/settings/loyalty',
      'GET /v1/settings/sending',
      'PUT /v1/settings/sending',
    ],
    canManageStaff: [
      'GET /v1/staff',
      'POST /v1/staff',
      'PATCH /v1/staff/{staffId}',
      'DELETE /v1/staff/{staffId}',
      'GET /v1/api-keys',
      'POST /v1/api-keys',
      'DELETE /v1/api-keys/{keyId}',
      'GET /v1/audit',
    ],
    canManageMembers: ['GET /v1/members/{phone}', 'GET /v1/members/{phone}/export'],
    canEraseMembers: ['POST /v1/members/{phone}/erase'],
  };

  it.each(roles)('offers %s no page whose calls the API would refuse them', (role) => {
    const flags = access({ role });
    for (const [flag, calls] of Object.entries(callsOf)) {
      if (!flags[flag as AccessFlag]) continue;
      for (const call of calls) expect(routeRoles[call], `${role}: ${call}`).toContain(role);
    }
  });

  it('offers the owner-only pages to owners alone, as the route table does', () => {
    for (const call of callsOf.canManageStaff ?? []) expect(routeRoles[call]).toEqual(['owner']);
    expect(roles.filter((role) => access({ role }).canManageStaff)).toEqual(['owner']);
    expect(routeRoles['POST /v1/members/{phone}/erase']).toEqual(['owner']);
    expect(roles.filter((role) => access({ role }).canEraseMembers)).toEqual(['owner']);
  });
});
