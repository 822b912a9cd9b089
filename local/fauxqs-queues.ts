import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { buildApp } from 'fauxqs';
import { type QueueDefinition, type QueueKey, queues } from '../shared/resources';
import { allowBrowserUploads, type ObjectWrite, watchObjectWrites } from './fauxqs-object-store';

/**
 * An SQS-compatible server (fauxqs) in this process, on 127.0.0.1. It serves S3 too, path-style on
 * the same port, to the console's uploads as well; `onObjectWrite` hears of every object it creates.
 */
export async function startSqsServer(
  onObjectWrite?: (write: ObjectWrite) => void,
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const app = buildApp({ logger: false, host: '127.0.0.1' });
  if (onObjectWrite) watchObjectWrites(app, onObjectWrite);
  allowBrowserUploads(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the SQS server has no port');
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => app.close() };
}

export interface LocalQueue {
  url: string;
  dlqUrl: string;
}

/** Creates each declared queue with its dead-letter queue and redrive policy, as CDK does. */
export async function createQueues(
  sqs: SQSClient,
  visibilityTimeoutSeconds?: number,
): Promise<Record<QueueKey, LocalQueue>> {
  const entries = await Promise.all(
    (Object.entries(queues) as [QueueKey, QueueDefinition][]).map(async ([key, queue]) => {
      const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${queue.name}-dlq` }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      const main = await sqs.send(
        new CreateQueueCommand({
          QueueName: queue.name,
          Attributes: {
            VisibilityTimeout: String(visibilityTimeoutSeconds ?? queue.visibilityTimeoutSeconds),
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: Attributes?.QueueArn,
              maxReceiveCount: queue.maxReceiveCount,
            }),
          },
        }),
      );
      return [key, { url: main.QueueUrl as string, dlqUrl: dlq.QueueUrl as string }] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<QueueKey, LocalQueue>;
}

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

/**
 * Feeds a queue to a handler the way Lambda's SQS event source does: batches of up to
 * `batchSize`, records the handler reports as failed stay on the queue and come back after the
 * visibility timeout; the queue's redrive policy moves them to the DLQ after maxReceiveCount.
 */
export function pollQueue(sqs: SQSClient, queueUrl: string, batchSize: number, handler: SqsHandler) {
  let running = true;
  const loop = (async () => {
    while (running) {
      await pollOnce().catch(async (error) => {
        if (running) {
          console.error('queue poll failed; retrying', error);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      });
    }
  })();
  async function pollOnce() {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return;
    const event: SQSEvent = {
      Records: Messages.map((message) => ({
        messageId: message.MessageId as string,
        receiptHandle: message.ReceiptHandle as string,
        body: message.Body ?? '',
        attributes: message.Attributes as SQSEvent['Records'][number]['attributes'],
        messageAttributes: {},
        md5OfBody: message.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueUrl,
        awsRegion: 'us-east-1',
      })),
    };
    let failed: Set<string>;
    try {
      const response = await handler(event);
      failed = new Set(response?.batchItemFailures.map((item) => item.itemIdentifier));
    } catch {
      // A thrown invocation fails the whole batch, as in Lambda.
      failed = new Set(event.Records.map((record) => record.messageId));
    }
    const done = Messages.filter((message) => !failed.has(message.MessageId as string));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
    }
  }
  return {
    async stop() {
      running = false;
      await loop.catch(() => undefined);
    },
  };
}
