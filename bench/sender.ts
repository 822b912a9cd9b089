import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHandler } from '../functions/send-sms/handler';
import { startDynamoDBLocal } from '../local/dynamodb-local';
import { createQueues, pollQueue, startSqsServer } from '../local/fauxqs-queues';
import { lambdaContext } from '../local/local-lambda';
import { createTables } from '../local/tables';
import { newApiKey } from '../shared/domain/api-keys';
import { busiestWindow } from '../shared/domain/rate-limit';
import { Env, sqsClient } from '../shared/env';
import { sqsOutboundDelays, sqsOutboundQueue } from '../shared/queue/sqs-outbound-queue';
import { functions, queues, tables } from '../shared/resources';
import type { OutboundSms } from '../shared/schemas/sms';
import type { SmsProvider } from '../shared/sms/provider';
import { directoryStore } from '../shared/store/directory';
import { erasureMarks } from '../shared/store/erasure-marks';
import { membersStore } from '../shared/store/members';
import { messagesStore } from '../shared/store/messages';
import { sendLimitsStore } from '../shared/store/send-limits';
import { templatesStore } from '../shared/store/templates';
import { type Benchmark, benchMerchant, table } from './benchmark';

export interface Backlog {
  texts: number;
  /** Concurrent pollers, each feeding batches to the handler as Lambda's SQS event source does. */
  pollers: number;
  mps: number;
}

/**
 * A merchant's backlog of service texts on a local SQS queue, drained by concurrent pollers of the
 * real send-sms handler against DynamoDB Local (tables already made). The provider is the edge: it
 * notes when each text reached it. Answers those instants (epoch ms), one per text sent.
 */
export async function drainBacklog(db: DynamoDBDocumentClient, backlog: Backlog): Promise<number[]> {
  const sqsServer = await startSqsServer();
  try {
    const sqs = sqsClient(new Env({ AWS_ENDPOINT_URL_SQS: sqsServer.endpoint }));
    const { outbound } = await createQueues(sqs);
    const merchant = benchMerchant({
      merchantId: `bench-${Date.now()}`,
      senderNumber: `+86106${String(Date.now()).slice(-9)}`,
      sending: { mps: backlog.mps },
    });
    await directoryStore(db, tables.directory.name).createMerchant(merchant, newApiKey().stored);
    const texts = Array.from(
      { length: backlog.texts },
      (_, i): OutboundSms => ({
        messageId: `bench-${i}`,
        merchantId: merchant.merchantId,
        to: `+86139${10_000_000 + i}`,
        body: `您的验证码是${100_000 + i}`,
        category: 'service',
        template: 'reply:code',
      }),
    );
    await sqsOutboundQueue(sqs, outbound.url).enqueueMany(texts);

    const sentAt: number[] = [];
    const provider: SmsProvider = {
      async send() {
        sentAt.push(Date.now());
        return { providerMessageId: `p-${sentAt.length}` };
      },
    };
    const handler = createHandler({
      directory: directoryStore(db, tables.directory.name),
      members: membersStore(db, tables.members.name),
      erasures: erasureMarks(db, tables.members.name),
      messages: messagesStore(db, tables.messages.name, tables.campaigns.name),
      templates: templatesStore(db, tables.campaigns.name),
      limits: sendLimitsStore(db, tables.sendLimits.name),
      queue: sqsOutboundDelays(sqs, outbound.url),
      provider,
      clock: () => new Date(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    const pollers = Array.from({ length: backlog.pollers }, () =>
      pollQueue(sqs, outbound.url, queues.outbound.batchSize, (event) =>
        handler(event, lambdaContext('send-sms', functions['send-sms'].timeoutSeconds)),
      ),
    );
    try {
      // Three times the paced duration, plus a minute: time enough on a loaded laptop.
      const deadline = Date.now() + (backlog.texts / backlog.mps) * 3000 + 60_000;
      while (sentAt.length < backlog.texts) {
        if (Date.now() > deadline) throw new Error(`sent ${sentAt.length} of ${backlog.texts} texts in time`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await Promise.all(pollers.map((poller) => poller.stop()));
    }
    return sentAt;
  } finally {
    await sqsServer.stop();
  }
}

const backlog: Backlog = { texts: 2_000, pollers: 4, mps: 20 };

/**
 * A 20-MPS sender with a 2,000-text backlog and four concurrent senders: the rate it achieved
 * against its limit (paced at 95% of it, so ~0.95 unless texts wake late), and the most texts in
 * any one-second window, which must never exceed the limit.
 */
export const senderBench: Benchmark = {
  title: 'Sender rate against its MPS limit (local SQS, DynamoDB Local)',
  async run() {
    const dynamo = await startDynamoDBLocal();
    try {
      const env = new Env({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
      await createTables(env.dynamoClient());
      const sentAt = await drainBacklog(env.dynamo(), backlog);
      const seconds = (Math.max(...sentAt) - Math.min(...sentAt)) / 1000;
      const perSecond = (sentAt.length - 1) / seconds;
      const report = table(
        [
          { header: 'texts sent', align: 'right' },
          { header: 'senders', align: 'right' },
          { header: 'MPS limit', align: 'right' },
          { header: 'texts/s', align: 'right' },
          { header: '÷ MPS', align: 'right' },
          { header: 'most in any 1 s', align: 'right' },
        ],
        [
          [
            String(sentAt.length),
            String(backlog.pollers),
            String(backlog.mps),
            perSecond.toFixed(2),
            (perSecond / backlog.mps).toFixed(3),
            String(busiestWindow(sentAt)),
          ],
        ],
      );
      const headlines = [
        {
          figure: `sender texts/s ÷ its MPS limit (${backlog.mps})`,
          value: (perSecond / backlog.mps).toFixed(3),
        },
        {
          figure: 'sender: most texts in any 1 s, of its MPS limit',
          value: `${busiestWindow(sentAt)} of ${backlog.mps}`,
        },
      ];
      return { ...report, headlines };
    } finally {
      await dynamo.stop();
    }
  },
};
