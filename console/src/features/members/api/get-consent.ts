import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { memberKey } from './get-member';

export type Consent =
  paths['/v1/members/{phone}/consent']['get']['responses'][200]['content']['application/json']['consent'];

/** The member's marketing consent: its records, and a complaint holding marketing back. */
export const getConsent = (phone: string) =>
  answer(api.GET('/v1/members/{phone}/consent', { params: { path: { phone } } })).then(
    (body) => body.consent,
  );

export const useConsent = (phone: string) =>
  useQuery({ queryKey: [...memberKey(phone), 'consent'], queryFn: () => getConsent(phone) });
