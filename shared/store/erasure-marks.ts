import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localPhoneProofKey, phoneProof } from '../domain/phone-proof';
import { isConditionFailure } from './transactions';

/**
 * The mark an erasure leaves before it erases anything: in the Members table under
 * `<merchant>#<phone proof>` (beside the `ERASED` record), `ERASURE-MARK` holds when the phone was
 * last erased. The sender reads it for every text, of every category, so a text queued before the
 * erasure is not sent after it (shared/domain/erasure.ts). It names no one: only the proof.
 */
export const erasureMarkKey = (merchantId: string, proof: string) => ({
  pk: `${merchantId}#${proof}`,
  sk: 'ERASURE-MARK',
});

/** Marks the phone erased at `at`; a later mark stands over an earlier one, whatever order they land in. */
export async function markErasure(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  proof: string,
  at: Date,
): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: erasureMarkKey(merchantId, proof),
        UpdateExpression: 'SET erasedAt = :at',
        ConditionExpression: 'attribute_not_exists(erasedAt) OR erasedAt < :at',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export interface ErasureMarks {
  /** When the phone was last erased at the merchant, read strongly consistent; undefined if never. */
  erasedAt(merchantId: string, phone: string): Promise<string | undefined>;
}

export function erasureMarks(
  db: DynamoDBDocumentClient,
  tableName: string,
  phoneProofKey: string = localPhoneProofKey,
): ErasureMarks {
  return {
    async erasedAt(merchantId, phone) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: tableName,
          Key: erasureMarkKey(merchantId, phoneProof(phoneProofKey, phone)),
          ConsistentRead: true,
        }),
      );
      return Item?.erasedAt as string | undefined;
    },
  };
}
