import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Each campaign's outcome counters, kept in the Campaigns table and spread over a few items so a
 * fast campaign does not write one item past DynamoDB's per-item rate. Every increment is a
 * transaction item written together with the state change it counts (a message record leaving
 * `sending`, a fan-out checkpoint moving on), so a retried write never counts twice.
 */
export const statsShards = 10;

/** Counter names: `suppressed.<reason>`, `held.<reason>` and `expired.<reason>` are open-ended. */
export type StatsCounter =
  | 'targeted'
  | 'heldOut'
  | 'serviceNotices'
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'segments'
  | 'optOuts'
  | 'complaints'
  | `suppressed.${string}`
  | `held.${string}`
  /** Held texts released to be sent on a later day, and held texts that expired (by why they were held). */
  | 'released'
  | `expired.${string}`;

export type CampaignStats = Record<string, number>;

const statsSk = (campaignId: string, shard: number) => `STATS#${campaignId}#${shard}`;

/** The shard an increment goes to: stable for one key (message id, page cursor), spread across keys. */
export function statsShard(key: string): number {
  return createHash('sha1').update(key).digest().readUInt16BE(0) % statsShards;
}

/**
 * The `Update` of a `TransactWriteItems` request adding `counts` to a campaign's counters.
 * `shardKey` picks the item (the message id, say).
 */
export function statsIncrement(
  tableName: string,
  merchantId: string,
  campaignId: string,
  shardKey: string,
  counts: Partial<Record<StatsCounter, number>>,
) {
  const entries = Object.entries(counts).filter(([, n]) => n !== undefined && n !== 0) as [string, number][];
  if (entries.length === 0) return undefined;
  return {
    Update: {
      TableName: tableName,
      Key: { pk: merchantId, sk: statsSk(campaignId, statsShard(shardKey)) },
      // Counter names may hold '.', so each is a placeholder; ADD creates a missing counter at 0.
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
    },
  };
}

/** A campaign's counters, summed over its shards; counters never touched are absent. */
export async function readCampaignStats(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  campaignId: string,
): Promise<CampaignStats> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': merchantId, ':prefix': `STATS#${campaignId}#` },
      ConsistentRead: true,
    }),
  );
  const totals: CampaignStats = {};
  for (const item of Items) {
    for (const [name, value] of Object.entries(item)) {
      if (name === 'pk' || name === 'sk' || typeof value !== 'number') continue;
      totals[name] = (totals[name] ?? 0) + value;
    }
  }
  return totals;
}
