import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export interface MembersFilter {
  tag?: string;
  tier?: string;
}

/** One page of members, newest first, of a tag or a tier; `cursor` from the page before. */
export const listMembers = (filter: MembersFilter, cursor: string | undefined) =>
  answer(api.GET('/v1/members', { params: { query: { ...filter, cursor, limit: '20' } } }));

/** A page of members; the page shown stays while the next one loads. */
export const useMembers = (filter: MembersFilter, cursor: string | undefined) =>
  useQuery({
    queryKey: ['members', filter, cursor],
    queryFn: () => listMembers(filter, cursor),
    placeholderData: keepPreviousData,
  });
