import * as z from 'zod';
import {
  expiryDate,
  maxCentsPerOperation,
  maxPointsPerOperation,
  type Posting,
} from '../../shared/domain/ledger';
import { type EarnContext, multipliedFields, purchaseEarning } from '../../shared/domain/points-multipliers';
import { storeIdSchema } from '../../shared/domain/stores';
import { dateIn } from '../../shared/domain/time';
import type { Merchant } from '../../shared/schemas/merchant';
import { InvalidCursorError, type LedgerStore, type PostOutcome } from '../../shared/store/ledger';
import type { MembersStore } from '../../shared/store/members';
import { postToLedger } from '../../shared/use-cases/post-to-ledger';
import { topUpPostings } from '../../shared/use-cases/top-up';
import type { Caller } from './auth';
import {
  HttpError,
  idempotencyKeyOf,
  idempotencyKeySchema,
  json,
  parseBody,
  parseQuery,
  phoneParam,
  type Request,
  type Response,
} from './http';
import { entrySchema, postingAnswer } from './ledger-answers';
import { checkOffset } from './points-offset';
import {
  anyOf,
  invalidBody,
  invalidKey,
  invalidPhone,
  invalidQuery,
  neverMember,
  notMember,
  phonePath,
  type RouteDocsOf,
  replayed,
} from './route-docs';
import { storeOf } from './store-of';

export interface LedgerRoutesDeps {
  members: MembersStore;
  ledger: LedgerStore;
  clock: () => Date;
}

const points = z.number().int('points must be a whole number').min(1).max(maxPointsPerOperation);
const cents = z.number().int('cents must be a whole number').min(1).max(maxCentsPerOperation);
const reason = z.string().trim().min(1).max(200);
const common = {
  reason: reason.optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
  /** The store (门店) it is recorded at; a member of staff of one store records theirs. */
  storeId: storeIdSchema.optional(),
};

export const bodies = {
  earn: z
    .strictObject({ points: points.optional(), purchaseCents: cents.optional(), ...common })
    .refine((body) => (body.points === undefined) !== (body.purchaseCents === undefined), {
      message: 'give either points (a bonus) or purchaseCents (points at the merchant rate), not both',
    }),
  redeem: z
    .strictObject({
      points,
      /** The purchase the points offset (抵扣), e.g. an order id, and the cents they take off it. */
      purchaseRef: z.string().trim().min(1).max(100).optional(),
      offsetCents: cents.optional(),
      ...common,
    })
    .refine((body) => (body.purchaseRef === undefined) === (body.offsetCents === undefined), {
      message: 'an offset names both the purchase (purchaseRef) and the cents it takes off (offsetCents)',
      path: ['offsetCents'],
    }),
  adjust: z.strictObject({
    points: z
      .number()
      .int('points must be a whole number')
      .min(-maxPointsPerOperation)
      .max(maxPointsPerOperation)
      .refine((value) => value !== 0, 'points: an adjustment is not 0'),
    reason,
    idempotencyKey: common.idempotencyKey,
    storeId: common.storeId,
  }),
  'top-up': z.strictObject({ cents, ...common }),
  spend: z.strictObject({ cents, ...common }),
};
type Operation = keyof typeof bodies;

/** The posting an API body asks for, under the merchant's rate and expiry policy. */
function postingFor(
  operation: Operation,
  body: Record<string, unknown>,
  merchant: Merchant,
  context: EarnContext,
): Posting {
  const { today } = context;
  const reasonOf = body.reason as string | undefined;
  const withExpiry = (posting: Posting): Posting => {
    const expiresOn = posting.delta > 0 ? expiryDate(today, merchant.loyalty.expiry) : undefined;
    return expiresOn ? { ...posting, expiresOn } : posting;
  };
  switch (operation) {
    case 'earn': {
      const purchaseCents = body.purchaseCents as number | undefined;
      if (!purchaseCents)
        return withExpiry({ book: 'points', type: 'earn', delta: body.points as number, reason: reasonOf });
      const earning = purchaseEarning(purchaseCents, merchant.loyalty, context);
      return withExpiry({
        book: 'points',
        type: 'earn',
        delta: earning.points,
        reason: reasonOf,
        purchaseCents,
        ...multipliedFields(earning),
      });
    }
    case 'redeem': {
      const { purchaseRef, offsetCents } = body as { purchaseRef?: string; offsetCents?: number };
      const offset =
        purchaseRef !== undefined && offsetCents !== undefined ? { purchaseRef, offsetCents } : {};
      return { book: 'points', type: 'redeem', delta: -(body.points as number), reason: reasonOf, ...offset };
    }
    case 'adjust':
      return withExpiry({ book: 'points', type: 'adjust', delta: body.points as number, reason: reasonOf });
    case 'top-up':
      return topUpPostings({ merchant, cents: body.cents as number, reason: reasonOf, today }).posting;
    case 'spend':
      return { book: 'storedValue', type: 'spend', delta: -(body.cents as number), reason: reasonOf };
  }
}

