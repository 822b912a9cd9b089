import { useSyncExternalStore } from 'react';
import type { Role, Staff } from './staff';
import { stored } from './stored';

/*
 * Who is signed in on this browser. The session itself is an HttpOnly cookie the page cannot read;
 * this copy only says whom to show, kept across reloads and tabs. The server checks the cookie on
 * every call, and a 401 forgets the copy.
 */

const storageKey = 'mcrm.staff';
const roles: Record<Role, true> = { owner: true, marketing: true, cashier: true };
const listeners = new Set<() => void>();

/** The copy kept, when it is one (anything else kept under the key counts as nobody). */
function read(): Staff | undefined {
  try {
    const staff = JSON.parse(stored.get(storageKey) ?? 'null') as Partial<Staff> | null;
    return typeof staff?.phone === 'string' &&
      typeof staff.name === 'string' &&
      Object.hasOwn(roles, staff.role ?? '')
      ? (staff as Staff)
      : undefined;
  } catch {
    return undefined;
  }
}

let current = read();

function change(staff: Staff | undefined): void {
  current = staff;
  stored.set(storageKey, staff && JSON.stringify(staff));
  for (const listener of listeners) listener();
}

// Signing in or out in another tab does so here too.
window.addEventListener('storage', (event) => {
  if (event.key !== storageKey) return;
  current = read();
  for (const listener of listeners) listener();
});

export const signedIn = (staff: Staff) => change(staff);
export const signedOut = () => change(undefined);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The staff member signed in on this browser, or undefined. */
export const useStaff = (): Staff | undefined => useSyncExternalStore(subscribe, () => current);
