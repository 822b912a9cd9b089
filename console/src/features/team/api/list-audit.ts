import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export interface AuditFilter {
  /** A staff id or an API key id. */
  staffId?: string;
  /** ISO date-times with their offset. */
  from?: string;
  to?: string;
}

/** A page of the audit log, newest first, kept to one person and a time range when asked. */
export const listAudit = (filter: AuditFilter, cursor?: string) =>
  answer(
    api.GET('/v1/audit', {
      params: { query: { limit: '20', ...filter, ...(cursor ? { cursor } : {}) } },
    }),
  );

export type AuditEntry = Awaited<ReturnType<typeof listAudit>>['entries'][number];

export const useAudit = (filter: AuditFilter, cursor?: string) =>
  useQuery({
    queryKey: ['audit', filter, { cursor }],
    queryFn: () => listAudit(filter, cursor),
    placeholderData: keepPreviousData,
    // The log grows with every change: read it afresh each time the page opens.
    staleTime: 0,
  });
