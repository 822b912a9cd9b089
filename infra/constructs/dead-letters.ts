import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue for what could not be processed or delivered. It keeps messages 14 days, the longest
 * SQS allows: time to find and fix the cause before replaying them.
 */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  deadLetterQueues.add(queue);
  return queue;
}

const deadLetterQueues = new WeakSet<Queue>();

/** Whether the queue was made by deadLetterQueue: every one of them has an alarm on any message in it. */
export const isDeadLetterQueue = (construct: unknown): construct is Queue =>
  construct instanceof Queue && deadLetterQueues.has(construct);
