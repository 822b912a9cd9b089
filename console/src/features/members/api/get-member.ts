import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type Member =
  paths['/v1/members/{phone}']['get']['responses'][200]['content']['application/json']['member'];

/** Every query about one member starts with this key, so a change to the member refreshes them all. */
export const memberKey = (phone: string) => ['member', phone] as const;

export const getMember = (phone: string) =>
  answer(api.GET('/v1/members/{phone}', { params: { path: { phone } } })).then((body) => body.member);

export const memberQuery = (phone: string) =>
  queryOptions({ queryKey: memberKey(phone), queryFn: () => getMember(phone) });

/** The member with this phone: profile, balances, tier and marketing consent. */
export const useMember = (phone: string | undefined) =>
  useQuery({ ...memberQuery(phone ?? ''), enabled: phone !== undefined });
