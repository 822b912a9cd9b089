import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { failedRedemptionWindowMinutes, redemptionWindow } from '../domain/coupons';

/**
 * Failed coupon redemptions by text, per staff phone and window, in the SendLimits table:
 * `<merchant>#REDEEMFAILS#<phone>#<window>` holds the set of inbound message ids that failed, so a
 * text delivered twice counts once; it expires with its window.
 */
export interface RedemptionFailures {
  /** Failed attempts from the phone in the window `at` falls in. */
  count(merchantId: string, phone: string, at: Date): Promise<number>;
  record(merchantId: string, phone: string, inboundMessageId: string, at: Date): Promise<void>;
}

const key = (merchantId: string, phone: string, at: Date) => ({
  pk: `${merchantId}#REDEEMFAILS#${phone}#${redemptionWindow(at)}`,
});

export function redemptionFailures(db: DynamoDBDocumentClient, tableName: string): RedemptionFailures {
  return {
    async count(merchantId, phone, at) {
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: key(merchantId, phone, at), ConsistentRead: true }),
      );
      return (Item?.texts as Set<string> | undefined)?.size ?? 0;
    },
    async record(merchantId, phone, inboundMessageId, at) {
      const windowEnds = (redemptionWindow(at) + 1) * failedRedemptionWindowMinutes * 60;
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(merchantId, phone, at),
          UpdateExpression: 'ADD texts :text SET expiresAt = :expiresAt',
          ExpressionAttributeValues: { ':text': new Set([inboundMessageId]), ':expiresAt': windowEnds + 60 },
        }),
      );
    },
  };
}
