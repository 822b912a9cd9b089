import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, retryDelaySeconds } from '../../../functions/send-sms/handler';
import type { SendSmsDeps } from '../../../functions/send-sms/send';
import { startSqsServer } from '../../../local/fauxqs-queues';
import { lambdaContext } from '../../../local/local-lambda';
import { newApiKey } from '../../../shared/domain/api-keys';
import { Env, sqsClient } from '../../../shared/env';
import { sqsOutboundDelays } from '../../../shared/queue/sqs-outbound-queue';
import { type Merchant, merchantSchema, type SendingSettings } from '../../../shared/schemas/merchant';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { type OutgoingText, SmsProviderError } from '../../../shared/sms/provider';
import { readCampaignStats } from '../../../shared/store/campaign-stats';
import { directoryStore } from '../../../shared/store/directory';
import { erasureMarks } from '../../../shared/store/erasure-marks';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { sendLimitsStore } from '../../../shared/store/send-limits';
import { templatesStore } from '../../../shared/store/templates';
import { messageRecord, newPhone, testEnv } from '../../support';

const env = testEnv();
const db = env.dynamo();
let sqsServer: Awaited<ReturnType<typeof startSqsServer>>;
let sqs: ReturnType<typeof sqsClient>;

beforeAll(async () => {
  sqsServer = await startSqsServer();
  sqs = sqsClient(new Env({ AWS_ENDPOINT_URL_SQS: sqsServer.endpoint }));
});
afterAll(() => sqsServer.stop());

/** A merchant of the test's own, with its own sending settings. */
async function shop(sending: Partial<SendingSettings> = {}): Promise<Merchant> {
  const merchant = merchantSchema.parse({
    merchantId: `m-${randomUUID().slice(0, 8)}`,
    name: '测试商户',
    signature: '【测试商户】',
    senderNumber: `+86106${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
    defaultCountry: 'CN',
    timeZone: 'Asia/Shanghai',
    createdAt: new Date().toISOString(),
    sending,
  });
  await directoryStore(db, env.table('directory')).createMerchant(merchant, newApiKey().stored);
  return merchant;
}

/** A queue of the test's own: deferred texts land there. Visibility 0 shows any backoff at once. */
async function newQueue(): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `outbound-${randomUUID()}`, Attributes: { VisibilityTimeout: '0' } }),
  );
  return QueueUrl as string;
}

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

type BatchResult = { batchItemFailures: { itemIdentifier: string }[] };

/** The handler with real stores and a real queue; `at` runs its clock from another instant. */
async function setup(options: { at?: string } = {}) {
  const fake = fakeProvider();
  const queueUrl = await newQueue();
  const offset = options.at ? Date.parse(options.at) - Date.now() : 0;
  const deps: SendSmsDeps = {
    directory: directoryStore(db, env.table('directory')),
    members: membersStore(db, env.table('members')),
    erasures: erasureMarks(db, env.table('members')),
    messages: messagesStore(db, env.table('messages'), env.table('campaigns')),
    templates: templatesStore(db, env.table('campaigns')),
    limits: sendLimitsStore(db, env.table('sendLimits')),
    queue: sqsOutboundDelays(sqs, queueUrl),
    provider: fake.provider,
    clock: () => new Date(Date.now() + offset),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const handler = createHandler(deps);
  const invoke = (event: SQSEvent) => handler(event, lambdaContext('send-sms', 30)) as Promise<BatchResult>;
  const run = (...bodies: (OutboundSms | string)[]) => invoke(sqsEvent(bodies));
  /** Deliveries as SQS makes them the n-th time. */
  const runAttempt = (receiveCount: number, sms: OutboundSms) => invoke(sqsEvent([sms], receiveCount));
  /** The deferred copies on the queue, waiting up to `seconds` for them to become visible. */
  const requeued = async (seconds = 0) => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: seconds }),
    );
    return Messages.map((message) => JSON.parse(message.Body as string) as OutboundSms);
  };
  const delayedCount = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessagesDelayed);
  };
  return { ...fake, deps, queueUrl, invoke, run, runAttempt, requeued, delayedCount };
}

function sqsEvent(bodies: (OutboundSms | string)[], receiveCount = 1): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `record-${i}`,
      receiptHandle: `r-${i}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: String(receiveCount),
      } as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:outbound-sms',
      awsRegion: 'us-east-1',
    })),
  };
}

