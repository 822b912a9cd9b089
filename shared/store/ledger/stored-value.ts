import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { bonusSpent, type StoredValueParts, topUpRefund } from '../../domain/top-up-bonus';
import { memberKey } from '../members';
import { cancellationCodes, retryConflicts } from '../transactions';
import { type Entry, type MemberRef, type PostInput, type PostOutcome, toEntry } from './entries';
import { keyItem, memberPk } from './keys';
import type { postingWriter, TransactItems } from './posting';

/**
 * Stored value kept in two parts (充值赠送): what the member paid, and the bonus they were given. A
 * spend's split between them and a refund's amounts follow from the parts as read, so each is written
 * conditioned on the parts being unchanged, and computed again (a few rounds) when they moved.
 */

export interface RefundInput extends Omit<PostInput, 'posting' | 'also' | 'partsWere'> {
  /** The idempotency key the top-up was written under. */
  topUpKey: string;
  reason?: string;
  /** The store (门店) it is refunded at. */
  storeId?: string;
}

export type RefundOutcome =
  | PostOutcome
  /** No top-up of the member's under the key. */
  | { status: 'no-top-up' }
  /** The top-up was refunded before, under another key. */
  | { status: 'already-refunded'; refundedBy: string }
  /** Nothing of the top-up is left to take back. */
  | { status: 'nothing-to-refund' };

type Parts = StoredValueParts & { points: number };

/**
 * The member's stored value, its bonus part and points as stored now (strongly consistent); undefined
 * when the member is gone or another member holds the phone now.
 */
export async function storedValueParts(
  db: DynamoDBDocumentClient,
  membersTable: string,
  merchantId: string,
  member: MemberRef,
): Promise<Parts | undefined> {
  const { Item } = await db.send(
    new GetCommand({
      TableName: membersTable,
      Key: memberKey(merchantId, member.phone),
      ConsistentRead: true,
    }),
  );
  if (!Item || Item.memberId !== member.memberId || Item.deletedAt) return undefined;
  return {
    storedValue: (Item.storedValue as number | undefined) ?? 0,
    storedValueBonus: (Item.storedValueBonus as number | undefined) ?? 0,
    points: (Item.points as number | undefined) ?? 0,
  };
}

/** Rounds of a write whose parts another write changed meanwhile. */
const rounds = 8;

type Writer = ReturnType<typeof postingWriter>;

