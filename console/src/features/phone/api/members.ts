import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** The newest members, to pick a phone to text the shop from. */
export const usePhonesToPick = () =>
  useQuery({
    queryKey: ['members', 'phones-to-pick'],
    queryFn: () =>
      answer(api.GET('/v1/members', { params: { query: { limit: '20' } } })).then((page) => page.members),
  });
