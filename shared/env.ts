import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type QueueKey, queues, type TableKey, tables } from './resources';

export class MissingSettingError extends Error {
  constructor(readonly setting: string) {
    super(`environment variable ${setting} is not set`);
    this.name = 'MissingSettingError';
  }
}

/**
 * A function's settings and AWS clients, read from its environment: in Lambda the variables CDK
 * sets, locally the same variables built by the local runtime. The standard AWS_ENDPOINT_URL_*
 * variables point clients at the local servers.
 */
export class Env {
  #dynamoClient?: DynamoDBClient;
  #dynamo?: DynamoDBDocumentClient;
  #sqs?: SQSClient;
  #eventBridge?: EventBridgeClient;

  constructor(private readonly vars: Readonly<Record<string, string | undefined>>) {}

  get(name: string): string {
    const value = this.vars[name];
    if (!value) throw new MissingSettingError(name);
    return value;
  }

  optional(name: string): string | undefined {
    return this.vars[name] || undefined;
  }

  table(key: TableKey): string {
    return this.get(tables[key].envVar);
  }

  queueUrl(key: QueueKey): string {
    return this.get(queues[key].envVar);
  }

  dynamoClient(): DynamoDBClient {
    this.#dynamoClient ??= new DynamoDBClient(this.clientConfig('DYNAMODB'));
    return this.#dynamoClient;
  }

  dynamo(): DynamoDBDocumentClient {
    this.#dynamo ??= DynamoDBDocumentClient.from(this.dynamoClient(), {
      marshallOptions: { removeUndefinedValues: true },
    });
    return this.#dynamo;
  }

  sqs(): SQSClient {
    this.#sqs ??= new SQSClient(this.clientConfig('SQS'));
    return this.#sqs;
  }

  eventBridge(): EventBridgeClient {
    this.#eventBridge ??= new EventBridgeClient(this.clientConfig('EVENTBRIDGE'));
    return this.#eventBridge;
  }

  private clientConfig(service: string) {
    const endpoint = this.optional(`AWS_ENDPOINT_URL_${service}`);
    const region = this.optional('AWS_REGION');
    if (!endpoint) return region ? { region } : {};
    // Local servers accept any credentials; fixed ones keep a developer's real keys out of play.
    return {
      endpoint,
      region: region ?? 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
  }
}
