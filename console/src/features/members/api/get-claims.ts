import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { memberKey } from './get-member';

export type Claim =
  paths['/v1/members/{phone}/claims']['get']['responses'][200]['content']['application/json']['claims'][number];

/** The benefits the member claimed, newest first, each still valid or not. */
export const getClaims = (phone: string) =>
  answer(api.GET('/v1/members/{phone}/claims', { params: { path: { phone } } })).then((body) => body.claims);

export const useClaims = (phone: string) =>
  useQuery({ queryKey: [...memberKey(phone), 'claims'], queryFn: () => getClaims(phone) });
