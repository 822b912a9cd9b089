import { Duration, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
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
import { receiptEventTypes } from '../../shared/schemas/sms-event';
import { pascalCase } from '../naming';
import { deadLetterQueue } from './dead-letters';

const smsVoice = 'sms-voice.amazonaws.com';

export interface MessagingProps {
  /**
   * The End User Messaging SMS configuration set texts are sent through, created here under this
   * name with `sms-events` as its event destination. Without one the provider reports no delivery
   * outcomes, and messages stay `sent`.
   */
  smsConfigurationSet?: string;
}

/**
 * The outbound queues (each with its DLQ), the domain event bus, the declared SNS topics and the
 * SMS configuration set.
 */
export class Messaging extends Construct {
  readonly queues: Record<QueueKey, Queue>;
  readonly bus: EventBus;
  readonly topics: Record<TopicKey, Topic>;
  readonly configurationSet?: CfnConfigurationSet;

  constructor(scope: Construct, id: string, props: MessagingProps = {}) {
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
    this.topics = {
      'inbound-sms': this.smsVoiceTopicFor(topics['inbound-sms'], 'inbound SMS (phone numbers and texts)'),
      'sms-events': this.smsVoiceTopicFor(topics['sms-events'], 'SMS delivery events (phone numbers)'),
    };
    if (props.smsConfigurationSet) {
      this.configurationSet = new CfnConfigurationSet(this, 'SmsConfigurationSet', {
        configurationSetName: props.smsConfigurationSet,
        eventDestinations: [
          {
            eventDestinationName: topics['sms-events'].name,
            enabled: true,
            matchingEventTypes: receiptEventTypes,
            snsDestination: { topicArn: this.smsEventsTopic.topicArn },
          },
        ],
      });
    }
  }

  /** End User Messaging SMS two-way channel publishes every inbound text here. */
  get inboundSmsTopic(): Topic {
    return this.topics['inbound-sms'];
  }

  /** End User Messaging SMS publishes every final delivery outcome of a sent text here. */
  get smsEventsTopic(): Topic {
    return this.topics['sms-events'];
  }

  /** A topic only End User Messaging SMS may publish to, encrypted with a key of its own. */
  private smsVoiceTopicFor(def: TopicDefinition, contents: string): Topic {
    const id = pascalCase(def.name);
    const stack = Stack.of(this);
    // Only End User Messaging SMS in this account and region may publish (confused-deputy guard).
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sms-voice', resource: '*' }) },
    };
    // A customer managed key, because the AWS managed SNS key's policy cannot admit sms-voice.
    const key = new Key(this, `${id}Key`, {
      description: `Encrypts ${contents} on the ${def.name} SNS topic`,
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