const text = (merchant: Merchant, overrides: Partial<OutboundSms> = {}): OutboundSms => ({
  messageId: `m-${randomUUID()}`,
  merchantId: merchant.merchantId,
  to: newPhone(),
  body: '您的积分余额为0分。',
  category: 'service',
  ...overrides,
});

const recordOf = (sms: OutboundSms) => messageRecord(env, sms);

async function subscribe(merchant: Merchant, phone: string) {
  await membersStore(db, env.table('members')).recordMarketingConsent(merchant.merchantId, phone, {
    status: 'subscribed',
    changedAt: new Date().toISOString(),
    channel: 'sms-keyword',
    source: '订阅',
    ref: `in-${randomUUID()}`,
  });
}

const campaignStats = (merchant: Merchant, campaignId: string) =>
  readCampaignStats(db, env.table('campaigns'), merchant.merchantId, campaignId);

describe('send-sms: sending', () => {
  it('reads the merchant once for a batch of its texts, and again for the next batch', async () => {
    const merchant = await shop();
    const { deps, sent } = await setup();
    const reads: string[] = [];
    const handler = createHandler({
      ...deps,
      directory: {
        ...deps.directory,
        merchant(merchantId) {
          reads.push(merchantId);
          return deps.directory.merchant(merchantId);
        },
      },
    });
    const invoke = (event: SQSEvent) => handler(event, lambdaContext('send-sms', 30)) as Promise<BatchResult>;
    const batch = [text(merchant), text(merchant), text(merchant)];
    expect(await invoke(sqsEvent(batch))).toEqual({ batchItemFailures: [] });
    expect({ reads, sent: sent.map((s) => s.to) }).toEqual({
      reads: [merchant.merchantId],
      sent: expect.arrayContaining(batch.map((sms) => sms.to)),
    });
    expect(await invoke(sqsEvent([text(merchant)]))).toEqual({ batchItemFailures: [] });
    expect({ reads: reads.length, sent: sent.length }).toEqual({ reads: 2, sent: 4 });
  });

  it("signs a text, sends it from the merchant's number with its ids as context, and records the send", async () => {
    const merchant = await shop();
    const { run, sent } = await setup();
    const sms = text(merchant);
    expect(await run(sms)).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([
      {
        from: merchant.senderNumber,
        to: sms.to,
        body: `${merchant.signature}${sms.body}`,
        category: 'service',
        context: { merchantId: merchant.merchantId, messageId: sms.messageId },
      },
    ]);
    expect(await recordOf(sms)).toMatchObject({
      status: 'sent',
      providerMessageId: 'p-1',
      text: `${merchant.signature}${sms.body}`,
      encoding: 'UCS-2',
      segments: 1,
      recipientPk: `${merchant.merchantId}#${sms.to}`,
    });
  });

  it('adds the unsubscribe line to marketing, records its parts and counts it in its campaign', async () => {
    const merchant = await shop();
    const { run, sent } = await setup({ at: '2026-11-23T04:00:00Z' }); // 12:00 in Shanghai
    const phone = newPhone();
    await subscribe(merchant, phone);
    const body = '周末全场八折'.repeat(10);
    const sms = text(merchant, { to: phone, body, category: 'marketing', campaignId: 'autumn' });
    await run(sms);
    const signed = `${merchant.signature}${body} 回复TD退订`;
    expect(sent.map((s) => s.body)).toEqual([signed]);
    expect(await recordOf(sms)).toMatchObject({ status: 'sent', text: signed, segments: 2 });
    expect(await campaignStats(merchant, 'autumn')).toEqual({ sent: 1, segments: 2 });
  });

  it('sends a message delivered twice only once: the copy comes back later and finds it settled', async () => {
    const merchant = await shop();
    const { run, sent } = await setup();
    const sms = text(merchant);
    const result = await run(sms, sms, '{"not":"an outbound text"}');
    expect(sent).toHaveLength(1);
    // The copy found the message leased by the other delivery: it goes back to the queue, not away.
    expect(result.batchItemFailures).toHaveLength(2);
    expect(result.batchItemFailures).toContainEqual({ itemIdentifier: 'record-2' });
    expect(await run(sms)).toEqual({ batchItemFailures: [] });
    expect(sent).toHaveLength(1);
  });
});

