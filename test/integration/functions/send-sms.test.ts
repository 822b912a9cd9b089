import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type SendSmsDeps } from '../../../functions/send-sms/handler';
import { lambdaContext } from '../../../local/lambda';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { type OutgoingText, SmsProviderError } from '../../../shared/sms/provider';
import { directoryStore } from '../../../shared/store/directory';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
let merchant: Merchant;

beforeAll(async () => {
  merchant = (await newMerchant(env)).merchant;
});

/** The provider is the outside edge: a fake that records texts and fails when told to. */
function fakeProvider() {
  const sent: OutgoingText[] = [];
  const failures: SmsProviderError[] = [];
  return {
    sent,
    failNext: (error: SmsProviderError) => failures.push(error),
    provider: {
      async send(text: OutgoingText) {
        const failure = failures.shift();
        if (failure) throw failure;
        sent.push(text);
        return { providerMessageId: `p-${sent.length}` };
      },
    },
  };
}

function setup() {
  const fake = fakeProvider();
  const deps: SendSmsDeps = {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    members: membersStore(env.dynamo(), env.table('members')),
    messages: messagesStore(env.dynamo(), env.table('messages')),
    provider: fake.provider,
    clock: () => new Date(),
  };
  const handler = createHandler(deps);
  const run = (...bodies: (OutboundSms | string)[]) =>
    handler(sqsEvent(bodies), lambdaContext('send-sms', 30)) as Promise<{
      batchItemFailures: { itemIdentifier: string }[];
    }>;
  return { ...fake, deps, run };
}

function sqsEvent(bodies: (OutboundSms | string)[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `record-${i}`,
      receiptHandle: `r-${i}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {} as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:outbound-sms',
      awsRegion: 'us-east-1',
    })),
  };
}

const text = (overrides: Partial<OutboundSms> = {}): OutboundSms => ({
  messageId: `m-${Math.random().toString(36).slice(2)}`,
  merchantId: merchant.merchantId,
  to: newPhone(),
  body: '您的积分余额为0分。',
  category: 'service',
  ...overrides,
});

describe('send-sms', () => {
  it("signs each text with the merchant's signature and sends it from the merchant's number", async () => {
    const { run, sent } = setup();
    const sms = text();
    expect(await run(sms)).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([
      {
        from: merchant.senderNumber,
        to: sms.to,
        body: `${merchant.signature}${sms.body}`,
        category: 'service',
      },
    ]);
  });

  it('sends a message delivered twice only once, and reports only the malformed record as failed', async () => {
    const { run, sent } = setup();
    const sms = text();
    const result = await run(sms, sms, '{"not":"an outbound text"}');
    expect(sent).toHaveLength(1);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'record-2' }]);
  });

  it('gives a provider failure back to the queue and sends it on the next delivery', async () => {
    const { run, sent, failNext } = setup();
    const sms = text();
    failNext(new SmsProviderError('throttled', true));
    expect((await run(sms)).batchItemFailures).toEqual([{ itemIdentifier: 'record-0' }]);
    expect(sent).toHaveLength(0);
    expect(await run(sms)).toEqual({ batchItemFailures: [] });
    expect(sent).toHaveLength(1);
  });

  it('does not retry a text the provider refuses for good', async () => {
    const { run, sent, failNext } = setup();
    failNext(new SmsProviderError('invalid destination', false));
    expect(await run(text())).toEqual({ batchItemFailures: [] });
    expect(sent).toHaveLength(0);
  });

  it('sends no marketing to phones that opted out by the time it is sent, and service texts to all', async () => {
    const { run, sent, deps } = setup();
    const subscribed = newPhone();
    const unsubscribed = newPhone();
    const at = new Date().toISOString();
    await deps.members.recordMarketingConsent(merchant.merchantId, subscribed, {
      status: 'subscribed',
      changedAt: at,
      channel: 'sms-keyword',
      source: '订阅',
      ref: 'in-1',
    });
    await deps.members.recordMarketingConsent(merchant.merchantId, unsubscribed, {
      status: 'unsubscribed',
      changedAt: at,
      channel: 'sms-keyword',
      source: 'TD',
      ref: 'in-2',
    });
    const unknown = newPhone();
    await run(
      text({ to: subscribed, category: 'marketing' }),
      text({ to: unsubscribed, category: 'marketing' }),
      text({ to: unknown, category: 'marketing' }),
      text({ to: unsubscribed, category: 'service' }),
    );
    expect(sent.map((s) => [s.to, s.category]).sort()).toEqual(
      [
        [subscribed, 'marketing'],
        [unknown, 'marketing'],
        [unsubscribed, 'service'],
      ].sort(),
    );
  });
});
