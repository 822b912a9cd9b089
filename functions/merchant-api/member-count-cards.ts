import * as z from 'zod';
import { type CardRefusal, cardExpiresOn, cardRefusal, refundCents } from '../../shared/domain/count-cards';
import { storeIdSchema } from '../../shared/domain/stores';
import { dateIn } from '../../shared/domain/time';
import {
  type CardActor,
  cardPaymentSchema,
  countCardIdSchema,
  countCardSchema,
} from '../../shared/schemas/count-card';
import type { Merchant } from '../../shared/schemas/merchant';
import type { CardProductsStore } from '../../shared/store/count-card-products';
import type { CountCardsStore } from '../../shared/store/count-cards';
import type { MembersStore } from '../../shared/store/members';
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
import {
  anyOf,
  invalidBody,
  invalidKey,
  invalidPhone,
  notMember,
  phonePath,
  type RouteDocsOf,
  replayed,
} from './route-docs';
import { storeOf } from './store-of';

export interface MemberCountCardRoutesDeps {
  members: MembersStore;
  cardProducts: CardProductsStore;
  countCards: CountCardsStore;
  clock: () => Date;
}

const saleBody = z.strictObject({
  productId: countCardIdSchema,
  /** Paid from the member's stored value, in the same transaction; or paid at the till. */
  payment: cardPaymentSchema,
  idempotencyKey: idempotencyKeySchema.optional(),
  /** The store (门店) it is sold at; a member of staff of one store sells at theirs. */
  storeId: storeIdSchema.optional(),
});
const operationBody = z.strictObject({ idempotencyKey: idempotencyKeySchema.optional() });
const useBody = z.strictObject({
  idempotencyKey: idempotencyKeySchema.optional(),
  /** The store (门店) it is used at; a member of staff of one store uses theirs. */
  storeId: storeIdSchema.optional(),
});

/** Who did it, as the card and its events keep it: the member of staff, or the API key. */
export function actorOf(caller: Caller): CardActor {
  return caller.actor.kind === 'api-key'
    ? { kind: 'api-key', id: caller.actor.keyId }
    : { kind: 'staff', id: caller.actor.staff.staffId, name: caller.actor.staff.name };
}

async function memberOf(request: Request, merchant: Merchant, deps: MemberCountCardRoutesDeps) {
  const phone = phoneParam(request, merchant);
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  if (!member || member.deletedAt) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
  return member;
}

const cardIdParam = (request: Request) => {
  const cardId = countCardIdSchema.safeParse(request.pathParameters?.cardId);
  if (!cardId.success)
    throw new HttpError(404, 'count_card_not_found', 'the member has no card with this id');
  return cardId.data;
};

const keyOf = (request: Request, body: { idempotencyKey?: string }) =>
  idempotencyKeyOf(request.headers['idempotency-key'], body.idempotencyKey);

const refusalTexts: Record<CardRefusal, (card: { expiresOn: string; name: string }) => string> = {
  'used-up': (card) => `${card.name} has no uses left`,
  expired: (card) => `${card.name} expired on ${card.expiresOn}`,
  refunded: (card) => `${card.name} was refunded`,
  'other-store': (card) => `${card.name} is not valid at this store`,
};

const refused = (reason: CardRefusal, card: { expiresOn: string; name: string }) =>
  new HttpError(409, `count_card_${reason.replace('-', '_')}`, refusalTexts[reason](card));

const keyReused = () =>
  new HttpError(
    409,
    'idempotency_key_reused',
    'this idempotency key was already used for a different operation',
  );

