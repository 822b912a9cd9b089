import { Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  EventType,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { type BucketDefinition, type BucketKey, buckets, type QueueKey } from '../../shared/resources';
import { pascalCase } from '../naming';

export interface StorageProps {
  queues: Record<QueueKey, Queue>;
}

/** Days the access logs are kept: who uploaded or read an import file, long after the file is gone. */
const accessLogDays = 365;

/**
 * Every declared bucket: private, encrypted, TLS only, emptied on its declared schedule, with its
 * server access logs in one log bucket, and each object created under its upload prefix announced
 * on its declared queue.
 */
export class Storage extends Construct {
  readonly buckets: Record<BucketKey, Bucket>;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    // Log delivery by bucket policy, limited to these buckets, instead of an ACL (which a bucket
    // with object ownership enforced refuses).
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ expiration: Duration.days(accessLogDays) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This is the access-log bucket: logging it would only log S3's own log deliveries.",
    });

    const entries = Object.entries(buckets).map(([key, def]: [string, BucketDefinition]) => {
      const bucket = new Bucket(this, pascalCase(def.name), {
        ...privateBucket,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${def.name}/`,
        // The console PUTs files here by the URL the API presigned; the signature, not the page's
        // origin, decides what may be written. Naming the console's origin would make the bucket
        // wait on the console's stack, which already waits on the bucket for its CSP.
        cors: [
          {
            allowedMethods: [HttpMethods.PUT],
            allowedOrigins: ['*'],
            allowedHeaders: ['content-type'],
            maxAge: 3600,
          },
        ],
        lifecycleRules: [
          {
            expiration: Duration.days(def.expireAfterDays),
            abortIncompleteMultipartUploadAfter: Duration.days(1),
          },
        ],
      });
      bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(props.queues[def.notifies]), {
        prefix: def.uploadPrefix,
      });
      return [key, bucket] as const;
    });
    this.buckets = Object.fromEntries(entries) as Record<BucketKey, Bucket>;
    this.acknowledgeNotificationsHandler();
  }

  /**
   * CDK configures bucket notifications with a custom resource whose function, one per stack, it
   * creates itself with AWS's basic execution policy: not ours to choose.
   */
  private acknowledgeNotificationsHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (!handler) return;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's bucket-notifications handler runs only during deployments; the managed policy lets it " +
        "write its logs, and its own policy allows s3:PutBucketNotification on this stack's buckets only.",
    });
  }
}

const privateBucket = {
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
};
