import type { QueueKey } from './messaging';

export interface BucketDefinition {
  /** Environment variable that carries the bucket name to a function. */
  envVar: string;
  /** Logical name; the local runtime uses it as the bucket name (CloudFormation names the deployed one). */
  name: string;
  /** Where clients upload; every object created under it is announced on `notifies`. */
  uploadPrefix: string;
  notifies: QueueKey;
  /** Objects are deleted this many days after they were written. */
  expireAfterDays: number;
}

export const buckets = {
  /**
   * Member import files, uploaded by the merchant with a presigned URL to
   * `uploads/<merchantId>/<importId>.<csv|jsonl>` and read once by `member-import`. They hold
   * members' personal data and nothing reads them after the import, so they are kept a week only.
   */
  imports: {
    envVar: 'IMPORTS_BUCKET',
    name: 'mcrm-imports',
    uploadPrefix: 'uploads/',
    notifies: 'imports',
    expireAfterDays: 7,
  },
} as const satisfies Record<string, BucketDefinition>;

export type BucketKey = keyof typeof buckets;
