import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import type { Env } from '../../shared/env';
import { logger } from '../../shared/log';
import { count, metricNames, publishMetrics } from '../../shared/metrics';
import { type SmsEvent, smsEventSchema, spamEventType } from '../../shared/schemas/sms-event';
import { membersStore } from '../../shared/store/members';
import { type MessagesStore, messagesStore } from '../../shared/store/messages';
import { type RecordComplaintDeps, recordComplaint } from '../../shared/use-cases/record-complaint';
import { readSmsEvent } from './receipt';

export type DeliveryReceiptsDeps = RecordComplaintDeps & {
  messages: MessagesStore;
  /**
   * How long to wait before each new look for a send's record when its receipt came first: the
   * sender records a text right after the provider answers, so the record is usually there a moment
   * later, and the invocation need not fail (and be counted an error) for it.
   */
  recheckDelaysMs?: readonly number[];
};

const recheckDelaysMs = [250, 500, 1000] as const;

/**
 * The receipt arrived before the sender recorded the text as sent (it records right after the
 * provider answers), and the record was still not there after a few looks. Failing the invocation
 * makes Lambda try again later, when the record is there.
 */
export class ReceiptBeforeSendError extends Error {
  constructor(messageId: string) {
    super(`message ${messageId} is not recorded as sent yet`);
    this.name = 'ReceiptBeforeSendError';
  }
}

/**
 * Settles one message from one provider event: its final outcome on the record and in its
 * campaign's stats, once however often the event arrives (the store's conditions see to that).
 * A spam verdict also records the member's complaint, keyed by the provider's message id, so a
 * repeated event, or one retried after a crash between the two writes, records it once.
 */
export async function settleMessage(event: SmsEvent, deps: DeliveryReceiptsDeps): Promise<void> {
  const read = readSmsEvent(event);
  if (read.kind === 'ignored') {
    logger.info('event ignored', { providerMessageId: event.messageId, reason: read.reason });
    return;
  }
  const { merchantId, messageId } = read.message;
  let outcome = await deps.messages.receipt(merchantId, messageId, read.receipt);
  for (const delay of deps.recheckDelaysMs ?? recheckDelaysMs) {
    if (outcome.status !== 'not-yet-sent') break;
    await new Promise((resolve) => setTimeout(resolve, delay));
    outcome = await deps.messages.receipt(merchantId, messageId, read.receipt);
  }
  if (outcome.status === 'not-yet-sent') throw new ReceiptBeforeSendError(messageId);
  if (outcome.status === 'unknown') {
    logger.warn('receipt for no message of ours', { merchantId, messageId, reason: outcome.reason });
    return;
  }
  logger.info('receipt', { merchantId, messageId, outcome: outcome.status, receipt: read.receipt.status });
  if (outcome.status === 'applied') {
    const { category } = outcome;
    if (read.receipt.status === 'delivered') count(metricNames.textsDelivered, { category });
    else count(metricNames.textsFailed, { category, stage: 'carrier' });
  }
  if (!read.complaint) return;
  await recordComplaint(deps, {
    merchantId,
    phone: outcome.to,
    at: read.receipt.at,
    channel: 'provider',
    source: spamEventType,
    ref: event.messageId,
  });
}

/**
 * Delivery events from AWS End User Messaging SMS, through the `sms-events` topic. An event that
 * does not parse, or names no message of ours, is logged and dropped: retrying cannot fix it. A
 * store failure, or a receipt ahead of its send, fails the invocation so Lambda retries it and
 * then keeps it in the function's dead-letter queue.
 */
export function createHandler(deps: DeliveryReceiptsDeps) {
  return middy(async (event: SNSEvent) => {
    for (const record of event.Records) {
      const parsed = smsEventSchema.safeParse(parseJson(record.Sns.Message));
      if (!parsed.success) {
        logger.warn('unreadable SMS event dropped', {
          snsMessageId: record.Sns.MessageId,
          error: parsed.error,
        });
        continue;
      }
      await settleMessage(parsed.data, deps);
    }
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function depsFromEnv(env: Env): DeliveryReceiptsDeps {
  return {
    messages: messagesStore(env.dynamo(), env.table('messages'), env.table('campaigns')),
    members: membersStore(env.dynamo(), env.table('members'), env.table('outbox')),
    campaignsTable: env.table('campaigns'),
  };
}
