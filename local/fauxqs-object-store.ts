import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { buildApp } from 'fauxqs';
import { type BucketDefinition, buckets, type QueueKey } from '../shared/resources';
import { notificationKey, type S3Notification } from '../shared/schemas/s3-notification';

/**
 * S3 locally is fauxqs's, on the SQS server's port (path-style: `/<bucket>/<key>`). fauxqs has no
 * bucket notifications, so the runtime watches the writes it answers and sends the notification S3
 * would send for each declared bucket's uploads, to the declared queue.
 */

export interface ObjectWrite {
  bucket: string;
  key: string;
  eventName: 'ObjectCreated:Put' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload';
  size?: number;
  eTag?: string;
}

type FauxqsApp = ReturnType<typeof buildApp>;

/** What the hook reads of Fastify's request and reply (fauxqs's types do not reach Fastify's here). */
interface AnsweredRequest {
  method: string;
  params?: { bucket?: string; '*'?: string };
  query: Record<string, string | undefined>;
  headers: Record<string, string | string[] | undefined>;
}
interface SentReply {
  statusCode: number;
  getHeader(name: string): unknown;
}

/** Calls `onWrite` after each object fauxqs has created; register before the server listens. */
export function watchObjectWrites(app: FauxqsApp, onWrite: (write: ObjectWrite) => void): void {
  app.addHook('onResponse', async ({ method, params, query, headers }: AnsweredRequest, reply: SentReply) => {
    const key = params?.['*'];
    // PUT /<bucket> and PUT /<bucket>/ create the bucket; PUT …?partNumber&uploadId is one part.
    if (reply.statusCode !== 200 || !params?.bucket || !key) return;
    const object = { bucket: params.bucket, key, eTag: header(reply.getHeader('etag')) };
    if (method === 'PUT' && query.uploadId === undefined) {
      const copied = headers['x-amz-copy-source'] !== undefined;
      const size = Number(headers['content-length']);
      onWrite({
        ...object,
        eventName: copied ? 'ObjectCreated:Copy' : 'ObjectCreated:Put',
        ...(copied || Number.isNaN(size) ? {} : { size }),
      });
    } else if (method === 'POST' && query.uploadId !== undefined) {
      onWrite({ ...object, eventName: 'ObjectCreated:CompleteMultipartUpload' });
    }
  });
}

/**
 * Lets a page on another origin (the console) PUT a file by a presigned URL, as the imports bucket's
 * CORS rule does in AWS: fauxqs answers no preflight and sends no CORS headers. The signature, not
 * the origin, decides what may be written.
 */
export function allowBrowserUploads(app: FauxqsApp): void {
  app.addHook('onRequest', async (request: PreflightRequest, reply: PreflightReply) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string') return;
    reply.header('access-control-allow-origin', origin).header('vary', 'origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] === 'PUT') {
      await reply
        .code(204)
        .header('access-control-allow-methods', 'PUT')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '3600')
        .send();
    }
  });
}

/** What the preflight hook reads and writes of Fastify's request and reply. */
interface PreflightRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}
interface PreflightReply {
  code(status: number): PreflightReply;
  header(name: string, value: string): PreflightReply;
  send(): Promise<unknown> | PreflightReply;
}

function header(value: unknown): string | undefined {
  return typeof value === 'string' ? value.replace(/"/g, '') : undefined;
}

export async function createBuckets(s3: S3Client): Promise<void> {
  for (const bucket of Object.values(buckets)) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
  }
}

/** Sends each write under a declared bucket's upload prefix to its queue, as S3 notifications do. */
export function uploadNotifier(sqs: SQSClient, queueUrl: (key: QueueKey) => string) {
  return async (write: ObjectWrite): Promise<void> => {
    const declared = Object.values(buckets).find((bucket: BucketDefinition) => bucket.name === write.bucket);
    if (!declared || !write.key.startsWith(declared.uploadPrefix)) return;
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl(declared.notifies),
        MessageBody: JSON.stringify(notificationOf(write)),
      }),
    );
  };
}

function notificationOf(write: ObjectWrite): S3Notification {
  const now = new Date();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: now.toISOString(),
        eventName: write.eventName,
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'local-upload-notification',
          bucket: { name: write.bucket, arn: `arn:aws:s3:::${write.bucket}` },
          object: {
            key: notificationKey(write.key),
            ...(write.size === undefined ? {} : { size: write.size }),
            ...(write.eTag === undefined ? {} : { eTag: write.eTag }),
            sequencer: now.getTime().toString(16).toUpperCase(),
          },
        },
      },
    ],
  };
}
