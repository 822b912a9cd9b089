import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type SendingSettings = NonNullable<
  paths['/v1/settings/sending']['put']['requestBody']
>['content']['application/json'];

const queryKey = ['settings', 'sending'];

/** How texts go out: rate, marketing hours, caps, the unsubscribe line, the price per part. */
export const getSendingSettings = () => answer(api.GET('/v1/settings/sending')).then((a) => a.sending);

export const useSendingSettings = () => useQuery({ queryKey, queryFn: getSendingSettings });

/** Replaces the sending settings (the API has no partial change for them). */
export const putSendingSettings = (body: SendingSettings) =>
  answer(api.PUT('/v1/settings/sending', { body })).then((a) => a.sending);

export function useSaveSendingSettings() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: putSendingSettings,
    onSuccess: (saved) => queries.setQueryData(queryKey, saved),
  });
}
