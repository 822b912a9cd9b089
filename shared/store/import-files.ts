import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ImportFormat } from '../domain/member-import';
import { buckets } from '../resources';
import { importFormatSchema, importIdSchema } from '../schemas/member-import';
import { merchantIdSchema } from '../schemas/merchant';

/**
 * Import files in S3: `uploads/<merchantId>/<importId>.<csv|jsonl>`. The key alone says whose file
 * it is and which import it belongs to, so the notification S3 sends when it arrives is enough to
 * find the import, and a merchant's upload URL can only ever write that merchant's file.
 */
const { uploadPrefix } = buckets.imports;

const contentTypes: Record<ImportFormat, string> = { csv: 'text/csv', jsonl: 'application/x-ndjson' };

export function importFileKey(merchantId: string, importId: string, format: ImportFormat): string {
  return `${uploadPrefix}${merchantId}/${importId}.${format}`;
}

/** The import a key belongs to, or undefined for a key this layout never makes. */
export function importOfKey(key: string): { merchantId: string; importId: string } | undefined {
  const match = /^([^/]+)\/([^/.]+)\.([a-z]+)$/.exec(
    key.startsWith(uploadPrefix) ? key.slice(uploadPrefix.length) : '',
  );
  const merchantId = merchantIdSchema.safeParse(match?.[1]);
  const importId = importIdSchema.safeParse(match?.[2]);
  if (!merchantId.success || !importId.success || !importFormatSchema.safeParse(match?.[3]).success) {
    return undefined;
  }
  return { merchantId: merchantId.data, importId: importId.data };
}

export interface UploadUrl {
  url: string;
  method: 'PUT';
  /** Headers the upload must carry: they are part of the signature. */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface ImportFiles {
  /** A URL that lets whoever holds it PUT this one file, until it expires. */
  uploadUrl(
    merchantId: string,
    importId: string,
    format: ImportFormat,
    now: Date,
    validSeconds: number,
  ): Promise<UploadUrl>;
  /** The file's bytes as they arrive from S3, never held whole. */
  open(key: string): Promise<AsyncIterable<Buffer>>;
}

export function importFiles(s3: S3Client, bucket: string): ImportFiles {
  return {
    async uploadUrl(merchantId, importId, format, now, validSeconds) {
      const headers = { 'content-type': contentTypes[format] };
      const command = new PutObjectCommand({
        Bucket: bucket,
        Key: importFileKey(merchantId, importId, format),
        ContentType: headers['content-type'],
      });
      const url = await getSignedUrl(s3, command, {
        expiresIn: validSeconds,
        signingDate: now,
        signableHeaders: new Set(Object.keys(headers)),
      });
      return {
        url,
        method: 'PUT',
        headers,
        expiresAt: new Date(now.getTime() + validSeconds * 1000).toISOString(),
      };
    },

    async open(key) {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
      // In Node the SDK answers with the HTTP response stream itself.
      return Body as Readable;
    },
  };
}
