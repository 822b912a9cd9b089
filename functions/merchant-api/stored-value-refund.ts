import * as z from 'zod';
import { storeIdSchema } from '../../shared/domain/stores';
import { dateIn } from '../../shared/domain/time';
import type { Merchant } from '../../shared/schemas/merchant';
import type { Caller } from './auth';
import {
  HttpError,
  idempotencyKeyOf,
  idempotencyKeySchema,
  json,
  parseBody,
  phoneParam,
  type Request,
  type Response,
} from './http';
import type { LedgerRoutesDeps } from './ledger';
import { postingAnswer } from './ledger-answers';
import {
  anyOf,
  invalidBody,
  invalidKey,
  invalidPhone,
  phonePath,
  type RouteDocsOf,
  replayed,
} from './route-docs';
import { storeOf } from './store-of';

const refundBody = z.strictObject({
  /** The idempotency key the top-up was written under (its ledger entry's `idempotencyKey`). */
  topUpKey: idempotencyKeySchema,
  reason: z.string().trim().min(1).max(200).optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
  /** The store (门店) it is refunded at; a member of staff of one store refunds at theirs. */
  storeId: storeIdSchema.optional(),
});

/**
 * A refund (退款) of one top-up, once per top-up: it takes the top-up's paid cents and its unspent bonus
 * off the balance (and its bonus points back), and answers the money to hand back (`refundCents`).
 */
export async function refund(
  request: Request,
  merchant: Merchant,
  deps: LedgerRoutesDeps,
  caller: Caller,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const body = parseBody(request, refundBody);
  const storeId = storeOf(merchant, caller, body.storeId);
  const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key'], body.idempotencyKey);
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  if (!member || member.deletedAt) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
  const at = deps.clock();
  const outcome = await deps.ledger.refund({
    merchantId: merchant.merchantId,
    member,
    topUpKey: body.topUpKey,
    ...(body.reason ? { reason: body.reason } : {}),
    ...(storeId ? { storeId } : {}),
    idempotencyKey,
    at,
    year: dateIn(merchant.timeZone, at).slice(0, 4),
  });
  switch (outcome.status) {
    case 'applied':
    case 'replayed':
      return json(outcome.status === 'applied' ? 201 : 200, {
        entry: outcome.entry,
        balances: outcome.balances,
        replayed: outcome.status === 'replayed',
      });
    case 'conflict':
      throw new HttpError(
        409,
        'idempotency_key_reused',
        'this idempotency key was already used for a different operation',
      );
    case 'no-member':
      throw new HttpError(404, 'member_not_found', 'not a member');
    case 'no-top-up':
      throw new HttpError(404, 'top_up_not_found', `topUpKey: no top-up of ${phone} under ${body.topUpKey}`, [
        { path: 'topUpKey', message: 'no top-up of this member under this key' },
      ]);
    case 'already-refunded':
      throw new HttpError(
        409,
        'already_refunded',
        `topUpKey: the top-up was refunded before (${outcome.refundedBy})`,
        [{ path: 'topUpKey', message: `refunded before, under ${outcome.refundedBy}` }],
      );
    case 'nothing-to-refund':
    case 'insufficient':
      throw new HttpError(
        409,
        'nothing_to_refund',
        'topUpKey: nothing of the top-up is left: its paid part and its bonus were spent',
        [{ path: 'topUpKey', message: 'its paid part and its bonus were spent' }],
      );
  }
}

export const refundRouteDocs: RouteDocsOf<'POST /v1/members/{phone}/stored-value/refund'> = {
  'POST /v1/members/{phone}/stored-value/refund': {
    summary: 'Refund a top-up',
    description:
      'Refunds (退款) the top-up written under `topUpKey`, once: takes its paid cents off the balance (no ' +
      'more than the paid part left) and its bonus stored value and bonus points as far as they are unspent. ' +
      'The money to hand back is `refundCents` on the entry: the paid cents taken off, less the bonus the ' +
      'member already spent — a refund never pays out bonus money, and no balance goes below zero. ' +
      'Once per idempotency key: a retry answers as the first call did.',
    pathParameters: phonePath,
    body: refundBody,
    idempotencyKey: true,
    responses: {
      201: { description: 'The refund entry, written to the ledger', body: postingAnswer },
      200: { description: replayed, body: postingAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey),
      404: 'Not a member, or no top-up of the member under `topUpKey`',
      409: 'The top-up was refunded before, nothing of it is left, or the idempotency key was used for another operation',
    },
  },
};
