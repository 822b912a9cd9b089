import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import { type CouponUse, newCouponCode, type RandomBytes } from '../domain/coupons';
import {
  type Benefit,
  type BenefitInput,
  benefitInputSchema,
  benefitSchema,
  type Claim,
  type ClaimPeriod,
  type Coupon,
  claimSchema,
  couponSchema,
} from '../schemas/benefit';
import { cancellationCodes, isConditionFailure, retryConflicts } from './transactions';

/**
 * The catalog is one partition per merchant (`<merchant>#BENEFITS`, sort key = benefit code):
 * a merchant has few benefits, so listing them is one Query. The stock lives on the catalog item,
 * so a claim and its stock decrement are one transaction.
 *
 * Claims live with the member (`<merchant>#<member id>`, `CLAIM#<code>#<period>`). The period in
 * the key is the claim limit: a second claim in the same period (`ever`, `2026`, `2026-05`) finds
 * the item there. Benefit codes hold no `#`, so a catalog item and a claim can never share a key.
 *
 * Each claim's coupon has an item of its own (`<merchant>#COUPON#<coupon code>`, `COUPON`), written
 * in the claim's transaction on condition that the code is new to the merchant, so a code is unique
 * per merchant and found with one read. Redeeming it is one transaction: the coupon (on condition
 * that it is unused and unexpired, which makes it once only however many cashiers race), the claim,
 * and the catalog's `used` counter.
 */
const catalogKey = (merchantId: string, code: string) => ({ pk: `${merchantId}#BENEFITS`, sk: code });
const claimKey = (claim: Pick<Claim, 'merchantId' | 'memberId' | 'code' | 'period'>) => ({
  pk: `${claim.merchantId}#${claim.memberId}`,
  sk: `CLAIM#${claim.code}#${claim.period}`,
});
export const couponKey = (merchantId: string, couponCode: string) => ({
  pk: `${merchantId}#COUPON#${couponCode}`,
  sk: 'COUPON',
});

/** Optional catalog fields: a replace that leaves one out removes it. `stock` is handled apart. */
const optionalFields = ['description', 'valueByTier', 'validDays', 'birthdayOnly'] as const;

/**
 * Fifty members claiming one benefit at once all write its catalog item; the losers of each
 * round are cancelled with `TransactionConflict` and go again, so allow more rounds than usual.
 */
const claimAttempts = 8;

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
  | { status: 'unknown-benefit' };

export interface RedeemRequest {
  merchantId: string;
  couponCode: string;
  use: CouponUse;
  /** The inbound message or request naming this redemption: the same one again is a retry. */
  idempotencyKey: string;
}

export type RedeemOutcome =
  | { status: 'redeemed'; coupon: Coupon }
  /** This request redeemed it before; nothing more was done. */
  | { status: 'replayed'; coupon: Coupon }
  /** Redeemed before, by another request: the coupon says when, by whom and how. */
  | { status: 'used'; coupon: Coupon }
  | { status: 'expired'; coupon: Coupon }
  /** Not a code of this merchant's. */
  | { status: 'unknown' };

export interface BenefitsStore {
  /** Creates or replaces a catalog entry; returns it as stored, with the current stock. */
  put(merchantId: string, benefit: BenefitInput): Promise<Benefit>;
  get(merchantId: string, code: string): Promise<Benefit | undefined>;
  /** The merchant's whole catalog, by code. */
  list(merchantId: string): Promise<Benefit[]>;
  /** Stops new claims, answering the benefit as it is now; undefined when there is no such benefit. */
  deactivate(merchantId: string, code: string): Promise<Benefit | undefined>;
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /** The member's claims, newest first. */
  claims(merchantId: string, memberId: string): Promise<Claim[]>;
  /** The merchant's coupon with this code, as stored now. */
  coupon(merchantId: string, couponCode: string): Promise<Coupon | undefined>;
  /** Uses the coupon, once: of two requests at the same moment one redeems it and the other is told it is used. */
  redeem(request: RedeemRequest): Promise<RedeemOutcome>;
}

/** Rounds of a claim whose new coupon code another claim of the merchant already had. */
const codeAttempts = 3;

/** Cashiers redeeming one code at once conflict on its item; the losers go again and find it used. */
const redeemAttempts = 8;