/** `POST /v1/members/{phone}/count-cards`: sells a card, paid from stored value or at the till. */
export async function sellCountCard(
  request: Request,
  merchant: Merchant,
  deps: MemberCountCardRoutesDeps,
  caller: Caller,
): Promise<Response> {
  const body = parseBody(request, saleBody);
  const storeId = storeOf(merchant, caller, body.storeId);
  const idempotencyKey = keyOf(request, body);
  const member = await memberOf(request, merchant, deps);
  const product = await deps.cardProducts.get(merchant.merchantId, body.productId);
  if (!product) {
    throw new HttpError(400, 'invalid_body', 'productId: no count-card product with this id', [
      { path: 'productId', message: 'no count-card product with this id' },
    ]);
  }
  if (!product.active) {
    throw new HttpError(409, 'count_card_product_stopped', `${product.name} is no longer sold`);
  }
  const at = deps.clock();
  const today = dateIn(merchant.timeZone, at);
  const outcome = await deps.countCards.sell({
    merchantId: merchant.merchantId,
    member,
    product,
    payment: body.payment,
    expiresOn: cardExpiresOn(product.validity, today),
    idempotencyKey,
    at,
    year: today.slice(0, 4),
    by: actorOf(caller),
    bonusSpendOrder: merchant.loyalty.bonusSpendOrder,
    ...(storeId ? { storeId } : {}),
  });
  switch (outcome.status) {
    case 'sold':
    case 'replayed':
      break;
    case 'insufficient':
      throw new HttpError(
        409,
        'insufficient_balance',
        `the stored value is ${outcome.balance} cents; the card costs ${product.priceCents}`,
      );
    case 'no-member':
      throw new HttpError(404, 'member_not_found', 'not a member');
    default:
      throw keyReused();
  }
  return json(outcome.status === 'sold' ? 201 : 200, {
    card: view(outcome.card, today),
    ...(outcome.balances ? { balances: outcome.balances } : {}),
    replayed: outcome.status === 'replayed',
  });
}

/** `POST /v1/members/{phone}/count-cards/{cardId}/use`: one use, once per idempotency key. */
export async function useCountCard(
  request: Request,
  merchant: Merchant,
  deps: MemberCountCardRoutesDeps,
  caller: Caller,
): Promise<Response> {
  const body = parseBody(request, useBody);
  const storeId = storeOf(merchant, caller, body.storeId);
  const idempotencyKey = keyOf(request, body);
  const member = await memberOf(request, merchant, deps);
  const cardId = cardIdParam(request);
  const at = deps.clock();
  const today = dateIn(merchant.timeZone, at);
  const outcome = await deps.countCards.use({
    merchantId: merchant.merchantId,
    memberId: member.memberId,
    cardId,
    idempotencyKey,
    at,
    today,
    by: actorOf(caller),
    ...(storeId ? { storeId } : {}),
  });
  switch (outcome.status) {
    case 'used':
    case 'replayed':
      return json(outcome.status === 'used' ? 201 : 200, {
        card: view(outcome.card, today),
        replayed: outcome.status === 'replayed',
      });
    case 'refused':
      throw refused(outcome.reason, outcome.card);
    case 'unknown':
      throw new HttpError(404, 'count_card_not_found', 'the member has no card with this id');
    case 'conflict':
      throw keyReused();
  }
}

/**
 * `POST /v1/members/{phone}/count-cards/{cardId}/refund`: the unused uses paid back pro rata, once per
 * card: to stored value when the card was paid from it (in the same transaction), else at the till.
 */
export async function refundCountCard(
  request: Request,
  merchant: Merchant,
  deps: MemberCountCardRoutesDeps,
  caller: Caller,
): Promise<Response> {
  const body = parseBody(request, operationBody);
  const idempotencyKey = keyOf(request, body);
  const member = await memberOf(request, merchant, deps);
  const cardId = cardIdParam(request);
  const at = deps.clock();
  const today = dateIn(merchant.timeZone, at);
  const outcome = await deps.countCards.refund({
    merchantId: merchant.merchantId,
    member,
    cardId,
    idempotencyKey,
    at,
    year: today.slice(0, 4),
    by: actorOf(caller),
  });
  switch (outcome.status) {
    case 'refunded':
    case 'replayed':
      return json(outcome.status === 'refunded' ? 201 : 200, {
        card: view(outcome.card, today),
        ...(outcome.balances ? { balances: outcome.balances } : {}),
        replayed: outcome.status === 'replayed',
      });
    case 'refused':
      throw refused('refunded', outcome.card);
    case 'no-member':
      throw new HttpError(404, 'member_not_found', 'not a member');
    case 'unknown':
      throw new HttpError(404, 'count_card_not_found', 'the member has no card with this id');
    case 'conflict':
      throw keyReused();
  }
}

/** `GET /v1/members/{phone}/count-cards`: every card the member holds, oldest first. */
export async function listCountCards(
  request: Request,
  merchant: Merchant,
  deps: MemberCountCardRoutesDeps,
): Promise<Response> {
  const member = await memberOf(request, merchant, deps);
  const today = dateIn(merchant.timeZone, deps.clock());
  const cards = await deps.countCards.cards(merchant.merchantId, member.memberId);
  return json(200, { cards: cards.map((card) => view(card, today)) });
}

