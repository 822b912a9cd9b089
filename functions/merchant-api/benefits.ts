import * as z from 'zod';
import { benefitChanged, eventOf } from '../../events';
import { type ClaimRefusal, claimState, claimStates, refusalText } from '../../shared/domain/benefits';
import {
  benefitCodeSchema,
  benefitInputSchema,
  benefitSchema,
  type Claim,
  claimSchema,
} from '../../shared/schemas/benefit';
import type { Merchant } from '../../shared/schemas/merchant';
import type { BenefitEvents, BenefitsStore } from '../../shared/store/benefits';
import type { ExchangesStore } from '../../shared/store/exchanges';
import type { MembersStore } from '../../shared/store/members';
import { claimBenefit, exchangeableBenefits } from '../../shared/use-cases/claim-benefit';
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
import {
  anyOf,
  invalidBody,
  invalidKey,
  invalidPhone,
  neverMember,
  phonePath,
  type RouteDocsFor,
  type RouteDocsOf,
  replayed,
} from './route-docs';
import { refuseUnknownTiers } from './tier-codes';

export interface BenefitRoutesDeps {
  members: MembersStore;
  benefits: BenefitsStore;
  exchanges: ExchangesStore;
  clock: () => Date;
}

/** A change of the catalog's event, committed with the change in the outbox. */
const benefitChange =
  (merchant: Merchant, deps: BenefitRoutesDeps): BenefitEvents =>
  ({ code, active, stock }) => {
    const at = deps.clock().toISOString();
    return [
      eventOf(benefitChanged, {
        eventId: `benefit:${code}:${at}`,
        merchantId: merchant.merchantId,
        code,
        active,
        stock,
        at,
      }),
    ];
  };

/** Creates a benefit, or replaces the one with the same code (its stock kept unless given). */
export async function putBenefit(
  request: Request,
  merchant: Merchant,
  deps: BenefitRoutesDeps,
): Promise<Response> {
  const input = parseBody(request, benefitInputSchema);
  refuseUnknownTiers(merchant, [
    { path: 'tiers', codes: input.tiers },
    { path: 'valueByTier', codes: Object.keys(input.valueByTier ?? {}) },
  ]);
  const benefit = await deps.benefits.put(merchant.merchantId, input, benefitChange(merchant, deps));
  return json(200, { benefit });
}

export async function listBenefits(
  _request: Request,
  merchant: Merchant,
  deps: BenefitRoutesDeps,
): Promise<Response> {
  return json(200, { benefits: await deps.benefits.list(merchant.merchantId) });
}

function codeParam(request: Request): string {
  const code = benefitCodeSchema.safeParse((request.pathParameters?.code ?? '').toUpperCase());
  if (!code.success)
    throw new HttpError(400, 'invalid_code', code.error.issues[0]?.message ?? 'invalid code');
  return code.data;
}

/** Stops new claims; claims already made stay valid. */
export async function deactivateBenefit(
  request: Request,
  merchant: Merchant,
  deps: BenefitRoutesDeps,
): Promise<Response> {
  const code = codeParam(request);
  const benefit = await deps.benefits.deactivate(merchant.merchantId, code, benefitChange(merchant, deps));
  if (!benefit) throw new HttpError(404, 'benefit_not_found', `no benefit ${code}`);
  return json(200, { benefit });
}

const claimBodySchema = z.strictObject({
  code: benefitCodeSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});

const refusalStatus: Record<ClaimRefusal, number> = {
  'not-member': 404,
  'unknown-benefit': 404,
  tier: 403,
  birthday: 403,
  inactive: 409,
  'already-claimed': 409,
  'out-of-stock': 409,
  'insufficient-points': 409,
  'key-reused': 409,
};

/** Claims a benefit for a member, as the member would by SMS; once per idempotency key. */
export async function claim(
  request: Request,
  merchant: Merchant,
  deps: BenefitRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const body = parseBody(request, claimBodySchema);
  const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key'], body.idempotencyKey);
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  const result = await claimBenefit(
    { merchant, member, code: body.code, idempotencyKey, channel: 'merchant-api', now: deps.clock() },
    deps,
  );
  if (!result.ok) {
    const message = refusalText(result.reason, 'en', {
      merchantName: merchant.name,
      benefit: result.benefit,
    });
    throw new HttpError(refusalStatus[result.reason], result.reason.replace(/-/g, '_'), message);
  }
  return json(result.replayed ? 200 : 201, {
    claim: claimView(result.claim),
    replayed: result.replayed,
    ...(result.balances ? { balances: result.balances } : {}),
  });
}

/**
 * What the member can exchange points for now (积分兑换), cheapest first, each with its price and the
 * points the member would have left: what the member's 兑换 text lists.
 */
export async function listExchangeable(
  request: Request,
  merchant: Merchant,
  deps: BenefitRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  if (!member || member.deletedAt) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
  const offers = await exchangeableBenefits(merchant, member, deps.clock(), deps);
  return json(200, {
    balances: { points: member.points, storedValue: member.storedValue },
    benefits: offers.map(({ benefit, pointsAfter }) => ({
      code: benefit.code,
      name: benefit.name,
      ...(benefit.description ? { description: benefit.description } : {}),
      pricePoints: benefit.pricePoints as number,
      pointsAfter,
      ...(benefit.stock !== undefined ? { stock: benefit.stock } : {}),
      ...(benefit.validDays !== undefined ? { validDays: benefit.validDays } : {}),
    })),
  });
}

