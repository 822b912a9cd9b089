import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Merchant, merchantSchema } from '../schemas/merchant';
import { scanAll } from './paging';

/**
 * Scheduled work that walks a whole merchant (the yearly tier evaluation) is checkpointed in the
 * Directory table under `JOB#<merchant>#<job>#<period>`: the cursor it reached and whether it is
 * done, so a run cut short by the Lambda timeout is continued by the next run, and a finished
 * period is never walked again.
 */
export interface JobState {
  status: 'running' | 'done';
  cursor?: string;
  processed: number;
  updatedAt: string;
}

export interface JobsStore {
  /** Every merchant, for jobs that run for all of them. The merchant count is small next to members. */
  merchants(): AsyncIterable<Merchant>;
  state(merchantId: string, job: string, period: string): Promise<JobState | undefined>;
  save(merchantId: string, job: string, period: string, state: JobState): Promise<void>;
}

export function jobsStore(db: DynamoDBDocumentClient, directoryTable: string): JobsStore {
  const key = (merchantId: string, job: string, period: string) => ({
    pk: `JOB#${merchantId}#${job}#${period}`,
  });
  return {
    async *merchants() {
      for await (const item of scanAll(db, {
        TableName: directoryTable,
        FilterExpression: 'begins_with(pk, :merchant)',
        ExpressionAttributeValues: { ':merchant': 'MERCHANT#' },
      })) {
        yield merchantSchema.parse(item);
      }
    },
    async state(merchantId, job, period) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: directoryTable,
          Key: key(merchantId, job, period),
          ConsistentRead: true,
        }),
      );
      return Item as JobState | undefined;
    },
    async save(merchantId, job, period, state) {
      await db.send(
        new PutCommand({ TableName: directoryTable, Item: { ...key(merchantId, job, period), ...state } }),
      );
    },
  };
}
