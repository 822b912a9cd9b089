import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type LoyaltySettings = NonNullable<
  paths['/v1/settings/loyalty']['put']['requestBody']
>['content']['application/json'];

const queryKey = ['settings', 'loyalty'];

/** Points per yuan, how long points last, and the tier table. */
export const getLoyaltySettings = () => answer(api.GET('/v1/settings/loyalty')).then((a) => a.loyalty);

export const useLoyaltySettings = () => useQuery({ queryKey, queryFn: getLoyaltySettings });

/** Replaces the loyalty settings (the API has no partial change for them). */
export const putLoyaltySettings = (body: LoyaltySettings) =>
  answer(api.PUT('/v1/settings/loyalty', { body })).then((a) => a.loyalty);

export function useSaveLoyaltySettings() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: putLoyaltySettings,
    onSuccess: (saved) => queries.setQueryData(queryKey, saved),
  });
}
