import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { memberKey } from './get-member';

export type LedgerEntry =
  paths['/v1/members/{phone}/ledger']['get']['responses'][200]['content']['application/json']['entries'][number];

/** A page of the member's ledger, newest first; `cursor` from the page before. */
export const getLedger = (phone: string, cursor: string | undefined) =>
  answer(
    api.GET('/v1/members/{phone}/ledger', { params: { path: { phone }, query: { cursor, limit: 10 } } }),
  );

export const useLedger = (phone: string, cursor: string | undefined) =>
  useQuery({
    queryKey: [...memberKey(phone), 'ledger', cursor],
    queryFn: () => getLedger(phone, cursor),
    placeholderData: keepPreviousData,
  });
