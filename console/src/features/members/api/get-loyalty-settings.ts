import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** The merchant's earn rate and tier table: to name tiers and say what a yuan earns. */
export const getLoyaltySettings = () => answer(api.GET('/v1/settings/loyalty')).then((body) => body.loyalty);

/** Read once and kept: the settings change rarely, and a role that may not read them sees codes instead. */
export const useLoyaltySettings = () =>
  useQuery({
    queryKey: ['settings', 'loyalty'],
    queryFn: getLoyaltySettings,
    staleTime: 5 * 60_000,
    retry: false,
  });
