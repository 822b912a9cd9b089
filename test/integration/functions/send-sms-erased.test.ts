import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/send-sms/handler';
import type { SendSmsDeps } from '../../../functions/send-sms/send';
import { startSqsServer } from '../../../local/fauxqs-queues';
import { lambdaContext } from '../../../local/local-lambda';
import { tapMetrics } from '../../../local/local-metrics';
import { localPhoneProofKey, pseudonymsOf } from '../../../shared/domain/phone-proof';
import { Env, sqsClient } from '../../../shared/env';
import { sqsOutboundDelays, sqsOutboundQueue } from '../../../shared/queue/sqs-outbound-queue';
import { tables } from '../../../shared/resources';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { OutboundSms } from '../../../shared/schemas/sms';
import type { OutgoingText } from '../../../shared/sms/provider';
import { readCampaignStats } from '../../../shared/store/campaign-stats';
import { directoryStore } from '../../../shared/store/directory';
import { erasureMarks } from '../../../shared/store/erasure-marks';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { scanAll } from '../../../shared/store/paging';
import { personalDataStore } from '../../../shared/store/personal-data';
import { sendLimitsStore } from '../../../shared/store/send-limits';
import { templatesStore } from '../../../shared/store/templates';
import { messageRecord, newMerchant, newPhone, testEnv } from '../../support';

/**
 * Texts queued for a member who is then erased (PIPL art. 47): a text queued before the erasure is
 * not sent after it, whatever its category, and a text caught sending at the instant of the erasure
 * keeps no phone. send-sms with its real stores on DynamoDB Local and the outbound queue on fauxqs.
 */
const env = testEnv();
const db = env.dynamo();
let sqsServer: Awaited<ReturnType<typeof startSqsServer>>;
let sqs: ReturnType<typeof sqsClient>;

beforeAll(async () => {
  sqsServer = await startSqsServer();
  sqs = sqsClient(new Env({ AWS_ENDPOINT_URL_SQS: sqsServer.endpoint }));
});
afterAll(() => sqsServer.stop());

/** 12:00 in Shanghai, inside the marketing hours: the instants the texts are queued, erased and sent. */
const queuedAt = new Date('2026-11-23T03:59:00Z');
const erasedAt = new Date('2026-11-23T03:59:30Z');
const sendAt = new Date('2026-11-23T04:00:00Z');

const members = membersStore(db, env.table('members'));
const personalData = personalDataStore(db, {
  members: env.table('members'),
  ledger: env.table('ledger'),
  benefits: env.table('benefits'),
  messages: env.table('messages'),
  engagement: env.table('engagement'),
  care: env.table('care'),
  audit: env.table('audit'),
  outbox: env.table('outbox'),
});
const erase = (merchant: Merchant, phone: string, at = erasedAt) =>
  personalData.erase(merchant.merchantId, pseudonymsOf(localPhoneProofKey, phone), at);

/** A subscribed member of a shop of the test's own. */
async function memberOfNewShop() {
  const { merchant } = await newMerchant(env);
  const phone = newPhone();
  await members.create(
    {
      merchantId: merchant.merchantId,
      memberId: `mem-${randomUUID().slice(0, 8)}`,
      phone,
      name: '王小明',
      joinedAt: '2026-11-01T01:00:00.000Z',
      joinChannel: 'sms',
      joinRef: `in-${randomUUID()}`,
      points: 0,
    },
    {
      status: 'subscribed',
      changedAt: '2026-11-01T01:00:00.000Z',
      channel: 'sms-keyword',
      source: '注册 王小明',
      ref: `in-${randomUUID()}`,
    },
  );
  return { merchant, phone };
}

