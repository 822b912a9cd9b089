import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { Member } from './get-member';
import { memberKey } from './get-member';

/** What the counter and the profile can do to a member's books. */
export type LedgerAction = 'earn' | 'bonus' | 'redeem' | 'adjust' | 'topUp' | 'spend';

/** The form's values: an amount in cents (earn, top-up, spend) or points, and the reason. */
export interface LedgerInput {
  cents?: number;
  points?: number;
  reason?: string;
}

type Call = { phone: string; action: LedgerAction; input: LedgerInput; idempotencyKey: string };

/** Each action's request; the idempotency key goes as the header, so a retry is answered, not redone. */
export function postLedgerEntry({ phone, action, input, idempotencyKey }: Call) {
  const params = { path: { phone }, header: { 'Idempotency-Key': idempotencyKey } };
  const reason = input.reason || undefined;
  const points = input.points ?? 0;
  const cents = input.cents ?? 0;
  switch (action) {
    case 'earn':
      return answer(
        api.POST('/v1/members/{phone}/points', { params, body: { purchaseCents: cents, reason } }),
      );
    case 'bonus':
      return answer(api.POST('/v1/members/{phone}/points', { params, body: { points, reason } }));
    case 'redeem':
      return answer(api.POST('/v1/members/{phone}/points/redeem', { params, body: { points, reason } }));
    case 'adjust':
      return answer(
        api.POST('/v1/members/{phone}/points/adjust', { params, body: { points, reason: reason ?? '' } }),
      );
    case 'topUp':
      return answer(api.POST('/v1/members/{phone}/stored-value/top-up', { params, body: { cents, reason } }));
    case 'spend':
      return answer(api.POST('/v1/members/{phone}/stored-value/spend', { params, body: { cents, reason } }));
  }
}

/**
 * Writes to the member's ledger. The balances shown become the answer's at once; the ledger and
 * lists load again.
 */
export function usePostLedgerEntry(phone: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (call: Omit<Call, 'phone'>) => postLedgerEntry({ ...call, phone }),
    onSuccess({ balances }) {
      queries.setQueryData<Member>(memberKey(phone), (member) => member && { ...member, ...balances });
      return queries.invalidateQueries({ queryKey: memberKey(phone) });
    },
  });
}
