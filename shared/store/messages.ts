import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { localPhoneProofKey, phoneProof } from '../domain/phone-proof';
import type { SegmentCount } from '../domain/segments';
import type { OutboundSms } from '../schemas/sms';
import { type StatsCounter, sentMinuteIncrement, statsIncrement } from './campaign-stats';
import { dailyStatsIncrement } from './daily-stats';
import { queryAll } from './paging';
import { cancellationCodes, isConditionFailure, retryConflicts } from './transactions';

/** How long message records are kept for delivery reports and audits. */
const retentionDays = 400;

/**
 * One record per outbound message id (`<merchant>#<message id>`): the send-once guard and the
 * text's outcome. A sender claims the message with a lease before it applies the send-time rules;
 * a second delivery of the same queue message finds it settled, or leased by a sender still at
 * work. A lease that ran out (its sender crashed mid-send) may be claimed again, so a crash at the
 * provider call can at worst repeat that one text.
 *
 * Statuses: `sending` (claimed), then `sent`; `suppressed` (invalid number, no consent, frequency
 * cap) and `refused` (unregistered template, too long) are never sent; `held` keeps the whole text
 * over a carrier cap, then is `released` to be sent again on a later day or `expired` with its reason
 * (shared/store/held-texts.ts); `deferred` waits on the queue for a later time; `retrying` waits for SQS to
 * deliver it again after a failure; `failed` gave up (the provider refused it for good, or the last
 * attempt failed and the queue moves it to its DLQ). `deferred`, `retrying`, `failed` and `released` may be
 * claimed again: by the text's next delivery, or by a replay from the DLQ.
 *
 * A text that is not sent has no use for the phone: a record settled in any state but `sent` and
 * `held` keeps, in `to`, the phone's proof (shared/domain/phone-proof.ts, the HMAC an erasure
 * leaves) and no words; its next delivery, if any, brings the phone again with the queued text.
 *
 * Every reason reads `<code>: <detail>` or just `<code>`; a campaign text's outcome is counted in
 * the campaign's stats (`suppressed.<code>`, `held.<code>`, `sent`, `failed`, `segments`) in the
 * same transaction as the status change, which only a `sending` record may make: a retried write
 * never counts twice.
 */
export type MessageStatus =
  | 'sending'
  | 'sent'
  | 'suppressed'
  | 'refused'
  | 'held'
  | 'released'
  | 'expired'
  | 'deferred'
  | 'retrying'
  | 'failed';

/** A claim's outcome: the message is ours, already settled, or leased by another sender right now. */
export type Claim = 'claimed' | 'settled' | 'leased';

export interface SentText {
  providerMessageId: string;
  /** The text as sent, signature and unsubscribe line included, and how it was billed. */
  text: string;
  billing: SegmentCount;
  /** The merchant's calendar day it went on, and what its parts cost (fen), for the daily figures. */
  day: string;
  costFen: number;
}

/** Settling methods answer false when the record was not `sending` (another sender settled it). */
export interface MessagesStore {
  claim(sms: OutboundSms, now: Date, leaseSeconds: number): Promise<Claim>;
  sent(sms: OutboundSms, sent: SentText, now: Date): Promise<boolean>;
  suppressed(sms: OutboundSms, reason: string, now: Date): Promise<boolean>;
  refused(sms: OutboundSms, reason: string, now: Date): Promise<boolean>;
  /**
   * Over a carrier cap: `text` is the whole text as it would have gone, kept for a later send; `day`
   * the merchant's day, which puts the record in the byHeld index until it is sent or expires.
   */
  held(sms: OutboundSms, reason: string, text: string, now: Date, day: string): Promise<boolean>;
  deferred(sms: OutboundSms, reason: string, notBefore: string, now: Date): Promise<boolean>;
  retrying(sms: OutboundSms, reason: string, now: Date): Promise<boolean>;
  failed(sms: OutboundSms, reason: string, now: Date): Promise<boolean>;

