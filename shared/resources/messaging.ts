export interface QueueDefinition {
  envVar: string;
  name: string;
  /** How long a received message stays invisible; longer than the consumer's timeout. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** Records per Lambda invocation. */
  batchSize: number;
}

export const queues = {
  /** Every text the system sends goes through here to the send-sms function. */
  outbound: {
    envVar: 'OUTBOUND_QUEUE_URL',
    name: 'outbound-sms',
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 5,
    batchSize: 10,
  },
  /**
   * S3 announces each uploaded import file here. One file per invocation; a message comes back only
   * after the 900 s run that received it has ended, and a file that fails 3 times is kept in the DLQ.
   */
  imports: {
    envVar: 'IMPORTS_QUEUE_URL',
    name: 'member-imports',
    visibilityTimeoutSeconds: 960,
    maxReceiveCount: 3,
    batchSize: 1,
  },
} as const satisfies Record<string, QueueDefinition>;

export type QueueKey = keyof typeof queues;

export const eventBus = { envVar: 'EVENT_BUS_NAME', name: 'mcrm', source: 'mcrm' } as const;

export interface TopicDefinition {
  /** Logical name; the construct id in CDK and the topic's name locally. */
  name: string;
}

export const topics = {
  /** The SMS provider's two-way channel publishes every text a member sends here. */
  'inbound-sms': { name: 'inbound-sms' },
  /** The SMS configuration set's event destination: every final delivery outcome of a sent text. */
  'sms-events': { name: 'sms-events' },
} as const satisfies Record<string, TopicDefinition>;

export type TopicKey = keyof typeof topics;
