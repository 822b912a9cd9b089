import type { OutboundSms } from '../schemas/sms';

/** The port every text to send is queued through: the outbound SQS queue, in AWS and locally. */
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

/** SQS delays a message by at most 15 minutes; a longer wait is a chain of such hops. */
export const maxQueueDelaySeconds = 900;

/** What send-sms does with the outbound queue: texts put back for later, and retries pushed back. */
export interface OutboundDelays {
  /** The text again, delivered `delaySeconds` (0–900) from now. */
  enqueueLater(sms: OutboundSms, delaySeconds: number): Promise<void>;
  /** A received message that failed comes back `delaySeconds` from now (its visibility timeout). */
  redeliverLater(receiptHandle: string, delaySeconds: number): Promise<void>;
}