const cardView = countCardSchema.extend({
  /** Whether it can be used today, and if not why. */
  state: z.enum(['usable', 'used-up', 'expired', 'refunded']),
  /** What a refund now would pay back: the price paid × uses left ÷ uses, rounded down to the cent. */
  refundableCents: z.int().nonnegative(),
});

function view(card: z.infer<typeof countCardSchema>, today: string): z.infer<typeof cardView> {
  // Asked at no store: a card valid at some stores only is usable (at those).
  const refusal = cardRefusal(card, today);
  return {
    ...card,
    state: refusal === undefined || refusal === 'other-store' ? 'usable' : refusal,
    refundableCents: card.refundedAt ? 0 : refundCents(card.pricePaid, card.usesLeft, card.uses),
  };
}

const cardAnswer = z.object({ card: cardView, replayed: z.boolean() });
const moneyAnswer = cardAnswer.extend({
  balances: z.object({ points: z.int(), storedValue: z.int() }).optional(),
});
const cardPath = { ...phonePath, cardId: 'The card id, as the sale or the list gave it' };

export const memberCountCardRouteDocs: RouteDocsOf<
  | 'POST /v1/members/{phone}/count-cards'
  | 'GET /v1/members/{phone}/count-cards'
  | 'POST /v1/members/{phone}/count-cards/{cardId}/use'
  | 'POST /v1/members/{phone}/count-cards/{cardId}/refund'
> = {
  'POST /v1/members/{phone}/count-cards': {
    summary: 'Sell a count card',
    description:
      'Sells the member a card of the product `productId`. `payment: "stored-value"` takes the price from the ' +
      "member's stored value in the same transaction as the sale (409 `insufficient_balance`, with the balance, " +
      'when it is too small); `"till"` records it as paid at the till. The card expires by the product\'s ' +
      'validity, counted from today in your time zone. Once per idempotency key.',
    pathParameters: phonePath,
    body: saleBody,
    idempotencyKey: true,
    responses: {
      201: { description: 'Sold', body: moneyAnswer },
      200: { description: replayed, body: moneyAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey),
      404: notMember,
      409: 'The stored value is too small, the product is stopped, or the idempotency key was used for another operation',
    },
  },
  'GET /v1/members/{phone}/count-cards': {
    summary: "A member's count cards",
    description:
      'Every card the member holds, oldest first, with its `state` today (`usable`, `used-up`, `expired`, ' +
      '`refunded`) and what a refund would pay back now (`refundableCents`).',
    pathParameters: phonePath,
    responses: { 200: { description: 'The cards', body: z.object({ cards: z.array(cardView) }) } },
    errors: { 400: invalidPhone, 404: notMember },
  },
  'POST /v1/members/{phone}/count-cards/{cardId}/use': {
    summary: 'Use a count card once',
    description:
      'Takes one use off the card, never below zero: of several requests racing for the last use exactly one ' +
      'succeeds. The use records the store (门店): `storeId`, or the store of a member of staff who belongs ' +
      'to one. Refused with 409 `count_card_used_up`, `count_card_expired` (after its `expiresOn`), ' +
      '`count_card_refunded` or `count_card_other_store` (a card valid at other stores only). Once per ' +
      'idempotency key.',
    pathParameters: cardPath,
    body: useBody,
    idempotencyKey: true,
    responses: {
      201: { description: 'Used', body: cardAnswer },
      200: { description: replayed, body: cardAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey),
      404: 'Not a member, or no such card',
      409: 'The card is used up, expired or refunded, or the idempotency key was used for another operation',
    },
  },
  'POST /v1/members/{phone}/count-cards/{cardId}/refund': {
    summary: 'Refund a count card',
    description:
      'Pays back the unused uses, once per card: the price paid × uses left ÷ uses, rounded down to the cent. ' +
      'A card paid from stored value is refunded to stored value (a ledger entry in the same transaction); one ' +
      'paid at the till is recorded as refunded at the till. The card keeps no uses. Once per idempotency key.',
    pathParameters: cardPath,
    body: operationBody,
    idempotencyKey: true,
    responses: {
      201: { description: 'Refunded', body: moneyAnswer },
      200: { description: replayed, body: moneyAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey),
      404: 'Not a member, or no such card',
      409: 'The card was refunded before, or the idempotency key was used for another operation',
    },
  },
};