/** A member's claims, newest first, each with its coupon code and whether it is still usable, used or expired. */
export async function listClaims(
  request: Request,
  merchant: Merchant,
  deps: BenefitRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  if (!member) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
  const now = deps.clock();
  const claims = await deps.benefits.claims(merchant.merchantId, member.memberId);
  return json(200, { claims: claims.map((c) => ({ ...claimView(c), state: claimState(c, now) })) });
}

/** A claim as the merchant sees it: no tenant id. */
const claimView = ({ merchantId: _tenant, ...claim }: Claim) => claim;
const claimViewSchema = claimSchema.omit({ merchantId: true });

const claimAnswer = z.object({
  claim: claimViewSchema,
  replayed: z.boolean(),
  /** The member's balances after an exchange (a benefit priced in points). */
  balances: z.object({ points: z.int().nonnegative(), storedValue: z.int().nonnegative() }).optional(),
});

const exchangeableAnswer = z.object({
  balances: claimAnswer.shape.balances.unwrap(),
  benefits: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      description: z.string().optional(),
      pricePoints: z.int().positive(),
      pointsAfter: z.int().nonnegative(),
      stock: z.int().nonnegative().optional(),
      validDays: z.int().positive().optional(),
    }),
  ),
});

export const benefitRouteDocs: RouteDocsFor<'/v1/benefits'> &
  RouteDocsOf<
    | 'POST /v1/members/{phone}/claims'
    | 'GET /v1/members/{phone}/claims'
    | 'GET /v1/members/{phone}/exchangeable'
  > = {
  'POST /v1/benefits': {
    summary: 'Create or replace a benefit',
    description:
      'Creates a benefit, or replaces the one with the same code. `stock` left out keeps the stock ' +
      'as it is (claims may have used some); `null` makes it unlimited.',
    body: benefitInputSchema,
    responses: { 200: { description: 'The benefit as stored', body: z.object({ benefit: benefitSchema }) } },
    errors: { 400: anyOf(invalidBody) },
  },
  'GET /v1/benefits': {
    summary: 'List benefits',
    description: 'Your benefit catalog, stopped benefits included, with the claims each has had.',
    responses: {
      200: { description: 'The benefits', body: z.object({ benefits: z.array(benefitSchema) }) },
    },
    errors: {},
  },
  'DELETE /v1/benefits/{code}': {
    summary: 'Stop a benefit',
    description: 'New claims are refused; claims already made stay valid.',
    pathParameters: { code: 'The benefit code, e.g. ROAM90' },
    responses: {
      200: { description: 'The benefit, stopped', body: z.object({ benefit: benefitSchema }) },
    },
    errors: { 400: 'The code is not a benefit code', 404: 'There is no benefit with the code' },
  },
  'POST /v1/members/{phone}/claims': {
    summary: 'Claim a benefit for a member',
    description:
      'Claims a benefit as the member would by text; the claim carries the coupon code the member shows to ' +
      'use it, once. A benefit with a `pricePoints` is an exchange (积分兑换): its price leaves the ' +
      "member's points (the soonest to expire first) in the claim's own transaction, with the stock and " +
      'the claim, or nothing happens; the answer carries the `balances` left. Once per idempotency key: a ' +
      'retry answers as the first call did.',
    pathParameters: phonePath,
    body: claimBodySchema,
    idempotencyKey: true,
    responses: {
      201: { description: 'The claim', body: claimAnswer },
      200: { description: replayed, body: claimAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey),
      403: "The member's tier may not claim it, or it is claimable only on the member's birthday",
      404: 'The phone is not a member, or there is no benefit with the code',
      409:
        'The benefit is stopped, already claimed in this period, or out of stock; the member has fewer points ' +
        'than its price (`insufficient_points`); or the idempotency key was used for another exchange',
    },
  },
  'GET /v1/members/{phone}/exchangeable': {
    summary: 'What a member can exchange points for',
    description:
      "The benefits priced in points the member may claim now (tier, birthday, limit, stock) and whose price the member's " +
      'points cover, cheapest first, each with `pointsAfter`: the points the member would have left. What the ' +
      'member is sent for 兑换 (or DH, EXCHANGE).',
    pathParameters: phonePath,
    responses: { 200: { description: 'The member’s points and what they buy', body: exchangeableAnswer } },
    errors: { 400: anyOf(invalidPhone), 404: 'The phone is not a member' },
  },
  'GET /v1/members/{phone}/claims': {
    summary: "A member's claims",
    description:
      "The member's claims, newest first, each with its coupon code and its state: `active` (usable), " +
      '`used` (redeemed: when, by whom, how) or `expired`.',
    pathParameters: phonePath,
    responses: {
      200: {
        description: 'The claims',
        body: z.object({
          claims: z.array(claimViewSchema.extend({ state: z.enum(claimStates) })),
        }),
      },
    },
    errors: { 400: anyOf(invalidPhone), 404: neverMember },
  },
};
