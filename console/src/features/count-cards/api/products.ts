import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type CardProductInput = NonNullable<
  paths['/v1/count-cards']['post']['requestBody']
>['content']['application/json'];
export type CardProduct = Awaited<ReturnType<typeof listCardProducts>>[number];

const queryKey = ['count-cards'];

/** The shop's count-card products, stopped ones too. */
export const listCardProducts = () => answer(api.GET('/v1/count-cards')).then((body) => body.products);

export const useCardProducts = () => useQuery({ queryKey, queryFn: listCardProducts });

/** A new product, under an id made when the form opened: a retried create finds it. */
export const createCardProduct = (body: CardProductInput) =>
  answer(api.POST('/v1/count-cards', { body })).then((answered) => answered.product);

/** Stops selling a product (cards sold still work), or sells it again. */
export const setCardProductActive = ({ productId, active }: { productId: string; active: boolean }) =>
  answer(
    api.PATCH('/v1/count-cards/{productId}', { params: { path: { productId } }, body: { active } }),
  ).then((answered) => answered.product);

function useCatalogChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey }) });
}

export const useCreateCardProduct = () => useCatalogChange(createCardProduct);
export const useSetCardProductActive = () => useCatalogChange(setCardProductActive);
