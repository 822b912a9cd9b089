import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { memberKey } from './get-member';

type Call = { couponCode: string; idempotencyKey: string };

/** Uses a coupon once; the idempotency key makes a retry after a lost answer a replay, not a refusal. */
export const redeemCoupon = ({ couponCode, idempotencyKey }: Call) =>
  answer(
    api.POST('/v1/coupons/{couponCode}/redeem', {
      params: { path: { couponCode }, header: { 'Idempotency-Key': idempotencyKey } },
    }),
  ).then((body) => body.coupon);

/** Redeems one of the member's coupons; their claims load again, used or refused. */
export function useRedeemCoupon(phone: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: redeemCoupon,
    onSettled: () => queries.invalidateQueries({ queryKey: [...memberKey(phone), 'claims'] }),
  });
}