describe('send-sms: provider failures', () => {
  it('gives a retryable failure back to the queue with its reason and sends it on the next delivery', async () => {
    const merchant = await shop();
    const { run, sent, failNext } = await setup();
    const sms = text(merchant);
    failNext(new SmsProviderError('throttled', true));
    expect((await run(sms)).batchItemFailures).toEqual([{ itemIdentifier: 'record-0' }]);
    expect(await recordOf(sms)).toMatchObject({ status: 'retrying', reason: 'throttled' });
    expect(sent).toHaveLength(0);
    expect(await run(sms)).toEqual({ batchItemFailures: [] });
    expect(sent).toHaveLength(1);
  });

  it('records the last failed delivery as failed, with its reason, before the queue moves it to the DLQ', async () => {
    const merchant = await shop();
    const { runAttempt, failNext } = await setup({ at: '2026-11-23T04:00:00Z' });
    const sms = text(merchant, { campaignId: 'winter' });
    failNext(new SmsProviderError('provider unavailable', true));
    expect((await runAttempt(5, sms)).batchItemFailures).toEqual([{ itemIdentifier: 'record-0' }]);
    expect(await recordOf(sms)).toMatchObject({ status: 'failed', reason: 'provider unavailable' });
    expect(await campaignStats(merchant, 'winter')).toEqual({ failed: 1 });
  });

  it('does not retry a text the provider refuses for good, and records why', async () => {
    const merchant = await shop();
    const { run, sent, failNext } = await setup();
    const sms = text(merchant);
    failNext(new SmsProviderError('invalid destination', false));
    expect(await run(sms)).toEqual({ batchItemFailures: [] });
    expect(sent).toHaveLength(0);
    expect(await recordOf(sms)).toMatchObject({ status: 'failed', reason: 'invalid destination' });
  });

  it('backs off: a failed delivery stays invisible longer each time (60 s, doubling)', async () => {
    const merchant = await shop();
    const { invoke, failNext, queueUrl } = await setup();
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(text(merchant)) }),
    );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['All'] }),
    );
    const [message] = Messages;
    if (!message) throw new Error('the queued text was not received');
    failNext(new SmsProviderError('throttled', true));
    const event = sqsEvent([message.Body as string]);
    const [record] = event.Records;
    if (!record) throw new Error('no record');
    record.receiptHandle = message.ReceiptHandle as string;
    expect((await invoke(event)).batchItemFailures).toHaveLength(1);
    // The queue's visibility timeout is 0: without the backoff the text would be back at once.
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }));
    expect(again.Messages ?? []).toEqual([]);
    expect([1, 2, 3, 4, 5].map(retryDelaySeconds)).toEqual([60, 120, 240, 480, 960]);
  });
});

