import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type OutboundSms, outboundSmsSchema } from '../schemas/sms';

export interface OutboundQueue {
  enqueue(sms: OutboundSms): Promise<void>;
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
  };
}
