import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import { earnFingerprint } from '../domain/ledger';
import { memberKey } from './members';

/**
 * Entries live under `<merchant>#<member id>` with time-ordered ids (`ENTRY#<ulid>`), newest
 * last. Every write also puts `<merchant>#KEY#<idempotency key>`, scoped to the merchant, in the
 * same transaction: a retry finds the key and changes nothing.
 */
export interface EarnInput {
  merchantId: string;
  memberId: string;
  phone: string;
  points: number;
  reason?: string;
  idempotencyKey: string;
  at: Date;
}

export type EarnOutcome =
  | { status: 'applied'; entryId: string }
  | { status: 'replayed'; entryId: string }
  /** The key was used before for a different operation. */
  | { status: 'conflict' }
  | { status: 'no-member' };

export interface LedgerStore {
  earn(input: EarnInput): Promise<EarnOutcome>;
}

export function ledgerStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  membersTable: string,
): LedgerStore {
  return {
    async earn(input) {
      const fingerprint = earnFingerprint(input);
      const keyItem = { pk: `${input.merchantId}#KEY#${input.idempotencyKey}`, sk: 'KEY' };
      const entryId = ulid(input.at.getTime());
      const at = input.at.toISOString();
      const write = () =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...keyItem, memberId: input.memberId, fingerprint, entryId, at },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    pk: `${input.merchantId}#${input.memberId}`,
                    sk: `ENTRY#${entryId}`,
                    book: 'points',
                    type: 'earn',
                    points: input.points,
                    reason: input.reason,
                    idempotencyKey: input.idempotencyKey,
                    at,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: membersTable,
                  Key: memberKey(input.merchantId, input.phone),
                  UpdateExpression: 'ADD points :points',
                  ConditionExpression: 'attribute_exists(pk) AND memberId = :memberId',
                  ExpressionAttributeValues: { ':points': input.points, ':memberId': input.memberId },
                },
              },
            ],
          }),
        );
      try {
        await retryConflicts(write);
        return { status: 'applied', entryId };
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const { Item } = await db.send(
            new GetCommand({ TableName: tableName, Key: keyItem, ConsistentRead: true }),
          );
          if (Item?.fingerprint !== fingerprint) return { status: 'conflict' };
          return { status: 'replayed', entryId: Item.entryId as string };
        }
        if (reasons[2]?.Code === 'ConditionalCheckFailed') return { status: 'no-member' };
        throw error;
      }
    },
  };
}

/** Two writes to one member at once cancel each other's transaction; both may simply go again. */
async function retryConflicts<T>(write: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
      if (!conflict || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
    }
  }
}