describe('send-sms: who may get a text', () => {
  it('sends marketing only to a current opt-in; service texts go to all unless they respect opt-outs', async () => {
    const merchant = await shop();
    const { run, sent, deps } = await setup({ at: '2026-11-23T04:00:00Z' });
    const [subscribed, unsubscribed, unknown, complained] = [newPhone(), newPhone(), newPhone(), newPhone()];
    await subscribe(merchant, subscribed);
    await subscribe(merchant, complained);
    await deps.members.recordMarketingConsent(merchant.merchantId, unsubscribed, {
      status: 'unsubscribed',
      changedAt: new Date().toISOString(),
      channel: 'sms-keyword',
      source: 'TD',
      ref: `in-${randomUUID()}`,
    });
    await deps.members.recordComplaint(merchant.merchantId, complained, {
      reason: 'complaint',
      at: new Date().toISOString(),
      channel: 'provider',
      source: 'spam',
      ref: `fb-${randomUUID()}`,
    });
    const texts = {
      toSubscribed: text(merchant, { to: subscribed, category: 'marketing' }),
      toUnsubscribed: text(merchant, { to: unsubscribed, category: 'marketing' }),
      toUnknown: text(merchant, { to: unknown, category: 'marketing' }),
      toComplained: text(merchant, { to: complained, category: 'marketing' }),
      serviceToUnsubscribed: text(merchant, { to: unsubscribed }),
      heldBackFromUnsubscribed: text(merchant, { to: unsubscribed, respectOptOut: true }),
      heldBackButUnknown: text(merchant, { to: unknown, respectOptOut: true }),
    };
    await run(...Object.values(texts));
    expect(sent.map((s) => s.to).sort()).toEqual([subscribed, unsubscribed, unknown].sort());
    const outcomes = Object.fromEntries(
      await Promise.all(
        Object.entries(texts).map(async ([name, sms]) => {
          const { status, reason } = (await recordOf(sms)) ?? {};
          return [name, reason ? `${status}: ${reason}` : status];
        }),
      ),
    );
    expect(outcomes).toEqual({
      toSubscribed: 'sent',
      toUnsubscribed: 'suppressed: opted-out',
      toUnknown: 'suppressed: no-consent',
      toComplained: 'suppressed: complaint',
      serviceToUnsubscribed: 'sent',
      heldBackFromUnsubscribed: 'suppressed: opted-out',
      heldBackButUnknown: 'sent',
    });
  });

  it('suppresses a text to a number that cannot take texts, with the reason', async () => {
    const merchant = await shop();
    const { run, sent } = await setup();
    const landline = text(merchant, { to: '+861062345678', campaignId: 'spring' });
    await run(landline);
    expect(sent).toEqual([]);
    expect(await recordOf(landline)).toMatchObject({
      status: 'suppressed',
      reason: expect.stringMatching(/^invalid-number: .*not a mobile number/),
    });
    expect(await campaignStats(merchant, 'spring')).toEqual({ 'suppressed.invalid-number': 1 });
  });

  it('refuses marketing not from a template approved for the current signature, when the merchant requires it', async () => {
    const merchant = await shop({ requireRegisteredTemplates: true });
    const { run, sent } = await setup({ at: '2026-11-23T04:00:00Z' });
    const templates = templatesStore(db, env.table('campaigns'));
    const at = new Date().toISOString();
    const template = (
      templateId: string,
      registration?: { status: 'pending' | 'approved'; signature: string },
    ) =>
      templates.create({
        merchantId: merchant.merchantId,
        templateId,
        name: templateId,
        body: '周末全场八折',
        category: 'marketing',
        ...(registration
          ? { registration: { providerTemplateId: `SMS_${templateId}`, ...registration } }
          : {}),
        createdAt: at,
        updatedAt: at,
      });
    await template('approved', { status: 'approved', signature: merchant.signature });
    await template('pending', { status: 'pending', signature: merchant.signature });
    await template('old-signature', { status: 'approved', signature: '【旧店名】' });
    await template('unregistered');
    const phone = newPhone();
    await subscribe(merchant, phone);
    const marketing = (template?: string) =>
      text(merchant, { to: phone, category: 'marketing', ...(template ? { template } : {}) });
    const texts = [
      marketing('approved'),
      marketing('pending'),
      marketing('old-signature'),
      marketing('unregistered'),
      marketing('no-such-template'),
      marketing(),
      text(merchant, { to: phone }),
    ];
    await run(...texts);
    expect(sent).toHaveLength(2);
    const reasons = await Promise.all(texts.map(async (sms) => (await recordOf(sms))?.reason));
    expect(reasons).toEqual([
      undefined,
      'unregistered-template: pending is pending, not approved',
      'unregistered-template: old-signature was approved for 【旧店名】, not 【测试商户】',
      'unregistered-template: unregistered is not registered with the provider',
      'unregistered-template: no template no-such-template',
      'unregistered-template: the text was not made from a registered template',
      undefined,
    ]);
    expect((await recordOf(texts[1] as OutboundSms))?.status).toBe('refused');
  });

  it('refuses a text over 500 characters once signed, with its length', async () => {
    const merchant = await shop();
    const { run, sent } = await setup();
    const sms = text(merchant, { body: '积'.repeat(495) });
    await run(sms);
    expect(sent).toEqual([]);
    expect(await recordOf(sms)).toMatchObject({
      status: 'refused',
      reason: 'too-long: 501 characters, at most 500',
    });
  });
});

