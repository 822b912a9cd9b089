import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type BenefitInput = NonNullable<
  paths['/v1/benefits']['post']['requestBody']
>['content']['application/json'];
export type Benefit = Awaited<ReturnType<typeof listBenefits>>[number];

const queryKey = ['benefits'];

/** The shop's benefit catalog, stopped benefits included, with the claims each has had. */
export const listBenefits = () => answer(api.GET('/v1/benefits')).then((body) => body.benefits);

export const useBenefits = () => useQuery({ queryKey, queryFn: listBenefits });

/** The shop's tiers, to choose who may claim a benefit. */
export const useTiers = () =>
  useQuery({
    queryKey: ['settings', 'loyalty'],
    queryFn: () => answer(api.GET('/v1/settings/loyalty')).then((body) => body.loyalty),
    select: (loyalty) => loyalty.tiers,
  });

/** Creates a benefit, or replaces the one with the same code (its stock kept unless given). */
export const saveBenefit = (body: BenefitInput) =>
  answer(api.POST('/v1/benefits', { body })).then((answered) => answered.benefit);

/** Stops new claims of a benefit; claims made stay valid. */
export const stopBenefit = (code: string) =>
  answer(api.DELETE('/v1/benefits/{code}', { params: { path: { code } } })).then((a) => a.benefit);

function useCatalogChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey }) });
}

export const useSaveBenefit = () => useCatalogChange(saveBenefit);
export const useStopBenefit = () => useCatalogChange(stopBenefit);