/**
 * One ledger operation, once per idempotency key (the `Idempotency-Key` header or
 * `idempotencyKey` in the body): a retry answers as the first call did (200, `replayed: true`),
 * a reuse of the key for another operation is 409, and a debit larger than the balance is 409.
 */
function ledgerRoute(operation: Operation) {
  return async (
    request: Request,
    merchant: Merchant,
    deps: LedgerRoutesDeps,
    caller: Caller,
  ): Promise<Response> => {
    const phone = phoneParam(request, merchant);
    const body = parseBody(request, bodies[operation]) as Record<string, unknown>;
    const storeId = storeOf(merchant, caller, body.storeId as string | undefined);
    const idempotencyKey = idempotencyKeyOf(
      request.headers['idempotency-key'],
      body.idempotencyKey as string,
    );
    const { member } = await deps.members.contact(merchant.merchantId, phone);
    if (!member || member.deletedAt) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);

    const at = deps.clock();
    const today = dateIn(merchant.timeZone, at);
    const posting = postingFor(operation, body, merchant, {
      today,
      birthday: member.birthday,
      tier: member.tier,
      storeId,
    });
    if (posting.offsetCents !== undefined) checkOffset(posting.offsetCents, -posting.delta, merchant);
    if (posting.delta === 0) {
      throw new HttpError(400, 'invalid_body', 'purchaseCents: the purchase is too small to earn a point');
    }
    // A top-up's bonus points (充值赠送) go with it; a spend takes the bonus part in the merchant's order.
    const { also } =
      operation === 'top-up' ? topUpPostings({ merchant, cents: body.cents as number, today }) : {};
    const { bonusSpendOrder } = merchant.loyalty;
    const year = today.slice(0, 4);
    const outcome = await postToLedger(
      {
        merchantId: merchant.merchantId,
        member,
        posting: storeId ? { ...posting, storeId } : posting,
        idempotencyKey,
        at,
        year,
        also: storeId ? also?.map((bonus) => ({ ...bonus, storeId })) : also,
        bonusSpendOrder,
      },
      deps,
    );
    return answer(outcome, operation);
  };
}

function answer(outcome: PostOutcome, operation: Operation): Response {
  switch (outcome.status) {
    case 'conflict':
      throw new HttpError(
        409,
        'idempotency_key_reused',
        'this idempotency key was already used for a different operation',
      );
    case 'no-member':
      throw new HttpError(404, 'member_not_found', 'not a member');
    case 'insufficient':
      throw new HttpError(
        409,
        'insufficient_balance',
        `the balance is ${outcome.balance}; this ${operation} needs more, and balances never go below zero`,
      );
  }
  const { entry, balances } = outcome;
  return json(outcome.status === 'applied' ? 201 : 200, {
    entry,
    balances,
    replayed: outcome.status === 'replayed',
  });
}

export const earn = ledgerRoute('earn');
export const redeem = ledgerRoute('redeem');
export const adjust = ledgerRoute('adjust');
export const topUp = ledgerRoute('top-up');
export const spend = ledgerRoute('spend');

const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(1000).optional(),
  book: z.enum(['points', 'storedValue']).optional(),
});

