import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export type StaffMember = Awaited<ReturnType<typeof listStaff>>['staff'][number];

/** A page of the shop's staff, active and removed, in the order they were added. */
export const listStaff = (cursor?: string) =>
  answer(api.GET('/v1/staff', { params: { query: { limit: '50', ...(cursor ? { cursor } : {}) } } }));

export const staffQuery = (cursor?: string) =>
  queryOptions({ queryKey: ['staff', { cursor }], queryFn: () => listStaff(cursor) });

export const useStaffList = (cursor?: string) =>
  useQuery({ ...staffQuery(cursor), placeholderData: keepPreviousData });
