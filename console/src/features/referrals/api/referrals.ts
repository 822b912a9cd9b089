import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export type Referral = Awaited<ReturnType<typeof listReferrals>>['referrals'][number];

/** A page of the referral report, newest first. */
export const listReferrals = (cursor?: string) =>
  answer(api.GET('/v1/referrals', { params: { query: { limit: '20', ...(cursor ? { cursor } : {}) } } }));

export const useReferrals = (cursor?: string) =>
  useQuery({
    queryKey: ['referrals', cursor],
    queryFn: () => listReferrals(cursor),
    placeholderData: keepPreviousData,
  });