  /**
   * The carrier's final word on a sent text, kept as `receipt` beside its `sent` status and
   * counted as `delivered` or `failed` in its campaign's stats, in one transaction. The first
   * final receipt stands: a repeated one, or a later one that contradicts it (a carrier's late
   * correction, whose order against the first the timestamps cannot prove), changes nothing, so
   * each text counts once.
   */
  receipt(merchantId: string, messageId: string, receipt: Receipt): Promise<ReceiptOutcome>;
  /**
   * The phone was erased while its text was being sent or held: the record keeps the phone's proof
   * and no words, as the erasure leaves the texts it finds (`forgottenSent`, `forgottenHeld`).
   */
  forgetRecipient(sms: OutboundSms, kept: 'sent' | 'held'): Promise<void>;
  /**
   * The newest campaign text sent to the phone since `since` (service texts are ignored): the
   * campaign an opt-out or a complaint answers. Reads the `byRecipient` index, so a text sent
   * a moment ago may not be seen yet.
   */
  recentCampaignText(
    merchantId: string,
    phone: string,
    since: Date,
  ): Promise<{ campaignId: string; messageId: string } | undefined>;
}

const reasonCode = (reason: string) => reason.split(':', 1)[0] as string;

/**
 * A sent text's record once its phone is erased: outcome, parts and cost kept (the campaign's stats
 * and the bill stay true), words removed, the recipient its proof.
 */
export const forgottenSent = (tableName: string, pk: string, merchantId: string, proof: string) => ({
  TableName: tableName,
  Key: { pk },
  UpdateExpression: 'REMOVE body, #text SET #to = :proof, recipientPk = :recipient',
  ExpressionAttributeNames: { '#text': 'text', '#to': 'to' },
  ExpressionAttributeValues: { ':proof': proof, ':recipient': `${merchantId}#${proof}` },
});

/**
 * A held text's record once its phone is erased: its words and phone removed, and out of the held
 * index, so neither released nor expired later.
 */
export const forgottenHeld = (tableName: string, pk: string, proof: string) => ({
  TableName: tableName,
  Key: { pk },
  UpdateExpression: 'REMOVE body, #text, heldPk, heldOn SET #to = :proof',
  ExpressionAttributeNames: { '#text': 'text', '#to': 'to' },
  ExpressionAttributeValues: { ':proof': proof },
});

/**
 * A message record's conditional change and, for a campaign's text, its counts in the campaign's
 * stats in the same transaction; false when the record was not in the state the condition names.
 */
