import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type OutboundSms, outboundSmsSchema } from '../schemas/sms';
import { EnqueueError, type OutboundDelays, type OutboundQueue } from './outbound-queue';

/**
 * Every text queued carries when it was first queued (`queuedAt`), which a text queued again keeps:
 * the sender holds back a text queued before its phone was erased.
 */
export function sqsOutboundQueue(
  client: SQSClient,
  queueUrl: string,
  clock: () => Date = () => new Date(),
): OutboundQueue {
  const body = (sms: OutboundSms) =>
    JSON.stringify(outboundSmsSchema.parse({ queuedAt: clock().toISOString(), ...sms }));
  return {
    async enqueue(sms) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body(sms) }));
    },
    async enqueueMany(texts) {
      for (let i = 0; i < texts.length; i += 10) {
        const result = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: texts.slice(i, i + 10).map((sms, n) => ({
              Id: String(n),
              MessageBody: body(sms),
            })),
          }),
        );
        // A retry of the whole job is safe: every text carries its send-once id.
        if (result.Failed?.length) throw new EnqueueError(result.Failed.length);
      }
    },
  };
}

export function sqsOutboundDelays(client: SQSClient, queueUrl: string): OutboundDelays {
  return {
    async enqueueLater(sms, delaySeconds) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(outboundSmsSchema.parse(sms)),
          DelaySeconds: delaySeconds,
        }),
      );
    },
    async redeliverLater(receiptHandle, delaySeconds) {
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: delaySeconds,
        }),
      );
    },
  };
}