export function benefitsStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  { random }: { random?: RandomBytes } = {},
): BenefitsStore {
  const get = async (merchantId: string, code: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: catalogKey(merchantId, code), ConsistentRead: true }),
    );
    return Item ? benefitSchema.parse(Item) : undefined;
  };

  const getClaim = async (key: ReturnType<typeof claimKey>) => {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return Item ? claimSchema.parse(Item) : undefined;
  };

  const getCoupon = async (merchantId: string, couponCode: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: couponKey(merchantId, couponCode), ConsistentRead: true }),
    );
    return Item ? couponSchema.parse(Item) : undefined;
  };

  /**
   * The coupon used, on condition that it is unused and unexpired at `use.usedAt`, with its claim and
   * the catalog's count of used claims, in one transaction. ISO instants of one format compare as
   * strings, so the expiry is checked by the write itself, not by a read before it.
   */
  const writeRedemption = (coupon: Coupon, use: CouponUse, idempotencyKey: string) =>
    db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: couponKey(coupon.merchantId, coupon.couponCode),
              UpdateExpression:
                'SET usedAt = :usedAt, usedBy = :usedBy, usedChannel = :usedChannel, redeemKey = :key',
              ConditionExpression:
                'attribute_exists(pk) AND attribute_not_exists(usedAt) AND ' +
                '(attribute_not_exists(validUntil) OR validUntil > :usedAt)',
              ExpressionAttributeValues: {
                ':usedAt': use.usedAt,
                ':usedBy': use.usedBy,
                ':usedChannel': use.usedChannel,
                ':key': idempotencyKey,
              },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: claimKey(coupon),
              UpdateExpression: 'SET usedAt = :usedAt, usedBy = :usedBy, usedChannel = :usedChannel',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: {
                ':usedAt': use.usedAt,
                ':usedBy': use.usedBy,
                ':usedChannel': use.usedChannel,
              },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: catalogKey(coupon.merchantId, coupon.code),
              UpdateExpression: 'ADD used :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );

  /**
   * The claim and the catalog check in one transaction. A limited benefit decrements its stock;
   * an unlimited one only counts the claim. Each condition requires the item to still be of that
   * kind: decrementing a stock that is gone would be an invalid expression, and not decrementing
   * one that the merchant has since set would hand out a unit it does not have.
   */
  const writeClaim = (claim: Claim & { couponCode: string }, phone: string, limited: boolean) =>
    db.send(
      new TransactWriteCommand({
        TransactItems: [
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
              ConditionExpression: limited
                ? 'attribute_exists(pk) AND active = :true AND stock > :zero'
                : 'attribute_exists(pk) AND active = :true AND attribute_not_exists(stock)',
              ExpressionAttributeValues: limited
                ? { ':one': 1, ':true': true, ':zero': 0 }
                : { ':one': 1, ':true': true },
            },
          },
        ],
      }),
    );

  return {
    async put(merchantId, input) {
      const { stock, ...benefit } = benefitInputSchema.parse(input);
      const set = Object.entries(benefit).filter(([, value]) => value !== undefined);
      if (typeof stock === 'number') set.push(['stock', stock]);
      const remove: string[] = optionalFields.filter((field) => benefit[field] === undefined);
      if (stock === null) remove.push('stock');
      // An update, not a put: claims may be decrementing the stock meanwhile, and a put of a
      // stock read earlier would give those units back.
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: catalogKey(merchantId, benefit.code),
          // Placeholders for every name: "name" and "limit" are DynamoDB reserved words.
          UpdateExpression: [
            `SET ${set.map(([field]) => `#${field} = :${field}`).join(', ')}`,
            remove.length > 0 ? `REMOVE ${remove.map((field) => `#${field}`).join(', ')}` : '',
          ].join(' '),
          ExpressionAttributeNames: Object.fromEntries(
            [...set.map(([field]) => field), ...remove].map((field) => [`#${field}`, field]),
          ),
          ExpressionAttributeValues: Object.fromEntries(set.map(([field, value]) => [`:${field}`, value])),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return benefitSchema.parse(Attributes);
    },

    get,

    async list(merchantId) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': catalogKey(merchantId, '').pk },
        }),
      );
      return Items.map((item) => benefitSchema.parse(item));
    },

    async deactivate(merchantId, code) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: catalogKey(merchantId, code),
            UpdateExpression: 'SET active = :false',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':false': false },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return benefitSchema.parse(Attributes);
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async claim(request) {
      const { benefit, phone, ...fields } = request;
      let claim = {
        ...claimSchema.parse({
          ...fields,
          code: benefit.code,
          claimId: ulid(Date.parse(request.claimedAt)),
          validFrom: request.claimedAt,
        }),
        couponCode: newCouponCode(random),
      };
      let limited = benefit.stock !== undefined;
      let stockRounds = 0;
      let codeRounds = 0;
      // Another round only when the merchant added or removed the stock limit meanwhile, or, once in
      // billions of claims, the new coupon code was already one of the merchant's.
      for (;;) {
        try {
          await retryConflicts(() => writeClaim(claim, phone, limited), claimAttempts);
          return { status: 'granted', claim };
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes) throw error;
          if (codes[0] === 'ConditionalCheckFailed') {
            const existing = await getClaim(claimKey(claim));
            if (!existing) throw error;
            const status = existing.idempotencyKey === claim.idempotencyKey ? 'replayed' : 'already-claimed';
            return { status, claim: existing };
          }
          if (codes[1] === 'ConditionalCheckFailed') {
            if (++codeRounds >= codeAttempts) throw error;
            claim = { ...claim, couponCode: newCouponCode(random) };
            continue;
          }
          if (codes[2] !== 'ConditionalCheckFailed') throw error;
          const current = await get(claim.merchantId, claim.code);
          if (!current) return { status: 'unknown-benefit' };
          if (!current.active) return { status: 'inactive' };
          if (current.stock === 0) return { status: 'out-of-stock' };
          if (++stockRounds >= 3) throw error;
          limited = current.stock !== undefined;
        }
      }
    },

    async claims(merchantId, memberId) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :claims)',
          ExpressionAttributeValues: { ':pk': `${merchantId}#${memberId}`, ':claims': 'CLAIM#' },
        }),
      );
      // Claim ids are ULIDs of the claim time: ordering by them puts the newest first.
      return Items.map((item) => claimSchema.parse(item)).sort((a, b) => b.claimId.localeCompare(a.claimId));
    },

    coupon: getCoupon,

    async redeem({ merchantId, couponCode, use, idempotencyKey }) {
      const coupon = await getCoupon(merchantId, couponCode);
      if (!coupon) return { status: 'unknown' };
      try {
        await retryConflicts(() => writeRedemption(coupon, use, idempotencyKey), redeemAttempts);
        return { status: 'redeemed', coupon: { ...coupon, ...use, redeemKey: idempotencyKey } };
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes?.[0] !== 'ConditionalCheckFailed') throw error;
        const now = await getCoupon(merchantId, couponCode);
        if (!now) throw error;
        if (now.usedAt === undefined) return { status: 'expired', coupon: now };
        return { status: now.redeemKey === idempotencyKey ? 'replayed' : 'used', coupon: now };
      }
    },
  };
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
