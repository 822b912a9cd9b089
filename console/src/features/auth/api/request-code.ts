import { useMutation } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** Asks the API to text a sign-in code to the phone. */
export const requestCode = (phone: string) => answer(api.POST('/v1/auth/code', { body: { phone } }));

export const useRequestCode = () => useMutation({ mutationFn: requestCode });
