import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ReferralStatus, Reward } from '../domain/referrals';
import { type Referral, referralSchema } from '../schemas/referral';
import { cancellationCodes, isConditionFailure, retryConflicts } from './transactions';

/**
 * Referrals and join-gift marks, in the Members table:
 * - `<merchant>#REFERRALS` / `<new member id>`: one referral per new member; member ids are ULIDs, so
 *   the partition reads newest first by join time.
 * - `<merchant>#REFERRER#<member id>` / `MONTH#<YYYY-MM>`: how many of the referrer's referrals were
 *   rewarded that month (merchant time zone), counted in the settling transaction against the cap.
 * - `<merchant>#<phone proof>` / `JOIN-GIFT`: the phone was given its join gift (beside the erasure
 *   mark), kept through leaving and erasure, so the gift is given once per phone ever. It names no one.
 */
const referralKey = (merchantId: string, newMemberId: string) => ({
  pk: `${merchantId}#REFERRALS`,
  sk: newMemberId,
});
const capKey = (merchantId: string, referrerMemberId: string, month: string) => ({
  pk: `${merchantId}#REFERRER#${referrerMemberId}`,
  sk: `MONTH#${month}`,
});
export const joinGiftMarkKey = (merchantId: string, proof: string) => ({
  pk: `${merchantId}#${proof}`,
  sk: 'JOIN-GIFT',
});

export interface ReferralsPage {
  referrals: Referral[];
  cursor?: string;
}

/** What settling gives: the status and each party's reward. */
export interface Settlement {
  status: Exclude<ReferralStatus, 'pending'>;
  referrer?: Reward;
  newMember?: Reward;
}

export type SettleOutcome =
  | { status: 'settled'; referral: Referral }
  /** Settled before (a redelivery): as it was settled then. */
  | { status: 'already-settled'; referral: Referral }
  /** The referrer's month is full: settle again without the referrer's reward. */
  | { status: 'over-cap' }
  | { status: 'no-referral' };

export interface ReferralsStore {
  /**
   * Marks the phone (by its proof) as given its join gift by this member. `marked` also when the mark
   * is this member's own (a retry): the grant, under its named key, is then done again at most once.
   */
  markJoinGift(
    merchantId: string,
    proof: string,
    memberId: string,
    at: Date,
  ): Promise<'marked' | 'given-before'>;
  /** Records the referral unless the new member has one. */
  record(referral: Referral): Promise<'recorded' | 'exists'>;
  get(merchantId: string, newMemberId: string): Promise<Referral | undefined>;
  /**
   * Settles a pending referral; with `cap`, the referrer's reward counts toward the month's cap in the
   * same transaction and the settlement is refused (`over-cap`) when the month is full.
   */
  settle(
    merchantId: string,
    newMemberId: string,
    settlement: Settlement,
    at: Date,
    cap?: { referrerMemberId: string; month: string; limit: number },
  ): Promise<SettleOutcome>;
  /** Newest first, a page at a time; the cursor is the last member id of the page. */
  list(merchantId: string, options: { limit: number; cursor?: string }): Promise<ReferralsPage>;
}

const parse = (item: Record<string, unknown>): Referral => referralSchema.parse(item);

export function referralsStore(db: DynamoDBDocumentClient, tableName: string): ReferralsStore {
  const get = async (merchantId: string, newMemberId: string) => {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: referralKey(merchantId, newMemberId),
        ConsistentRead: true,
      }),
    );
    return Item ? parse(Item) : undefined;
  };

  return {
    async markJoinGift(merchantId, proof, memberId, at) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...joinGiftMarkKey(merchantId, proof), memberId, givenAt: at.toISOString() },
            ConditionExpression: 'attribute_not_exists(pk) OR memberId = :memberId',
            ExpressionAttributeValues: { ':memberId': memberId },
          }),
        );
        return 'marked';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return 'given-before';
      }
    },

    async record(referral) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...referralKey(referral.merchantId, referral.newMemberId), ...referral },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'recorded';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return 'exists';
      }
    },

    get,

    async settle(merchantId, newMemberId, settlement, at, cap) {
      const names: Record<string, string> = { '#status': 'status' };
      const values: Record<string, unknown> = {
        ':pending': 'pending',
        ':status': settlement.status,
        ':at': at.toISOString(),
      };
      const set = ['#status = :status', 'settledAt = :at'];
      if (settlement.referrer) {
        set.push('referrerReward = :referrer');
        values[':referrer'] = settlement.referrer;
      }
      if (settlement.newMember) {
        set.push('newMemberReward = :newMember');
        values[':newMember'] = settlement.newMember;
      }
      const update = {
        TableName: tableName,
        Key: referralKey(merchantId, newMemberId),
        UpdateExpression: `SET ${set.join(', ')}`,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
      const settledBefore = async (): Promise<SettleOutcome> => {
        const referral = await get(merchantId, newMemberId);
        return referral ? { status: 'already-settled', referral } : { status: 'no-referral' };
      };
      try {
        if (cap) {
          await retryConflicts(() =>
            db.send(
              new TransactWriteCommand({
                TransactItems: [
                  { Update: update },
                  {
                    Update: {
                      TableName: tableName,
                      Key: capKey(merchantId, cap.referrerMemberId, cap.month),
                      UpdateExpression: 'ADD rewarded :one',
                      ConditionExpression: 'attribute_not_exists(rewarded) OR rewarded < :limit',
                      ExpressionAttributeValues: { ':one': 1, ':limit': cap.limit },
                    },
                  },
                ],
              }),
            ),
          );
        } else {
          await db.send(new UpdateCommand(update));
        }
      } catch (error) {
        if (isConditionFailure(error)) return settledBefore();
        const codes = cancellationCodes(error);
        if (codes?.[0] === 'ConditionalCheckFailed') return settledBefore();
        if (codes?.[1] === 'ConditionalCheckFailed') return { status: 'over-cap' };
        throw error;
      }
      const referral = await get(merchantId, newMemberId);
      if (!referral) return { status: 'no-referral' };
      return { status: 'settled', referral };
    },

    async list(merchantId, { limit, cursor }) {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': referralKey(merchantId, '').pk },
          ScanIndexForward: false,
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: referralKey(merchantId, cursor) } : {}),
        }),
      );
      const referrals = (page.Items ?? []).map(parse);
      const last = page.LastEvaluatedKey?.sk as string | undefined;
      return { referrals, ...(last ? { cursor: last } : {}) };
    },
  };
}
