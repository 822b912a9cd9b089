import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { signedOut } from '../../../lib/session';

/** Ends the session on the server, which clears its cookie. */
export const endSession = () => answer(api.DELETE('/v1/auth/session'));

/** Signs out; nothing fetched for this staff member stays in memory for the next. */
export function useEndSession() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: endSession,
    onSuccess() {
      queries.clear();
      signedOut();
    },
  });
}
