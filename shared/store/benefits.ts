import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../events/catalog';
import type { CouponUse, RandomBytes } from '../domain/coupons';
import {
  type Benefit,
  type BenefitInput,
  benefitInputSchema,
  benefitSchema,
  type Claim,
  type Coupon,
  claimSchema,
  couponSchema,
} from '../schemas/benefit';
import {
  type ClaimOutcome,
  type ClaimRequest,
  catalogKey,
  claimKey,
  claimWriter,
  couponKey,
} from './benefit-claims';
import { eventPuts } from './outbox';
import { cancellationCodes, retryConflicts } from './transactions';

export type { ClaimOutcome, ClaimRequest } from './benefit-claims';

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
/** Optional catalog fields: a replace that leaves one out removes it. `stock` is handled apart. */
const optionalFields = ['description', 'valueByTier', 'validDays', 'birthdayOnly', 'pricePoints'] as const;

export interface RedeemRequest {
  merchantId: string;
  couponCode: string;
  use: CouponUse;
  /** The inbound message or request naming this redemption: the same one again is a retry. */
  idempotencyKey: string;
  /** The events the redemption tells of, for the coupon as used: committed with it in the outbox. */
  events?: (coupon: Coupon & { usedAt: string }) => DomainEvent[];
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
  put(merchantId: string, benefit: BenefitInput, events?: BenefitEvents): Promise<Benefit>;
  get(merchantId: string, code: string): Promise<Benefit | undefined>;
  /** The merchant's whole catalog, by code. */
  list(merchantId: string): Promise<Benefit[]>;
  /** Stops new claims, answering the benefit as it is now; undefined when there is no such benefit. */
  deactivate(merchantId: string, code: string, events?: BenefitEvents): Promise<Benefit | undefined>;
  /** A free claim; a benefit priced in points is claimed by an exchange (exchanges.ts) instead. */
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /** The member's claims, newest first. */
  claims(merchantId: string, memberId: string): Promise<Claim[]>;
  /** The merchant's coupon with this code, as stored now. */
  coupon(merchantId: string, couponCode: string): Promise<Coupon | undefined>;
  /** Uses the coupon, once: of two requests at the same moment one redeems it and the other is told it is used. */
  redeem(request: RedeemRequest): Promise<RedeemOutcome>;
}

/**
 * The events a change of the catalog tells of, for the benefit as written (its stock as given, or as
 * read just before when kept): committed with the change in the outbox.
 */
export type BenefitEvents = (benefit: { code: string; active: boolean; stock?: number }) => DomainEvent[];

/** Cashiers redeeming one code at once conflict on its item; the losers go again and find it used. */
const redeemAttempts = 8;

export function benefitsStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  /** `outbox`: the Outbox table, where the events given with a write are committed with it. */
  { random, outbox }: { random?: RandomBytes; outbox?: string } = {},
): BenefitsStore {
  const claims = claimWriter(db, tableName, random, outbox);
  const get = claims.getBenefit;

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
  const writeRedemption = (
    coupon: Coupon,
    use: CouponUse,
    idempotencyKey: string,
    events: RedeemRequest['events'],
  ) =>
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
          ...eventPuts(outbox, events?.({ ...coupon, ...use }), new Date(use.usedAt)),
        ],
      }),
    );

  /** A change of a catalog item with its events, in one transaction; false when its condition failed. */
  const changeWithEvents = async (update: Record<string, unknown>, events: DomainEvent[]) => {
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [{ Update: update as never }, ...eventPuts(outbox, events, new Date())],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  };

  return {
    async put(merchantId, input, events) {
      const { stock, ...benefit } = benefitInputSchema.parse(input);
      const set = Object.entries(benefit).filter(([, value]) => value !== undefined);
      if (typeof stock === 'number') set.push(['stock', stock]);
      const remove: string[] = optionalFields.filter((field) => benefit[field] === undefined);
      if (stock === null) remove.push('stock');
      // An update, not a put: claims may be decrementing the stock meanwhile, and a put of a
      // stock read earlier would give those units back.
      const update = {
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
      };
      const kept = events && stock === undefined ? (await get(merchantId, benefit.code))?.stock : undefined;
      const written = { code: benefit.code, active: benefit.active, stock: stock ?? kept };
      await changeWithEvents(update, events?.(written) ?? []);
      return (await get(merchantId, benefit.code)) as Benefit;
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

    async deactivate(merchantId, code, events) {
      const update = {
        TableName: tableName,
        Key: catalogKey(merchantId, code),
        UpdateExpression: 'SET active = :false',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':false': false },
      };
      if (!(await changeWithEvents(update, events?.({ code, active: false }) ?? []))) return undefined;
      return get(merchantId, code);
    },

    claim: claims.claimFree,

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

    async redeem({ merchantId, couponCode, use, idempotencyKey, events }) {
      const coupon = await getCoupon(merchantId, couponCode);
      if (!coupon) return { status: 'unknown' };
      try {
        await retryConflicts(() => writeRedemption(coupon, use, idempotencyKey, events), redeemAttempts);
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