describe('send-sms: when texts go', () => {
  it('defers marketing outside the marketing hours to their opening, in hops of at most 15 minutes', async () => {
    const merchant = await shop();
    const { run, sent, delayedCount } = await setup({ at: '2026-11-23T14:00:00Z' }); // 22:00 in Shanghai
    const phone = newPhone();
    await subscribe(merchant, phone);
    const marketing = text(merchant, { to: phone, category: 'marketing' });
    const service = text(merchant, { to: phone });
    await run(marketing, service);
    expect(sent.map((s) => s.category)).toEqual(['service']);
    expect(await recordOf(marketing)).toMatchObject({
      status: 'deferred',
      reason: 'outside-marketing-hours',
      notBefore: '2026-11-24T01:00:00.000Z',
    });
    // Eleven hours away: on the queue for the longest delay SQS allows, still invisible.
    expect(await delayedCount()).toBe(1);
  });

  it('sends a deferred text once its copy arrives in the window, and hops again if it arrives early', async () => {
    const merchant = await shop();
    const phone = newPhone();
    await subscribe(merchant, phone);
    const marketing = text(merchant, { to: phone, category: 'marketing' });
    const early = await setup({ at: '2026-11-24T00:59:58Z' }); // two seconds before 09:00
    await early.run(marketing);
    const [copy] = await early.requeued(5);
    expect(copy).toEqual({ ...marketing, notBefore: '2026-11-24T01:00:00.000Z' });
    if (!copy) throw new Error('no deferred copy');

    const stillEarly = await setup({ at: '2026-11-24T00:59:59Z' });
    await stillEarly.run(copy);
    expect(stillEarly.sent).toEqual([]);
    expect(await recordOf(marketing)).toMatchObject({ status: 'deferred', reason: 'not-before' });
    expect(await stillEarly.requeued(5)).toEqual([copy]);

    const open = await setup({ at: '2026-11-24T01:00:01Z' });
    await open.run(copy);
    expect(open.sent.map((s) => s.to)).toEqual([phone]);
    expect(await recordOf(marketing)).toMatchObject({ status: 'sent' });
  });

  it('puts a text back on the queue when its sender has no free slot within the wait budget', async () => {
    const merchant = await shop();
    const { run, sent, deps } = await setup();
    // Another sender's texts have the sender's slots taken for the next 25 seconds.
    const now = Date.now();
    await deps.limits.reserveSlot(merchant.merchantId, merchant.senderNumber, {
      start: now + 25_000,
      intervalMs: 50,
      latest: now + 60_000,
    });
    const sms = text(merchant);
    expect(await run(sms)).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual([]);
    const record = await recordOf(sms);
    expect(record).toMatchObject({ status: 'deferred', reason: expect.stringMatching(/^rate-limit: /) });
    // It comes back when a slot would be within the 10 s a text may wait for one.
    expect(Date.parse(record?.notBefore) - now).toBeGreaterThanOrEqual(15_000);
  });
});

describe('send-sms: caps', () => {
  it('suppresses marketing over the per-member frequency cap, counting each message once', async () => {
    const merchant = await shop({ frequencyCap: { perDay: 2, perWeek: 5 } });
    const { run, sent } = await setup({ at: '2026-11-23T04:00:00Z' });
    const phone = newPhone();
    await subscribe(merchant, phone);
    const texts = [1, 2, 3].map(() =>
      text(merchant, { to: phone, category: 'marketing', campaignId: 'weekly' }),
    );
    for (const sms of texts) await run(sms);
    await run(texts[0] as OutboundSms); // a repeated delivery of a sent text counts nothing
    expect(sent).toHaveLength(2);
    expect(await recordOf(texts[2] as OutboundSms)).toMatchObject({
      status: 'suppressed',
      reason: 'frequency-cap: at most 2 marketing texts a day to one member',
    });
    expect(await campaignStats(merchant, 'weekly')).toMatchObject({ sent: 2, 'suppressed.frequency-cap': 1 });
  });

  it('sends 50 of 60 texts to one number with the same signature and template in a day, and holds 10 with the reason', async () => {
    const merchant = await shop();
    const { run, sent } = await setup();
    const phone = newPhone();
    const texts = Array.from({ length: 60 }, (_, i) =>
      text(merchant, { to: phone, body: `验证码${1000 + i}`, template: 'reply:code' }),
    );
    for (let i = 0; i < texts.length; i += 10) await run(...texts.slice(i, i + 10));
    expect(sent).toHaveLength(50);
    const records = await Promise.all(texts.map(recordOf));
    const held = records.filter((record) => record?.status === 'held');
    expect(held).toHaveLength(10);
    for (const record of held) {
      expect(record).toMatchObject({
        reason: 'carrier-cap: at most 50 texts a day to one number with 【测试商户】 and template reply:code',
        text: `【测试商户】${record?.body}`,
      });
    }
  });
});