export function storedValueWriter(
  db: DynamoDBDocumentClient,
  tables: { ledger: string; members: string },
  writer: Writer,
) {
  const parts = (input: Pick<PostInput, 'merchantId' | 'member'>) =>
    storedValueParts(db, tables.members, input.merchantId, input.member);

  type Attempt =
    | { done: PostOutcome }
    /** The member's item refused the write: the outcome `explain` gave, and the parts now. */
    | { refused: PostOutcome | undefined; now?: Parts }
    /** The item the caller added (`extra`) refused it. */
    | { extraRefused: true };

  async function attempt(built: PostInput, extra: TransactItems = []): Promise<Attempt> {
    const prepared = writer.prepare(built, extra);
    try {
      await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: prepared.items })), 12);
      return { done: await writer.applied(built, prepared.entryId, prepared.at) };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      const outcome = await writer.explain(built, prepared.fingerprint, codes);
      if (outcome && outcome.status !== 'insufficient') return { done: outcome };
      if (codes[2] === 'ConditionalCheckFailed') return { refused: outcome, now: await parts(built) };
      // The caller's items sit among the posting's (before its events): found by identity.
      if (extra.some((item) => codes[prepared.items.indexOf(item)] === 'ConditionalCheckFailed'))
        return { extraRefused: true };
      throw error;
    }
  }

  return {
    /**
     * A stored-value debit split into paid and bonus by the merchant's order, once per key: refused as
     * insufficient only when the whole balance is too small.
     */
    async spend(input: PostInput): Promise<PostOutcome> {
      const order = input.bonusSpendOrder ?? 'last';
      const debit = -input.posting.delta;
      // First as if the member held no bonus (most do not): the write is conditioned on that, and needs
      // no read. A member with a bonus refuses it, and the rounds after split from the parts as read.
      let now: Parts | undefined;
      for (let round = 0; round < rounds; round += 1) {
        const result = await attempt(
          now
            ? {
                ...input,
                posting: { ...input.posting, bonusDelta: -bonusSpent(debit, now, order) },
                partsWere: { storedValue: now.storedValue, storedValueBonus: now.storedValueBonus },
              }
            : { ...input, posting: { ...input.posting, bonusDelta: 0 } },
        );
        if ('done' in result) return result.done;
        if (!('refused' in result)) throw new Error('a spend has no items of its own to refuse it');
        if (!result.now) return { status: 'no-member' };
        if (result.now.storedValue < debit)
          return { status: 'insufficient', balance: result.now.storedValue };
        now = result.now;
      }
      throw new Error(`the stored value of ${input.member.memberId} kept changing; try again`);
    },

    /**
     * A refund (退款) of one top-up, once per top-up and once per key: the amounts by `topUpRefund`,
     * the points taken back as a points entry in the same transaction, and the top-up's key marked
     * with the refund's, conditioned on it not being marked yet.
     */
    async refund(input: RefundInput): Promise<RefundOutcome> {
      const { merchantId, member, topUpKey, idempotencyKey } = input;
      const base: PostInput = {
        ...input,
        posting: {
          book: 'storedValue',
          type: 'refund',
          delta: 0,
          refundOf: topUpKey,
          ...(input.reason ? { reason: input.reason } : {}),
          ...(input.storeId ? { storeId: input.storeId } : {}),
        },
      };
      for (let round = 0; round < rounds; round += 1) {
        const own = await writer.keyRecord(merchantId, idempotencyKey);
        if (own) {
          const fingerprint = writer.prepare(base).fingerprint;
          return (await writer.explain(base, fingerprint, ['ConditionalCheckFailed'])) as RefundOutcome;
        }
        const [topUp, now] = await Promise.all([
          topUpOf(db, tables.ledger, merchantId, member.memberId, topUpKey),
          parts(input),
        ]);
        if (!now) return { status: 'no-member' };
        if (!topUp) return { status: 'no-top-up' };
        if (topUp.refundedBy) return { status: 'already-refunded', refundedBy: topUp.refundedBy };
        const bonusCents = topUp.entry.bonusDelta ?? 0;
        const amounts = topUpRefund(
          {
            paidCents: topUp.entry.delta - bonusCents,
            bonusCents,
            bonusPoints: topUp.entry.bonusPoints ?? 0,
          },
          now,
        );
        if (amounts.paidRemoved + amounts.bonusRemoved + amounts.pointsRemoved === 0)
          return { status: 'nothing-to-refund' };
        const built: PostInput = {
          ...base,
          posting: {
            ...base.posting,
            delta: -(amounts.paidRemoved + amounts.bonusRemoved),
            bonusDelta: -amounts.bonusRemoved,
            refundCents: amounts.refundCents,
            ...(amounts.pointsRemoved > 0 ? { bonusPoints: amounts.pointsRemoved } : {}),
          },
          ...(amounts.pointsRemoved > 0
            ? {
                also: [
                  {
                    book: 'points' as const,
                    type: 'adjust' as const,
                    delta: -amounts.pointsRemoved,
                    reason: `充值退款收回赠送积分（${topUp.entry.bonusRule ?? topUpKey}）`,
                  },
                ],
              }
            : {}),
          partsWere: { storedValue: now.storedValue, storedValueBonus: now.storedValueBonus },
        };
        const mark: TransactItems = [
          {
            Update: {
              TableName: tables.ledger,
              Key: keyItem(merchantId, topUpKey),
              UpdateExpression: 'SET refundedBy = :refund',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(refundedBy)',
              ExpressionAttributeValues: { ':refund': idempotencyKey },
            },
          },
        ];
        const result = await attempt(built, mark);
        if ('done' in result) return result.done;
        if ('refused' in result && !result.now) return { status: 'no-member' };
        // Refused by the top-up's mark (refunded meanwhile) or by parts that moved: read again.
      }
      throw new Error(`the stored value of ${member.memberId} kept changing; try again`);
    },
  };
}

/** The top-up written under `topUpKey` for the member, as the refund reads it. */
export async function topUpOf(
  db: DynamoDBDocumentClient,
  ledgerTable: string,
  merchantId: string,
  memberId: string,
  topUpKey: string,
): Promise<{ entry: Entry; refundedBy?: string } | undefined> {
  const { Item: key } = await db.send(
    new GetCommand({ TableName: ledgerTable, Key: keyItem(merchantId, topUpKey), ConsistentRead: true }),
  );
  // A count card's refund is booked as a top-up under its own key: it gives back no money of its own.
  if (!key || key.memberId !== memberId || topUpKey.startsWith('count-card:')) return undefined;
  const { Item } = await db.send(
    new GetCommand({
      TableName: ledgerTable,
      Key: { pk: memberPk(merchantId, memberId), sk: `ENTRY#${key.entryId}` },
      ConsistentRead: true,
    }),
  );
  if (Item?.type !== 'top-up') return undefined;
  return { entry: toEntry(Item), ...(key.refundedBy ? { refundedBy: key.refundedBy as string } : {}) };
}
