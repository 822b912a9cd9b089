import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { paths } from '../../../lib/api-schema';
import { newIdempotencyKey } from '../../../lib/idempotency';
import { memberKey } from './get-member';

export type CountCard =
  paths['/v1/members/{phone}/count-cards']['get']['responses'][200]['content']['application/json']['cards'][number];
export type CardPayment = NonNullable<
  paths['/v1/members/{phone}/count-cards']['post']['requestBody']
>['content']['application/json']['payment'];

const cardsKey = (phone: string) => [...memberKey(phone), 'count-cards'];

/** The member's count cards, oldest first, each with its state today. */
export const useCountCards = (phone: string) =>
  useQuery({
    queryKey: cardsKey(phone),
    queryFn: () =>
      answer(api.GET('/v1/members/{phone}/count-cards', { params: { path: { phone } } })).then(
        (b) => b.cards,
      ),
  });

/** The products on sale, to sell one. */
export const useProductsOnSale = () =>
  useQuery({
    queryKey: ['count-cards'],
    queryFn: () => answer(api.GET('/v1/count-cards')).then((body) => body.products),
    select: (products) => products.filter((product) => product.active),
  });

/** A change to the member's cards: the cards, and the balances a payment moved, read again. */
function useCardChange<Input>(phone: string, mutationFn: (input: Input) => Promise<unknown>) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queries.invalidateQueries({ queryKey: memberKey(phone) }),
  });
}

export const useSellCard = (phone: string) =>
  useCardChange(phone, (sale: { productId: string; payment: CardPayment; idempotencyKey: string }) =>
    answer(
      api.POST('/v1/members/{phone}/count-cards', {
        params: { path: { phone }, header: { 'Idempotency-Key': sale.idempotencyKey } },
        body: { productId: sale.productId, payment: sale.payment },
      }),
    ),
  );

/** One use, or the refund of what is left: each under a key of its own, made when it is confirmed. */
export const useCardOperation = (phone: string, operation: 'use' | 'refund') =>
  useCardChange(phone, (cardId: string) => {
    const params = { path: { phone, cardId }, header: { 'Idempotency-Key': newIdempotencyKey() } };
    return answer(
      operation === 'use'
        ? api.POST('/v1/members/{phone}/count-cards/{cardId}/use', { params, body: {} })
        : api.POST('/v1/members/{phone}/count-cards/{cardId}/refund', { params, body: {} }),
    );
  });
