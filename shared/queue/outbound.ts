import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { type OutboundSms, outboundSmsSchema } from '../schemas/sms';

export interface OutboundQueue {
  enqueue(sms: OutboundSms): Promise<void>;
  /** Many texts, ten to a request (the SQS batch limit). */
  enqueueMany(texts: readonly OutboundSms[]): Promise<void>;
}

export class EnqueueError extends Error {
  constructor(readonly failed: number) {
    super(`${failed} text(s) were not accepted by the outbound queue`);
    this.name = 'EnqueueError';
  }
}

export function sqsOutboundQueue(client: SQSClient, queueUrl: string): OutboundQueue {
  return {
    async enqueue(sms) {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(outboundSmsSchema.parse(sms)),
        }),
      );
    },
    async enqueueMany(texts) {
      for (let i = 0; i < texts.length; i += 10) {
        const result = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: texts.slice(i, i + 10).map((sms, n) => ({
              Id: String(n),
              MessageBody: JSON.stringify(outboundSmsSchema.parse(sms)),
            })),
          }),
        );
        // A retry of the whole job is safe: every text carries its send-once id.
        if (result.Failed?.length) throw new EnqueueError(result.Failed.length);
      }
    },
  };
}

/** SQS delays a message by at most 15 minutes; a longer wait is a chain of such hops. */
export const maxQueueDelaySeconds = 900;

/** What send-sms does with the outbound queue: texts put back for later, and retries pushed back. */
export interface OutboundDelays {
  /** The text again, delivered `delaySeconds` (0–900) from now. */
  enqueueLater(sms: OutboundSms, delaySeconds: number): Promise<void>;
  /** A received message that failed comes back `delaySeconds` from now (its visibility timeout). */
  redeliverLater(receiptHandle: string, delaySeconds: number): Promise<void>;
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
