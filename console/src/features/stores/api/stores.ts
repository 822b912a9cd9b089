import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';

export type Store = Awaited<ReturnType<typeof listStores>>['stores'][number];
export type NewStore = NonNullable<paths['/v1/stores']['post']['requestBody']>['content']['application/json'];
export type StoreChange = NonNullable<
  paths['/v1/stores/{storeId}']['patch']['requestBody']
>['content']['application/json'];

/** The shop's stores (门店), open ones first. */
export const listStores = () => answer(api.GET('/v1/stores'));

export const useStores = () => useQuery({ queryKey: ['stores'], queryFn: listStores });

/**
 * A store's name by its id (the id itself while the stores load, or for one not known), and whether
 * the shop has stores at all: a shop without them is shown no store anywhere.
 */
export function useStoreName(): { storeName: (storeId: string) => string; hasStores: boolean } {
  const stores = useStores();
  const names = new Map(stores.data?.stores.map((store) => [store.storeId, store.name]));
  return { storeName: (storeId) => names.get(storeId) ?? storeId, hasStores: names.size > 0 };
}

/** Each store's figures from `from` to `to` (the last 30 days by default). */
export const storeStats = () => answer(api.GET('/v1/stats/stores'));
export type StoreFiguresRow = Awaited<ReturnType<typeof storeStats>>['storeStats']['stores'][number];

export const useStoreStats = (enabled = true) =>
  useQuery({ queryKey: ['stats', 'stores'], queryFn: storeStats, enabled });

/** A change to the stores, after which they are read again. */
function useStoresChange<Input, Answer>(mutationFn: (input: Input) => Promise<Answer>) {
  const queries = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queries.invalidateQueries({ queryKey: ['stores'] }) });
}

/** Creates a store under the shop's own code for it: sending it again answers the same store. */
export const useCreateStore = () =>
  useStoresChange((body: NewStore) => answer(api.POST('/v1/stores', { body })));

/** Renames, moves or closes (reopens) a store. */
export const useChangeStore = () =>
  useStoresChange(({ storeId, ...body }: StoreChange & { storeId: string }) =>
    answer(api.PATCH('/v1/stores/{storeId}', { params: { path: { storeId } }, body })),
  );
