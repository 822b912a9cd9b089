import * as z from 'zod';
import { couponCodeLength, readCouponCode } from '../../shared/domain/coupons';
import { redeemerLabel, staffReplies } from '../../shared/domain/staff-replies';
import { storeIdSchema } from '../../shared/domain/stores';
import { minuteIn } from '../../shared/domain/time';
import { type Coupon, couponSchema } from '../../shared/schemas/benefit';
import type { Merchant } from '../../shared/schemas/merchant';
import { type RedeemDeps, redeemCoupon } from '../../shared/use-cases/redeem-coupon';
import { actorIdOf, type Caller } from './auth';
import {
  HttpError,
  idempotencyKeyOf,
  json,
  parseBody,
  type Request,
  type Response,
  safeDecode,
} from './http';
import { anyOf, invalidKey, type RouteDocsFor, replayed } from './route-docs';
import { storeOf } from './store-of';

export interface CouponRoutesDeps extends RedeemDeps {
  clock: () => Date;
}

/** Optional: the store (门店) it is used at; a member of staff of one store records theirs. */
const redeemBodySchema = z.strictObject({ storeId: storeIdSchema.optional() });

/**
 * Uses a member's coupon (核销), once per idempotency key: of two calls at the same moment with
 * different keys, one redeems it and the other is refused as used, saying when, by whom and how.
 * In the console (a staff member's session) the channel is `console`, with an API key `merchant-api`.
 */
export async function redeemCouponRoute(
  request: Request,
  merchant: Merchant,
  deps: CouponRoutesDeps,
  caller: Caller,
): Promise<Response> {
  const body = request.body ? parseBody(request, redeemBodySchema) : {};
  const storeId = storeOf(merchant, caller, body.storeId);
  const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key'], undefined);
  const couponCode = readCouponCode(safeDecode(request.pathParameters?.couponCode ?? ''));
  if (!couponCode) {
    const message = `coupon code: ${couponCodeLength} letters and digits without 0, O, 1, I or L`;
    throw new HttpError(400, 'invalid_code', message);
  }
  const { actor } = caller;
  const result = await redeemCoupon(
    {
      merchant,
      couponCode,
      by: {
        ...(actor.kind === 'staff'
          ? { kind: 'staff', id: actor.staff.staffId, name: actor.staff.name }
          : { kind: 'api-key', id: actorIdOf(caller) }),
        ...(storeId ? { storeId } : {}),
      },
      channel: actor.kind === 'staff' ? 'console' : 'merchant-api',
      idempotencyKey,
      now: deps.clock(),
    },
    deps,
  );
  if (result.ok) {
    return json(result.replayed ? 200 : 201, {
      coupon: { ...couponView(result.coupon), name: result.benefit?.name },
      replayed: result.replayed,
    });
  }
  const { coupon } = result;
  const at = (instant?: string) => instant && minuteIn(merchant.timeZone, new Date(instant));
  const message = staffReplies.notRedeemed(
    'en',
    result.reason,
    couponCode,
    result.reason === 'used' && coupon?.usedBy
      ? { at: at(coupon.usedAt), by: redeemerLabel('en', coupon.usedBy), channel: coupon.usedChannel }
      : { at: at(coupon?.validUntil) },
  );
  if (result.reason === 'unknown') throw new HttpError(404, 'coupon_not_found', message);
  throw new HttpError(409, result.reason === 'used' ? 'coupon_used' : 'coupon_expired', message);
}

/** A coupon as the merchant sees it: no tenant id, no idempotency key. */
const couponView = ({ merchantId: _tenant, redeemKey: _key, ...coupon }: Coupon) => coupon;
const couponViewSchema = couponSchema
  .omit({ merchantId: true, redeemKey: true })
  .required({ usedAt: true, usedBy: true, usedChannel: true })
  .extend({ name: z.string().optional().describe("The benefit's name") });
const redeemAnswer = z.object({ coupon: couponViewSchema, replayed: z.boolean() });

export const couponRouteDocs: RouteDocsFor<'/v1/coupons'> = {
  'POST /v1/coupons/{couponCode}/redeem': {
    summary: 'Redeem a coupon',
    description:
      "Uses a member's coupon, the code their claim gave them, once: of two calls at the same moment one " +
      'redeems it and the other is refused as used, saying when, by whom and how. Once per idempotency ' +
      'key: a retry answers as the first call did. Another shop’s codes are unknown here. The use records ' +
      'the store (门店): `storeId` in the optional body, or the store of a member of staff who belongs to one.',
    pathParameters: {
      couponCode: 'The coupon code, 8 characters without 0, O, 1, I or L; spaces and dashes are ignored',
    },
    body: redeemBodySchema,
    optionalBody: true,
    idempotencyKey: true,
    responses: {
      201: { description: 'Redeemed', body: redeemAnswer },
      200: { description: replayed, body: redeemAnswer },
    },
    errors: {
      400: anyOf('the code is not a coupon code', invalidKey, 'an unknown or closed store'),
      403: 'A member of staff of one store named another',
      404: 'No coupon of yours has the code',
      409: 'The coupon was already used (when, by whom and how) or has expired',
    },
  },
};
