import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localPhoneProofKey } from './domain/phone-proof';
import { type BucketKey, buckets, type QueueKey, queues, settings, type TableKey, tables } from './resources';

export class MissingSettingError extends Error {
  constructor(readonly setting: string) {
    super(`environment variable ${setting} is not set`);
    this.name = 'MissingSettingError';
  }
}

/** The settings an AWS client gets from the environment: a local endpoint when one is set, the region. */
export type ClientConfig =
  | { region?: string }
  | { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };

/**
 * A function's settings and AWS clients, read from its environment: in Lambda the variables CDK
 * sets, locally the same variables built by the local runtime. The standard AWS_ENDPOINT_URL_*
 * variables point clients at the local servers. Every function uses DynamoDB, so its clients are
 * methods here; the other clients are functions of an Env below, so that a function's bundle holds
 * only the clients the function uses.
 */
/**
 * The key phones' proofs are made with: the deployment's secret (set by the stack on the functions
 * that pseudonymise phones), or the local runtime's fixed key where none is set.
 */
export function phoneProofKeyOf(env: Env): string {
  return env.optional(settings.phoneProofKey) ?? localPhoneProofKey;
}

export class Env {
  #dynamoClient?: DynamoDBClient;
  #dynamo?: DynamoDBDocumentClient;

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

  /** `service` as in the AWS_ENDPOINT_URL_<service> variable that points the client at a local server. */
  clientConfig(service: string): ClientConfig {
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

const clients = new WeakMap<Env, Map<string, unknown>>();

/** The environment's one client of a kind, made on first use. */
function clientOf<T>(env: Env, kind: string, make: () => T): T {
  const made = clients.get(env) ?? new Map<string, unknown>();
  clients.set(env, made);
  if (!made.has(kind)) made.set(kind, make());
  return made.get(kind) as T;
}

export function sqsClient(env: Env): SQSClient {
  return clientOf(env, 'SQS', () => new SQSClient(env.clientConfig('SQS')));
}

export function s3Client(env: Env): S3Client {
  return clientOf(env, 'S3', () => {
    const local = env.optional('AWS_ENDPOINT_URL_S3') !== undefined;
    return new S3Client({
      ...env.clientConfig('S3'),
      // A local server has no per-bucket host names: bucket.127.0.0.1 does not resolve.
      ...(local ? { forcePathStyle: true } : {}),
      // Checksums only where S3 requires them: a presigned PUT would otherwise carry the checksum of
      // an empty body, and S3 would refuse the file the merchant uploads with it.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
  });
}

export function eventBridgeClient(env: Env): EventBridgeClient {
  return clientOf(env, 'EVENTBRIDGE', () => new EventBridgeClient(env.clientConfig('EVENTBRIDGE')));
}

export function schedulerClient(env: Env): SchedulerClient {
  return clientOf(env, 'SCHEDULER', () => new SchedulerClient(env.clientConfig('SCHEDULER')));
}
