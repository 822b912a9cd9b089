import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BucketKey, buckets, type QueueKey, queues, type TableKey, tables } from './resources';

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
  #s3?: S3Client;
  #eventBridge?: EventBridgeClient;
  #scheduler?: SchedulerClient;

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

  bucket(key: BucketKey): string {
    return this.get(buckets[key].envVar);
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

  s3(): S3Client {
    const local = this.optional('AWS_ENDPOINT_URL_S3') !== undefined;
    this.#s3 ??= new S3Client({
      ...this.clientConfig('S3'),
      // A local server has no per-bucket host names: bucket.127.0.0.1 does not resolve.
      ...(local ? { forcePathStyle: true } : {}),
      // Checksums only where S3 requires them: a presigned PUT would otherwise carry the checksum of
      // an empty body, and S3 would refuse the file the merchant uploads with it.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    return this.#s3;
  }

  eventBridge(): EventBridgeClient {
    this.#eventBridge ??= new EventBridgeClient(this.clientConfig('EVENTBRIDGE'));
    return this.#eventBridge;
  }

  scheduler(): SchedulerClient {
    this.#scheduler ??= new SchedulerClient(this.clientConfig('SCHEDULER'));
    return this.#scheduler;
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