/** A member's ledger, newest first, a page at a time. */
export async function history(
  request: Request,
  merchant: Merchant,
  deps: LedgerRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const query = historyQuery.safeParse(request.queryStringParameters ?? {});
  if (!query.success) {
    throw new HttpError(
      400,
      'invalid_query',
      query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  if (!member) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
  try {
    return json(200, await deps.ledger.history(merchant.merchantId, member.memberId, query.data));
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new HttpError(400, 'invalid_cursor', error.message);
    throw error;
  }
}

const earnPreviewQuery = z.strictObject({
  purchaseCents: z.coerce
    .number('purchaseCents: the purchase in cents')
    .int('purchaseCents: whole cents')
    .min(1, 'purchaseCents: at least 1 cent')
    .max(maxCentsPerOperation, `purchaseCents: at most ${maxCentsPerOperation}`),
  /** The store the purchase would be at; a member of staff of one store asks for theirs. */
  storeId: storeIdSchema.optional(),
});

/**
 * What a purchase would earn the member now (积分加倍 included): the points at the merchant's rate,
 * the multiplier rule that applies, and the points. Nothing is written.
 */
export async function earnPreview(
  request: Request,
  merchant: Merchant,
  deps: LedgerRoutesDeps,
  caller: Caller,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const query = parseQuery(request, earnPreviewQuery);
  const { purchaseCents } = query;
  const storeId = storeOf(merchant, caller, query.storeId);
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  if (!member || member.deletedAt) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
  const today = dateIn(merchant.timeZone, deps.clock());
  const earning = purchaseEarning(purchaseCents, merchant.loyalty, {
    today,
    birthday: member.birthday,
    tier: member.tier,
    storeId,
  });
  return json(200, { earning: { purchaseCents, ...earning } });
}

const keyReused = 'The idempotency key was already used for a different operation';

function ledgerOperation(summary: string, description: string, body: z.ZodType, debit: boolean) {
  return {
    summary,
    description:
      `${description} Once per idempotency key: a retry answers as the first call did. The entry records ` +
      'the store (门店) it was made at: `storeId` (one of yours, open), or the store of a member of staff ' +
      'who belongs to one.',
    pathParameters: phonePath,
    body,
    idempotencyKey: true,
    responses: {
      201: { description: 'Written to the ledger', body: postingAnswer },
      200: { description: replayed, body: postingAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey, 'an unknown or closed store'),
      403: 'A member of staff of one store named another',
      404: notMember,
      409: debit ? `${keyReused}, or the balance is too small (it never goes below zero)` : keyReused,
    },
  } as const;
}

export const ledgerRouteDocs: RouteDocsOf<
  | 'POST /v1/members/{phone}/points'
  | 'POST /v1/members/{phone}/points/redeem'
  | 'POST /v1/members/{phone}/points/adjust'
  | 'POST /v1/members/{phone}/stored-value/top-up'
  | 'POST /v1/members/{phone}/stored-value/spend'
  | 'GET /v1/members/{phone}/ledger'
  | 'GET /v1/members/{phone}/points/preview'
> = {
  'POST /v1/members/{phone}/points': ledgerOperation(
    'Award points',
    'Awards either a bonus (`points`) or the points a purchase earns at your rate (`purchaseCents`).',
    bodies.earn,
    false,
  ),
  'POST /v1/members/{phone}/points/redeem': ledgerOperation(
    'Redeem points',
    "Takes points from the member's balance, the soonest to expire first. To offset a purchase (抵扣), name it " +
      '(`purchaseRef`) and the cents the points take off it (`offsetCents`): the points must be what your ' +
      '`pointsPerYuanOff` (loyalty settings) asks for that amount, and the entry records both. Refused with 409 ' +
      '`offset_not_enabled` while no rate is set, 400 `offset_mismatch` when the points and the amount disagree.',
    bodies.redeem,
    true,
  ),
  'POST /v1/members/{phone}/points/adjust': ledgerOperation(
    'Correct a points balance',
    'Adds (positive) or removes (negative) points, with the reason for the correction.',
    bodies.adjust,
    true,
  ),
  'POST /v1/members/{phone}/stored-value/top-up': ledgerOperation(
    'Top up stored value',
    "Adds cents to the member's prepaid balance, with the bonus of the highest of your `topUpBonuses` " +
      '(loyalty settings) the amount reaches today: bonus stored value on the entry (`bonusDelta`, kept ' +
      'apart as `storedValueBonus`) and bonus points as a points entry of their own, in the same write.',
    bodies['top-up'],
    false,
  ),
  'POST /v1/members/{phone}/stored-value/spend': ledgerOperation(
    'Spend stored value',
    "Takes cents from the member's prepaid balance: the paid part first, then the bonus, or the bonus first " +
      '(`bonusSpendOrder` in the loyalty settings); `bonusDelta` on the entry is what came from the bonus.',
    bodies.spend,
    true,
  ),
  'GET /v1/members/{phone}/points/preview': {
    summary: 'What a purchase would earn',
    description:
      'The points a purchase of `purchaseCents` would earn the member now: the points at your rate ' +
      '(`basePoints`), the points multiplier rule that applies (`rule`, the highest of your ' +
      '`multipliers` in the loyalty settings whose conditions hold today — at `storeId`, or the store ' +
      'of a member of staff who belongs to one), and the points. Writes nothing.',
    pathParameters: phonePath,
    query: earnPreviewQuery,
    responses: {
      200: {
        description: 'The points the purchase would earn',
        body: z.object({
          earning: z.object({
            purchaseCents: z.int(),
            basePoints: z.int(),
            points: z.int(),
            rule: z.object({ name: z.string(), multiplier: z.number() }).optional(),
          }),
        }),
      },
    },
    errors: {
      400: anyOf(invalidPhone, invalidQuery, 'an unknown or closed store'),
      403: 'A member of staff of one store named another',
      404: notMember,
    },
  },
  'GET /v1/members/{phone}/ledger': {
    summary: "A member's ledger",
    description:
      'Every points and stored-value entry, newest first, a page at a time, optionally of one `book`. ' +
      'Pass the `cursor` of a page to get the next one.',
    pathParameters: phonePath,
    query: historyQuery,
    responses: {
      200: {
        description: 'A page of entries',
        body: z.object({ entries: z.array(entrySchema), cursor: z.string().optional() }),
      },
    },
    errors: {
      400: anyOf(invalidPhone, invalidQuery),
      404: neverMember,
    },
  },
};
