import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { ApiError } from '../../../lib/errors';
import { sessionKey } from '../../../lib/session';
import type { Staff } from '../../../lib/staff';

/** The staff member the session cookie belongs to, as the API says now; null when nobody is signed in. */
export async function getSession(): Promise<Staff | null> {
  try {
    return (await answer(api.GET('/v1/auth/session'))).session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Asked once per page load: signing in and out set it, and any 401 clears it (lib/api-client.ts). */
export const sessionQuery = queryOptions({ queryKey: sessionKey, queryFn: getSession, staleTime: Infinity });

export const useSession = () => useQuery(sessionQuery);

/** The signed-in staff member, once the API has said; undefined while asking and for nobody. */
export const useStaff = (): Staff | undefined => useSession().data ?? undefined;
