import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

/**
 * What S3 sends to a queue when an object is created (event notification, schema 2.x). Only the
 * fields the consumers read are checked; S3 sends more. Configuring a notification makes S3 send
 * one `s3:TestEvent` first, which carries no object.
 */
const objectCreatedSchema = lazySchema(() =>
  z.looseObject({
    eventSource: z.literal('aws:s3'),
    eventName: z.string().startsWith('ObjectCreated:'),
    eventTime: z.iso.datetime(),
    s3: z.looseObject({
      bucket: z.looseObject({ name: z.string().min(1) }),
      object: z.looseObject({
        /** URL-encoded, with spaces as `+`. */
        key: z.string().min(1),
        size: z.int().nonnegative().optional(),
        eTag: z.string().optional(),
        sequencer: z.string().optional(),
      }),
    }),
  }),
);

export const s3NotificationSchema = lazySchema(() =>
  z.union([
    z.object({ Records: z.array(objectCreatedSchema).min(1) }),
    z.object({ Service: z.literal('Amazon S3'), Event: z.literal('s3:TestEvent') }),
  ]),
);
export type S3Notification = z.input<typeof s3NotificationSchema>;

export interface CreatedObject {
  bucket: string;
  key: string;
}

/** The objects a notification announces (none for S3's test event); a malformed one throws. */
export function createdObjects(body: string): CreatedObject[] {
  const notification = s3NotificationSchema.parse(JSON.parse(body));
  if (!('Records' in notification)) return [];
  return notification.Records.map(({ s3 }) => ({
    bucket: s3.bucket.name,
    key: decodeURIComponent(s3.object.key.replace(/\+/g, '%20')),
  }));
}

/** A key as S3 writes it into a notification: URL-encoded, spaces as `+`, slashes kept. */
export function notificationKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}
