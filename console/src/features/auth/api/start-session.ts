import { useMutation } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { signedIn } from '../../../lib/session';

/** Trades the texted code for a session: the API sets it as an HttpOnly cookie and says who signed in. */
export const startSession = (body: { phone: string; code: string }) =>
  answer(api.POST('/v1/auth/session', { body }));

export const useStartSession = () =>
  useMutation({ mutationFn: startSession, onSuccess: ({ session }) => signedIn(session) });
