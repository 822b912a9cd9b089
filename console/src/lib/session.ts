import { queryClient } from './query-client';
import type { Staff } from './staff';

/*
 * Who is signed in. The session itself is an HttpOnly cookie the page cannot read: the console asks
 * the API (`GET /v1/auth/session`, features/auth/api/get-session.ts) and keeps the answer in the
 * query cache under this key, `null` for nobody. Signing in and out, and any 401, set it at once.
 */
export const sessionKey = ['session'] as const;

export const signedIn = (staff: Staff) => queryClient.setQueryData<Staff | null>(sessionKey, staff);
export const signedOut = () => queryClient.setQueryData<Staff | null>(sessionKey, null);
