import { Duration, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  eventBus,
  type QueueKey,
  queues,
  type TopicDefinition,
  type TopicKey,
  topics,
} from '../../shared/resources';
import { pascalCase } from '../naming';
import { deadLetterQueue } from './dead-letters';

const smsVoice = 'sms-voice.amazonaws.com';

/** The outbound queues (each with its DLQ), the domain event bus and the declared SNS topics. */
export class Messaging extends Construct {
  readonly queues: Record<QueueKey, Queue>;
  readonly bus: EventBus;
  readonly topics: Record<TopicKey, Topic>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const entries = Object.entries(queues).map(([key, def]) => {
      const deadLetters = deadLetterQueue(this, `${def.name}-dlq`);
      const queue = new Queue(this, def.name, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(def.visibilityTimeoutSeconds),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: def.maxReceiveCount },
      });
      return [key, queue] as const;
    });
    this.queues = Object.fromEntries(entries) as Record<QueueKey, Queue>;

    this.bus = new EventBus(this, 'EventBus', { eventBusName: eventBus.name });

    // Each topic has its own publisher and policy, so a new declaration must be wired here by hand.
    this.topics = { 'inbound-sms': this.inboundSmsTopicFor(topics['inbound-sms']) };
  }

  /** End User Messaging SMS two-way channel publishes every inbound text here. */
  get inboundSmsTopic(): Topic {
    return this.topics['inbound-sms'];
  }

  private inboundSmsTopicFor(def: TopicDefinition): Topic {
    const id = pascalCase(def.name);
    const stack = Stack.of(this);
    // Only End User Messaging SMS in this account and region may publish (confused-deputy guard).
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sms-voice', resource: '*' }) },
    };
    // A customer managed key, because the AWS managed SNS key's policy cannot admit sms-voice.
    const key = new Key(this, `${id}Key`, {
      description: 'Encrypts inbound SMS (phone numbers and texts) on the inbound SNS topic',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(smsVoice)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions,
      }),
    );
    const topic = new Topic(this, id, { masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(smsVoice)],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions,
      }),
    );
    return topic;
  }
}
