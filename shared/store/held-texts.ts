import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HeldText } from '../domain/held-texts';
import { localPhoneProofKey, phoneProof } from '../domain/phone-proof';
import { type OutboundSms, outboundSmsSchema } from '../schemas/sms';
import type { StatsCounter } from './campaign-stats';
import { changeCounted } from './messages';

/** A held (or released, not yet sent again) text: the text as queued, and where it stands. */
export interface HeldRecord extends HeldText {
  sms: OutboundSms;
  reason: string;
}

/**
 * The texts send-sms held over a carrier cap, on their message records (shared/store/messages.ts).
 * A held record is in the Messages table's sparse byHeld index (`heldPk` the merchant, `heldOn` the
 * day held) until the sender claims it again (the claim writes the record anew, without them) or it
 * expires. Release and expiry change a `held` record only, so a second job run changes nothing, and
 * count in the text's campaign's stats (`released`, `expired.<code>`) in the same transaction.
 */
export interface HeldTextsStore {
  /** The merchant's held and released texts held before `day` (YYYY-MM-DD), oldest first. */
  heldBefore(merchantId: string, day: string): AsyncIterable<HeldRecord>;
  /** `held` → `released`; false when it was no longer held. */
  release(sms: OutboundSms, now: Date): Promise<boolean>;
  /**
   * `held` → `expired`, out of the index, keeping its reason and, as every text not sent, neither its
   * words nor the phone (its proof stands in `to`); false when it was no longer held.
   */
  expire(sms: OutboundSms, reason: string, daysHeld: number, now: Date): Promise<boolean>;
}

export function heldTextsStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  campaignsTableName: string,
  /** The key of phones' proofs (shared/domain/phone-proof.ts). */
  phoneProofKey: string = localPhoneProofKey,
): HeldTextsStore {
  const change = async (
    sms: OutboundSms,
    expression: string,
    values: Record<string, unknown>,
    counts: Partial<Record<StatsCounter, number>>,
    names: Record<string, string> = {},
  ): Promise<boolean> => {
    const update = {
      TableName: tableName,
      Key: { pk: `${sms.merchantId}#${sms.messageId}` },
      UpdateExpression: expression,
      ConditionExpression: '#status = :held',
      ExpressionAttributeNames: { ...names, '#status': 'status' },
      ExpressionAttributeValues: { ...values, ':held': 'held' },
    };
    return changeCounted(db, update, campaignsTableName, sms, counts);
  };

  return {
    async *heldBefore(merchantId, day) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'byHeld',
            KeyConditionExpression: 'heldPk = :merchant AND heldOn < :day',
            ExpressionAttributeValues: { ':merchant': merchantId, ':day': day },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const sms = outboundSmsSchema.safeParse(item);
          // A record the index shows is one send-sms wrote from a parsed queue message.
          if (!sms.success) continue;
          const { notBefore: _, ...queued } = sms.data;
          yield {
            sms: queued,
            status: item.status === 'released' ? 'released' : 'held',
            heldOn: item.heldOn as string,
            reason: item.reason as string,
            ...(sms.data.heldSince ? { heldSince: sms.data.heldSince } : {}),
            ...(item.releasedAt ? { releasedAt: item.releasedAt as string } : {}),
          };
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    },
    release: (sms, now) =>
      change(
        sms,
        'SET #status = :released, releasedAt = :now, updatedAt = :now',
        { ':released': 'released', ':now': now.toISOString() },
        { released: 1 },
      ),
    expire: (sms, reason, daysHeld, now) =>
      change(
        sms,
        'SET #status = :expired, expiredAt = :now, updatedAt = :now, daysHeld = :days, #to = :proof ' +
          'REMOVE heldPk, heldOn, body, #text',
        {
          ':expired': 'expired',
          ':now': now.toISOString(),
          ':days': daysHeld,
          ':proof': phoneProof(phoneProofKey, sms.to),
        },
        { [`expired.${reason.split(':', 1)[0]}`]: 1 },
        { '#to': 'to', '#text': 'text' },
      ),
  };
}