export async function changeCounted(
  db: DynamoDBDocumentClient,
  update: UpdateCommandInput & { UpdateExpression: string },
  campaignsTableName: string,
  sms: OutboundSms,
  counts: Partial<Record<StatsCounter, number>>,
  /** For a text sent: when, to count it in its minute too. */
  sentAt?: Date,
): Promise<boolean> {
  const stats =
    sms.campaignId &&
    statsIncrement(campaignsTableName, sms.merchantId, sms.campaignId, sms.messageId, counts);
  try {
    if (stats) {
      const minute =
        sentAt &&
        sms.campaignId &&
        sentMinuteIncrement(campaignsTableName, sms.merchantId, sms.campaignId, sms.messageId, sentAt);
      await retryConflicts(() =>
        db.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: update }, stats, ...(minute ? [minute] : [])],
          }),
        ),
      );
    } else {
      await db.send(new UpdateCommand(update));
    }
    return true;
  } catch (error) {
    if (isConditionFailure(error) || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/** What only the sender, which settles texts, needs of the store. */
export interface SenderOptions {
  /** Where a sent text counts on the merchant's daily figures (texts, parts, cost) once recorded sent. */
  dailyStatsTableName?: string;
  /** The key of phones' proofs, which stand for the phone on the records of texts not sent (as send caps'). */
  phoneProofKey?: string;
}

export function messagesStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  campaignsTableName: string,
  { dailyStatsTableName, phoneProofKey = localPhoneProofKey }: SenderOptions = {},
): MessagesStore {
  const key = (sms: OutboundSms) => ({ pk: `${sms.merchantId}#${sms.messageId}` });
  const settle = async (
    sms: OutboundSms,
    status: MessageStatus,
    now: Date,
    fields: Record<string, unknown>,
    counts: Partial<Record<StatsCounter, number>> = {},
    sentAt?: Date,
  ): Promise<boolean> => {
    const entries = Object.entries({ status, updatedAt: now.toISOString(), ...fields });
    const update = {
      TableName: tableName,
      Key: key(sms),
      // Placeholders for every name: "status", "segments" and "text" are DynamoDB reserved words.
      UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')} REMOVE leaseUntil`,
      ConditionExpression: '#status = :sending',
      ExpressionAttributeNames: {
        ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        '#status': 'status',
      },
      ExpressionAttributeValues: {
        ...Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
        ':sending': 'sending',
      },
    };
    return changeCounted(db, update, campaignsTableName, sms, counts, sentAt);
  };
  /** A settled state that keeps the phone's proof, not the phone. */
  const unsent = (
    sms: OutboundSms,
    status: MessageStatus,
    now: Date,
    fields: Record<string, unknown>,
    counts?: Partial<Record<StatsCounter, number>>,
  ) => settle(sms, status, now, { ...fields, to: phoneProof(phoneProofKey, sms.to) }, counts);

  return {
    async claim(sms, now, leaseSeconds) {
      // The words stay in the queued message, not on the record: a text not sent (suppressed,
      // refused, failed, waiting) keeps none; a sent one keeps the text sent, a held one its body.
      const { body: _body, ...record } = sms;
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...key(sms),
              ...record,
              status: 'sending',
              leaseUntil: now.getTime() + leaseSeconds * 1000,
              updatedAt: now.toISOString(),
              expiresAt: Math.floor(now.getTime() / 1000) + retentionDays * 86_400,
            },
            ConditionExpression:
              'attribute_not_exists(pk) OR #status IN (:deferred, :retrying, :failed, :released) OR leaseUntil < :now',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':deferred': 'deferred',
              ':retrying': 'retrying',
              ':failed': 'failed',
              ':released': 'released',
              ':now': now.getTime(),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const held = (error as { Item?: { status?: { S?: string } } }).Item?.status?.S;
        return held === 'sending' ? 'leased' : 'settled';
      }
    },
    async sent(sms, { providerMessageId, text, billing, day, costFen }, now) {
      const settled = await settle(
        sms,
        'sent',
        now,
        {
          providerMessageId,
          text,
          encoding: billing.encoding,
          segments: billing.segments,
          sentAt: now.toISOString(),
          // The byRecipient index: a phone's texts from one merchant, by send time.
          recipientPk: `${sms.merchantId}#${sms.to}`,
        },
        { sent: 1, segments: billing.segments },
        now,
      );
      // Counted once the record says sent, by the sender that settled it, and not in the same
      // transaction: every text of a merchant's day moves one item, and transactions on one item at
      // once cancel each other, so a busy sender would fail to record its sends. A failure between
      // the two writes misses the text in the day's figures; the send itself stands.
      const daily =
        settled && dailyStatsTableName
          ? dailyStatsIncrement(dailyStatsTableName, sms.merchantId, day, {
              texts: 1,
              parts: billing.segments,
              costFen,
            })
          : undefined;
      if (daily) await db.send(new UpdateCommand(daily.Update));
      return settled;
    },
    suppressed: (sms, reason, now) =>
      unsent(sms, 'suppressed', now, { reason }, { [`suppressed.${reasonCode(reason)}`]: 1 }),
    // Campaign stats have no refused.* counters: a refusal is one more reason the text was not sent.
    refused: (sms, reason, now) =>
      unsent(sms, 'refused', now, { reason }, { [`suppressed.${reasonCode(reason)}`]: 1 }),
    held: (sms, reason, text, now, day) =>
      settle(
        sms,
        'held',
        now,
        // The body too: a held text is released from its record.
        { reason, text, body: sms.body, heldPk: sms.merchantId, heldOn: day },
        { [`held.${reasonCode(reason)}`]: 1 },
      ),
    deferred: (sms, reason, notBefore, now) => unsent(sms, 'deferred', now, { reason, notBefore }),
    retrying: (sms, reason, now) => unsent(sms, 'retrying', now, { reason }),
    failed: (sms, reason, now) => unsent(sms, 'failed', now, { reason }, { failed: 1 }),

    async forgetRecipient(sms, kept) {
      const { pk } = key(sms);
      const proof = phoneProof(phoneProofKey, sms.to);
      await db.send(
        new UpdateCommand(
          kept === 'sent'
            ? forgottenSent(tableName, pk, sms.merchantId, proof)
            : forgottenHeld(tableName, pk, proof),
        ),
      );
    },

    async receipt(merchantId, messageId, { status, reason, at, providerMessageId }) {
      const Key = { pk: `${merchantId}#${messageId}` };
      const { Item: message } = await db.send(
        new GetCommand({ TableName: tableName, Key, ConsistentRead: true }),
      );
      if (!message) return { status: 'unknown', reason: 'no such message' };
      const to = message.to as string;
      if (message.receipt) return { status: 'already-final', to };
      if (message.status === 'sending') return { status: 'not-yet-sent' };
      if (message.status !== 'sent') return { status: 'unknown', reason: `the message is ${message.status}` };
      // A text resent after a crash at the provider call has a second provider id; only its receipts count.
      if (message.providerMessageId !== providerMessageId) {
        return { status: 'unknown', reason: 'the receipt is about an earlier send of the message' };
      }
      const update = {
        TableName: tableName,
        Key,
        UpdateExpression: 'SET receipt = :receipt',
        ConditionExpression:
          '#status = :sent AND providerMessageId = :provider AND attribute_not_exists(receipt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':receipt': { status, ...(reason ? { reason } : {}), at: at.toISOString() },
          ':sent': 'sent',
          ':provider': providerMessageId,
        },
      };
      const campaignId = message.campaignId as string | undefined;
      const stats =
        campaignId &&
        statsIncrement(campaignsTableName, merchantId, campaignId, messageId, {
          [status === 'delivered' ? 'delivered' : 'failed']: 1,
        });
      try {
        if (stats) {
          await retryConflicts(() =>
            db.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, stats] })),
          );
        } else {
          await db.send(new UpdateCommand(update));
        }
        return { status: 'applied', to, category: message.category as OutboundSms['category'] };
      } catch (error) {
        // Another copy of a receipt settled the message between the read and the write.
        if (isConditionFailure(error) || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
          return { status: 'already-final', to };
        }
        throw error;
      }
    },

    async recentCampaignText(merchantId, phone, since) {
      const newestFirst = queryAll(db, {
        TableName: tableName,
        IndexName: 'byRecipient',
        KeyConditionExpression: 'recipientPk = :recipient AND sentAt >= :since',
        FilterExpression: 'attribute_exists(campaignId)',
        ExpressionAttributeValues: { ':recipient': `${merchantId}#${phone}`, ':since': since.toISOString() },
        ScanIndexForward: false,
      });
      for await (const text of newestFirst) {
        return { campaignId: text.campaignId as string, messageId: text.messageId as string };
      }
      return undefined;
    },
  };
}

/** A carrier's final report on a sent text, tied to the send by the provider's message id. */
export interface Receipt {
  status: 'delivered' | 'undelivered';
  /** Why it was not delivered, e.g. `unreachable`, `spam`. */
  reason?: string;
  /** When the carrier reported it. */
  at: Date;
  providerMessageId: string;
}

export type ReceiptOutcome =
  /** The receipt settled the message (and counted in its campaign's stats). */
  | { status: 'applied'; to: string; category: OutboundSms['category'] }
  /** The message was settled before: a repeated or late receipt changes nothing. */
  | { status: 'already-final'; to: string }
  /** The sender has not recorded the send yet: the receipt came first and must be tried again later. */
  | { status: 'not-yet-sent' }
  /** No message of ours to settle: none with the id, one never sent, or another send of it. */
  | { status: 'unknown'; reason: string };
