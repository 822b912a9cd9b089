import { describe, expect, it } from 'vitest';
import { type Access, type AccessFlag, access, allowedRoutes } from '../../../console/src/app/access';

const none: Access = {
  canSeeNumbers: false,
  canServeCounter: false,
  canManageMembers: false,
  canManageSettings: false,
  canCorrectBalances: false,
};

describe('access', () => {
  it('lets an owner open every page and correct balances', () => {
    expect(access({ role: 'owner' })).toEqual({
      canSeeNumbers: true,
      canServeCounter: true,
      canManageMembers: true,
      canManageSettings: true,
      canCorrectBalances: true,
    });
  });

  it('lets marketing staff see the numbers and manage members, not serve the counter or change settings', () => {
    expect(access({ role: 'marketing' })).toEqual({ ...none, canSeeNumbers: true, canManageMembers: true });
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
