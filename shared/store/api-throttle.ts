import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requestsPerSecondPerKey, throttleWindow } from '../domain/api-keys';
import { isConditionFailure } from './transactions';

/**
 * Per-key request limits of the merchant API. API Gateway HTTP APIs have no usage plans, so every
 * instance of the function counts each key's requests in the SendLimits table, one item per key and
 * second: `<merchant>#REQUESTS#<key id>#<epoch second>`, kept a minute (DynamoDB's TTL removes it
 * later; a past second is never read again).
 */
export interface ApiThrottle {
  /** Requests one key may make in one second. */
  readonly perSecond: number;
  /** Counts the request; false when the key already made its limit in the second `now` falls in. */
  admit(merchantId: string, keyId: string, now: Date): Promise<boolean>;
}

const counterMarker = '#REQUESTS#';

/** Whether a SendLimits item is a key's request counter, which every API request moves. */
export const isRequestCounter = (item: { pk?: unknown }) => String(item.pk).includes(counterMarker);

export function apiThrottle(
  db: DynamoDBDocumentClient,
  tableName: string,
  { perSecond = requestsPerSecondPerKey }: { perSecond?: number } = {},
): ApiThrottle {
  return {
    perSecond,
    async admit(merchantId, keyId, now) {
      const second = throttleWindow(now);
      try {
        // No idempotency key: a request counted twice by an SDK retry only brings its key nearer its
        // limit; it never lets a request more through.
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `${merchantId}${counterMarker}${keyId}#${second}` },
            UpdateExpression: 'ADD #count :one SET expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':limit': perSecond, ':expiresAt': second + 60 },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
