import { useQuery } from '@tanstack/react-query';
import { answer, api } from './api-client';

/** The shop's time zone, answered with its sending settings: times and schedules are read in it. */
export const useShopZone = () =>
  useQuery({
    queryKey: ['settings', 'sending', 'zone'],
    queryFn: () => answer(api.GET('/v1/settings/sending')),
    select: (settings) => settings.timeZone,
  });