/** send-sms on the texts the outbound queue's adapter queued, as SQS delivers them. */
async function sender() {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `outbound-${randomUUID()}` }));
  const queueUrl = QueueUrl as string;
  const sent: OutgoingText[] = [];
  let atSend: () => Promise<void> = async () => undefined;
  const offset = sendAt.getTime() - Date.now();
  const deps: SendSmsDeps = {
    directory: directoryStore(db, env.table('directory')),
    members,
    erasures: erasureMarks(db, env.table('members')),
    messages: messagesStore(db, env.table('messages'), env.table('campaigns')),
    templates: templatesStore(db, env.table('campaigns')),
    limits: sendLimitsStore(db, env.table('sendLimits')),
    queue: sqsOutboundDelays(sqs, queueUrl),
    provider: {
      async send(text) {
        await atSend();
        sent.push(text);
        return { providerMessageId: `p-${sent.length}` };
      },
    },
    clock: () => new Date(Date.now() + offset),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const handler = createHandler(deps);
  return {
    sent,
    /** What the provider does as it takes a text: the erasure landing at that instant. */
    onSend: (action: () => Promise<void>) => {
      atSend = action;
    },
    queue: (texts: OutboundSms[], at: Date) => sqsOutboundQueue(sqs, queueUrl, () => at).enqueueMany(texts),
    /** Delivers every text on the queue to send-sms. */
    async deliver() {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      const event = {
        Records: Messages.map((message, i) => ({
          messageId: message.MessageId,
          receiptHandle: message.ReceiptHandle,
          body: message.Body,
          attributes: { ApproximateReceiveCount: '1' },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:local:000000000000:outbound-${i}`,
          awsRegion: 'us-east-1',
        })),
      } as unknown as SQSEvent;
      return handler(event, lambdaContext('send-sms', 30));
    },
  };
}

const text = (merchant: Merchant, phone: string, overrides: Partial<OutboundSms> = {}): OutboundSms => ({
  messageId: `m-${randomUUID()}`,
  merchantId: merchant.merchantId,
  to: phone,
  body: '您的积分余额为0分。',
  category: 'service',
  template: 'reply:points',
  ...overrides,
});

/** Every item of every table that names the phone (its national digits), as JSON. */
async function itemsNaming(phone: string): Promise<string[]> {
  const national = phone.slice(3);
  const found: string[] = [];
  for (const table of Object.values(tables)) {
    for await (const item of scanAll(db, { TableName: table.name, ConsistentRead: true })) {
      const json = JSON.stringify(item);
      if (json.includes(national)) found.push(`${table.name}: ${json}`);
    }
  }
  return found;
}

describe('send-sms and an erased member', () => {
  it('sends no text queued before the erasure, of any category, and keeps no phone of it', async () => {
    const { merchant, phone } = await memberOfNewShop();
    const shop = await sender();
    const campaignId = `c-${randomUUID().slice(0, 8)}`;
    const queued = {
      campaign: text(merchant, phone, {
        category: 'marketing',
        campaignId,
        body: '周末八折',
        template: 't1',
      }),
      reply: text(merchant, phone),
      notice: text(merchant, phone, { template: 'reply:notice', body: '您的预约已确认' }),
    };
    await shop.queue(Object.values(queued), queuedAt);
    await erase(merchant, phone);

    const tap = tapMetrics();
    try {
      expect(await shop.deliver()).toEqual({ batchItemFailures: [] });
      expect(tap.totals().TextsSuppressed).toEqual({
        total: 3,
        by: { category: { marketing: 1, service: 2 }, reason: { erased: 3 } },
      });
    } finally {
      tap.stop();
    }
    expect(shop.sent).toEqual([]);
    const proof = pseudonymsOf(localPhoneProofKey, phone).proof;
    for (const sms of Object.values(queued)) {
      const record = await messageRecord(env, sms);
      expect(record).toMatchObject({ status: 'suppressed', reason: 'erased', to: proof });
      expect(record).not.toHaveProperty('body');
      expect(record).not.toHaveProperty('text');
    }
    expect(await readCampaignStats(db, env.table('campaigns'), merchant.merchantId, campaignId)).toEqual({
      'suppressed.erased': 1,
    });
    expect(await itemsNaming(phone)).toEqual([]);
  });

  it('sends a text queued after the erasure: the phone may text the shop again and be answered', async () => {
    const { merchant, phone } = await memberOfNewShop();
    const shop = await sender();
    await erase(merchant, phone);
    const later = text(merchant, phone, { body: '您还不是会员，回复注册即可加入' });
    // A minute and more after the erasure: not decided on the erased member's data.
    await shop.queue([later], new Date(erasedAt.getTime() + 61_000));
    await shop.deliver();
    expect(shop.sent.map((sent) => sent.to)).toEqual([phone]);
    expect(await messageRecord(env, later)).toMatchObject({ status: 'sent', to: phone });
  });

  it('keeps no phone of a text the provider took at the instant of the erasure', async () => {
    const { merchant, phone } = await memberOfNewShop();
    const shop = await sender();
    const sms = text(merchant, phone);
    await shop.queue([sms], queuedAt);
    // The check before the send found no erasure; the erasure lands while the provider has the text.
    shop.onSend(async () => {
      await erase(merchant, phone);
    });
    await shop.deliver();
    expect(shop.sent).toHaveLength(1);
    const record = await messageRecord(env, sms);
    const proof = pseudonymsOf(localPhoneProofKey, phone).proof;
    expect(record).toMatchObject({
      status: 'sent',
      to: proof,
      recipientPk: `${merchant.merchantId}#${proof}`,
    });
    expect(record).not.toHaveProperty('text');
    expect(await itemsNaming(phone)).toEqual([]);
  });
});
