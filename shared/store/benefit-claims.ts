import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import type { DomainEvent } from '../../events/catalog';
import { newCouponCode, type RandomBytes } from '../domain/coupons';
import {
  type Benefit,
  benefitSchema,
  type Claim,
  type ClaimPeriod,
  type Coupon,
  claimSchema,
  couponSchema,
} from '../schemas/benefit';
import type { TransactItems } from './ledger/posting';
import { eventPuts } from './outbox';
import { cancellationCodes, retryConflicts } from './transactions';

/**
 * The keys of the Benefits table (see benefits.ts) and the writing of a claim: the claim, its coupon
 * and the catalog's stock, three items of one transaction. A free claim is just those three; an
 * exchange (积分兑换, exchanges.ts) puts the points redemption before them in the same transaction.
 */
export const catalogKey = (merchantId: string, code: string) => ({ pk: `${merchantId}#BENEFITS`, sk: code });
export const claimKey = (claim: Pick<Claim, 'merchantId' | 'memberId' | 'code' | 'period'>) => ({
  pk: `${claim.merchantId}#${claim.memberId}`,
  sk: `CLAIM#${claim.code}#${claim.period}`,
});
export const couponKey = (merchantId: string, couponCode: string) => ({
  pk: `${merchantId}#COUPON#${couponCode}`,
  sk: 'COUPON',
});

export interface ClaimRequest {
  merchantId: string;
  memberId: string;
  /** The member's phone, kept on the coupon: who to tell when it is redeemed. */
  phone: string;
  /** The catalog entry as read; the write checks the item's current state, not this copy. */
  benefit: Benefit;
  period: ClaimPeriod;
  claimedAt: string;
  validUntil?: string;
  value?: string;
  /** The inbound message or request id: the same one again is a retry, answered as before. */
  idempotencyKey: string;
  /** The events the claim tells of, for the claim as granted: committed with it in the outbox. */
  events?: (claim: Claim) => DomainEvent[];
}

export type ClaimOutcome =
  | { status: 'granted'; claim: Claim }
  /** The same request was granted before; this is its claim, and no stock was used again. */
  | { status: 'replayed'; claim: Claim }
  /** The member already claimed it in this period, by another request. */
  | { status: 'already-claimed'; claim: Claim }
  | { status: 'out-of-stock' }
  /** Deactivated between the caller's read and the claim. */
  | { status: 'inactive' }
  | { status: 'unknown-benefit' }
  /** The merchant changed the benefit's price in points between the caller's read and the claim. */
  | { status: 'price-changed'; benefit: Benefit };

/**
 * Fifty members claiming one benefit at once all write its catalog item; the losers of each
 * round are cancelled with `TransactionConflict` and go again, so allow more rounds than usual.
 */
const claimAttempts = 8;

/** Rounds of a claim whose new coupon code another claim of the merchant already had. */
const codeAttempts = 3;

