import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SegmentCount } from '../domain/segments';
import type { OutboundSms } from '../schemas/sms';
import { isConditionFailure } from './transactions';

/** How long message records are kept for delivery reports and audits. */
const retentionDays = 400;

/**
 * One record per outbound message id (`<merchant>#<message id>`): the send-once guard. A sender
 * claims the message with a lease before calling the provider; a second delivery of the same
 * queue message finds it sent, or leased by a sender still at work, and does nothing. A lease
 * that ran out (its sender crashed mid-send) may be claimed again, so a crash at the provider
 * call can at worst repeat that one text.
 */
export type MessageStatus = 'sending' | 'sent' | 'failed' | 'skipped';

export interface MessagesStore {
  claim(sms: OutboundSms, now: Date, leaseSeconds: number): Promise<boolean>;
  sent(sms: OutboundSms, providerMessageId: string, parts: SegmentCount, now: Date): Promise<void>;
  failed(sms: OutboundSms, reason: string, now: Date): Promise<void>;
  skipped(sms: OutboundSms, reason: string, now: Date): Promise<void>;
}

export function messagesStore(db: DynamoDBDocumentClient, tableName: string): MessagesStore {
  const key = (sms: OutboundSms) => ({ pk: `${sms.merchantId}#${sms.messageId}` });
  const finish = async (
    sms: OutboundSms,
    status: MessageStatus,
    now: Date,
    fields: Record<string, unknown>,
  ) => {
    const entries = Object.entries({ status, updatedAt: now.toISOString(), ...fields });
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(sms),
        // Placeholders for every name: "status" and "segments" are DynamoDB reserved words.
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')} REMOVE leaseUntil`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
      }),
    );
  };

  return {
    async claim(sms, now, leaseSeconds) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(sms),
              ...sms,
              status: 'sending',
              leaseUntil: now.getTime() + leaseSeconds * 1000,
              updatedAt: now.toISOString(),
              expiresAt: Math.floor(now.getTime() / 1000) + retentionDays * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR leaseUntil < :now',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':failed': 'failed', ':now': now.getTime() },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    sent: (sms, providerMessageId, parts, now) =>
      finish(sms, 'sent', now, { providerMessageId, encoding: parts.encoding, segments: parts.segments }),
    failed: (sms, reason, now) => finish(sms, 'failed', now, { reason }),
    skipped: (sms, reason, now) => finish(sms, 'skipped', now, { reason }),
  };
}
