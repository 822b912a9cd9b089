import { randomUUID } from 'node:crypto';
import { ThrottlingException } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/send-sms/handler';
import type { SendSmsDeps } from '../../../functions/send-sms/send';
import { lambdaContext } from '../../../local/local-lambda';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { type OutgoingText, SmsProviderError } from '../../../shared/sms/provider';
import { directoryStore } from '../../../shared/store/directory';
import { erasureMarks } from '../../../shared/store/erasure-marks';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { sendLimitsStore } from '../../../shared/store/send-limits';
import { templatesStore } from '../../../shared/store/templates';
import { messageRecord, newMerchant, newPhone, testEnv } from '../../support';

/**
 * send-sms when DynamoDB or the provider fail: an outcome whose record could not be written at first
 * is still recorded, so no later delivery sends the text again and the DLQ's copy has its reason; the
 * last delivery's failure is not backed off.
 */
const env = testEnv();
const db = env.dynamo();
const messages = messagesStore(db, env.table('messages'), env.table('campaigns'));

type BatchResult = { batchItemFailures: { itemIdentifier: string }[] };

/** How many of a record's writes of each kind DynamoDB throttles first. */
type Throttled = Partial<Record<'sent' | 'retrying' | 'failed', number>>;

function setup(options: { throttled?: Throttled; failProvider?: boolean } = {}) {
  const carried: OutgoingText[] = [];
  const backoffs: number[] = [];
  const throttled: Throttled = { ...options.throttled };
  const throttle = (kind: keyof Throttled) => {
    const left = throttled[kind] ?? 0;
    throttled[kind] = left - 1;
    return left > 0
      ? Promise.reject(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
      : undefined;
  };
  let offsetMs = 0;
  const deps: SendSmsDeps = {
    directory: directoryStore(db, env.table('directory')),
    members: membersStore(db, env.table('members')),
    erasures: erasureMarks(db, env.table('members')),
    messages: {
      ...messages,
      sent: (sms, sent, now) => throttle('sent') ?? messages.sent(sms, sent, now),
      retrying: (sms, reason, now) => throttle('retrying') ?? messages.retrying(sms, reason, now),
      failed: (sms, reason, now) => throttle('failed') ?? messages.failed(sms, reason, now),
    },
    templates: templatesStore(db, env.table('campaigns')),
    limits: sendLimitsStore(db, env.table('sendLimits')),
    queue: {
      enqueueLater: async () => undefined,
      redeliverLater: async (_handle, seconds) => void backoffs.push(seconds),
    },
    provider: {
      async send(text) {
        if (options.failProvider) throw new SmsProviderError('provider unavailable', true);
        carried.push(text);
        return { providerMessageId: `p-${carried.length}` };
      },
    },
    clock: () => new Date(Date.now() + offsetMs),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const handler = createHandler(deps);
  const deliver = (sms: OutboundSms, receiveCount = 1) =>
    handler(
      {
        Records: [
          {
            messageId: `sqs-${randomUUID()}`,
            receiptHandle: 'handle',
            body: JSON.stringify(sms),
            attributes: { ApproximateReceiveCount: String(receiveCount) },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:local:000000000000:outbound-sms',
            awsRegion: 'us-east-1',
          },
        ],
      } as unknown as SQSEvent,
      lambdaContext('send-sms', 30),
    ) as Promise<BatchResult>;
  return { carried, backoffs, deliver, later: (ms: number) => (offsetMs += ms) };
}

const text = (merchant: Merchant): OutboundSms => ({
  messageId: `reply:${randomUUID()}`,
  merchantId: merchant.merchantId,
  to: newPhone(),
  body: '您的积分余额为100分。',
  category: 'service',
});

const recordOf = (sms: OutboundSms) => messageRecord(env, sms);

describe('send-sms under faults', () => {
  it('records a send whose first writes were throttled, so a delivery after the lease sends nothing again', async () => {
    const { merchant } = await newMerchant(env);
    const { carried, deliver, later } = setup({ throttled: { sent: 2 } });
    const sms = text(merchant);
    expect(await deliver(sms)).toEqual({ batchItemFailures: [] });
    expect(await recordOf(sms)).toMatchObject({ status: 'sent', providerMessageId: 'p-1' });

    // SQS delivers the message again after the claim's lease would have run out.
    later(5 * 60_000);
    expect(await deliver(sms, 2)).toEqual({ batchItemFailures: [] });
    expect(carried).toHaveLength(1);
  });

  it('records each failure through throttled writes, and backs off every delivery but the last', async () => {
    const { merchant } = await newMerchant(env);
    const { backoffs, deliver } = setup({ failProvider: true, throttled: { retrying: 1, failed: 2 } });
    const sms = text(merchant);
    expect((await deliver(sms, 1)).batchItemFailures).toHaveLength(1);
    // Recorded as retrying, so the next delivery claims it without waiting out the lease.
    expect(await recordOf(sms)).toMatchObject({ status: 'retrying', reason: 'provider unavailable' });
    for (const receiveCount of [2, 3, 4, 5]) {
      expect((await deliver(sms, receiveCount)).batchItemFailures).toHaveLength(1);
    }
    // The last failure is final: visible again at once, the text moves to the DLQ, not 16 minutes later.
    expect(backoffs).toEqual([60, 120, 240, 480, 0]);
    expect(await recordOf(sms)).toMatchObject({ status: 'failed', reason: 'provider unavailable' });
  });
});
