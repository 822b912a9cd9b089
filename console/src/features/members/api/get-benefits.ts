import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** The shop's benefit catalog: what the claims' benefit codes are called. */
export const getBenefits = () => answer(api.GET('/v1/benefits')).then((body) => body.benefits);

/** A benefit's name by its code, or the code while the catalog loads (or cannot be read). */
export function useBenefitName(): (code: string) => string {
  const { data } = useQuery({ queryKey: ['benefits'], queryFn: getBenefits, staleTime: 60_000 });
  return (code) => data?.find((benefit) => benefit.code === code)?.name ?? code;
}