/** `outboxTable`: where a claim's events are committed, after its three items in its transaction. */
export function claimWriter(
  db: DynamoDBDocumentClient,
  tableName: string,
  random?: RandomBytes,
  outboxTable?: string,
) {
  const getBenefit = async (merchantId: string, code: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: catalogKey(merchantId, code), ConsistentRead: true }),
    );
    return Item ? benefitSchema.parse(Item) : undefined;
  };

  const getClaim = async (key: ReturnType<typeof claimKey>) => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return Item ? claimSchema.parse(Item) : undefined;
  };

  /**
   * The claim, its coupon and the catalog check, as transaction items. A limited benefit decrements
   * its stock; an unlimited one only counts the claim. Each condition requires the item to still be of
   * that kind: decrementing a stock that is gone would be an invalid expression, and not decrementing
   * one that the merchant has since set would hand out a unit it does not have. A priced claim also
   * requires the price it paid to be the price still asked.
   */
  const claimItems = (
    claim: Claim & { couponCode: string },
    phone: string,
    limited: boolean,
    events: ClaimRequest['events'],
  ): TransactItems => {
    const conditions = ['attribute_exists(pk)', 'active = :true'];
    const values: Record<string, unknown> = { ':one': 1, ':true': true };
    if (limited) {
      conditions.push('stock > :zero');
      values[':zero'] = 0;
    } else conditions.push('attribute_not_exists(stock)');
    if (claim.pricePoints === undefined) conditions.push('attribute_not_exists(pricePoints)');
    else {
      conditions.push('pricePoints = :price');
      values[':price'] = claim.pricePoints;
    }
    return [
      {
        Put: {
          TableName: tableName,
          Item: { ...claimKey(claim), ...claim },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: { ...couponKey(claim.merchantId, claim.couponCode), ...couponOf(claim, phone) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: catalogKey(claim.merchantId, claim.code),
          UpdateExpression: limited ? 'SET stock = stock - :one ADD claimed :one' : 'ADD claimed :one',
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeValues: values,
        },
      },
      ...eventPuts(outboxTable, events?.(claim), new Date(claim.claimedAt)),
    ];
  };

  /**
   * Grants a claim: `write` sends one transaction with the claim's three items at `offset` (after
   * whatever the caller puts first), and `explain` reads a cancellation of the caller's own items
   * first (an answer ends the claim; undefined leaves it to the claim's items). Another round only when
   * the merchant added or removed the stock limit meanwhile, or, once in billions of claims, the new
   * coupon code was already one of the merchant's.
   */
  async function grant<Other = never>(
    request: ClaimRequest,
    write: (items: TransactItems, claim: Claim & { couponCode: string }) => Promise<unknown>,
    {
      offset = 0,
      explain,
      pricePoints,
    }: {
      offset?: number;
      explain?: (codes: (string | undefined)[]) => Promise<Other | undefined>;
      /** The price the caller's own items take; none for a free claim, which a priced benefit refuses. */
      pricePoints?: number;
    } = {},
  ): Promise<
    | { status: 'granted'; claim: Claim & { couponCode: string } }
    | Exclude<ClaimOutcome, { status: 'granted' }>
    | Other
  > {
    const { benefit, phone, events, ...fields } = request;
    let claim = {
      ...claimSchema.parse({
        ...fields,
        code: benefit.code,
        claimId: ulid(Date.parse(request.claimedAt)),
        validFrom: request.claimedAt,
        pricePoints,
      }),
      couponCode: newCouponCode(random),
    };
    let limited = benefit.stock !== undefined;
    let stockRounds = 0;
    let codeRounds = 0;
    for (;;) {
      try {
        const current = claim;
        await retryConflicts(
          () => write(claimItems(current, phone, limited, events), current),
          claimAttempts,
        );
        return { status: 'granted', claim };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        const other = explain ? await explain(codes) : undefined;
        if (other !== undefined) return other;
        if (codes[offset] === 'ConditionalCheckFailed') {
          const existing = await getClaim(claimKey(claim));
          if (!existing) throw error;
          const status = existing.idempotencyKey === claim.idempotencyKey ? 'replayed' : 'already-claimed';
          return { status, claim: existing };
        }
        if (codes[offset + 1] === 'ConditionalCheckFailed') {
          if (++codeRounds >= codeAttempts) throw error;
          claim = { ...claim, couponCode: newCouponCode(random) };
          continue;
        }
        if (codes[offset + 2] !== 'ConditionalCheckFailed') throw error;
        const current = await getBenefit(claim.merchantId, claim.code);
        if (!current) return { status: 'unknown-benefit' };
        if (!current.active) return { status: 'inactive' };
        if (current.stock === 0) return { status: 'out-of-stock' };
        if (current.pricePoints !== claim.pricePoints) return { status: 'price-changed', benefit: current };
        if (++stockRounds >= 3) throw error;
        limited = current.stock !== undefined;
      }
    }
  }

  /** A free claim: its three items alone. */
  const claimFree = (request: ClaimRequest) =>
    grant(request, (items) => db.send(new TransactWriteCommand({ TransactItems: items })));

  return { getBenefit, getClaim, grant, claimFree };
}

/** The coupon item of a claim: what a redemption needs without reading the claim. */
function couponOf(claim: Claim & { couponCode: string }, phone: string): Coupon {
  return couponSchema.parse({
    merchantId: claim.merchantId,
    couponCode: claim.couponCode,
    memberId: claim.memberId,
    phone,
    code: claim.code,
    period: claim.period,
    claimId: claim.claimId,
    validUntil: claim.validUntil,
  });
}
