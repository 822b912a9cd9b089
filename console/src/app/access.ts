import type { Role } from '../lib/staff';

/**
 * What the console offers a staff member: which pages show in the menu and open. The API enforces
 * every role again on every call; these flags only keep the console from offering what it refuses.
 */
export interface Access {
  /** The dashboard: members, texts and spend in numbers. */
  canSeeNumbers: boolean;
  /** The counter: find a member, earn and redeem points, top up. */
  canServeCounter: boolean;
  /** Members, imports and their consent. */
  canManageMembers: boolean;
  /** The marketing desk: the benefit catalog, templates, and what is sent to members. */
  canMarket: boolean;
  /** The merchant's settings. */
  canManageSettings: boolean;
  /** Correcting a points balance and topping up stored value: money in, so the owner's. */
  canCorrectBalances: boolean;
  /** Who may act for the shop: staff, API keys, and the audit log of what they did. */
  canManageStaff: boolean;
  /** Erasing a member's personal data on their request (PIPL): for good, so the owner's. */
  canEraseMembers: boolean;
}
export type AccessFlag = keyof Access;

const granted: Record<Role, readonly AccessFlag[]> = {
  owner: [
    'canSeeNumbers',
    'canServeCounter',
    'canManageMembers',
    'canMarket',
    'canManageSettings',
    'canCorrectBalances',
    'canManageStaff',
    'canEraseMembers',
  ],
  marketing: ['canSeeNumbers', 'canManageMembers', 'canMarket'],
  cashier: ['canServeCounter'],
};

/** The flags of a signed-in staff member; nobody signed in may open nothing. */
export function access(staff: { role: Role } | undefined): Access {
  const flags = staff ? granted[staff.role] : [];
  return {
    canSeeNumbers: flags.includes('canSeeNumbers'),
    canServeCounter: flags.includes('canServeCounter'),
    canManageMembers: flags.includes('canManageMembers'),
    canMarket: flags.includes('canMarket'),
    canManageSettings: flags.includes('canManageSettings'),
    canCorrectBalances: flags.includes('canCorrectBalances'),
    canManageStaff: flags.includes('canManageStaff'),
    canEraseMembers: flags.includes('canEraseMembers'),
  };
}

/**
 * The menu's routes the flags allow, in their declared order: the menu, and where the start page
 * leads (a page reached from another, such as a member's, is in neither).
 */
export function allowedRoutes<Route extends { access: AccessFlag; inMenuAs?: string }>(
  routes: readonly Route[],
  flags: Access,
): Route[] {
  return routes.filter((route) => flags[route.access] && route.inMenuAs === undefined);
}
