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

/**
 * Texts sent per minute, for a chart of the campaign's pace: one small item per minute and shard
 * (`SENT#<campaign>#<minute>#<shard>`), added in the same transaction as the `sent` counter, spread
 * over the same shards so a fast minute does not write one item past its rate.
 */
const sentMinuteSk = (campaignId: string, minute: string, shard: number) =>
  `SENT#${campaignId}#${minute}#${shard}`;

/** The minute of an instant, as it names its item: `2026-12-07T21:05Z`. */
export const minuteOf = (at: Date): string => `${at.toISOString().slice(0, 16)}Z`;

/** The `Update` adding one text sent at `at` to its minute. */
export function sentMinuteIncrement(
  tableName: string,
  merchantId: string,
  campaignId: string,
  shardKey: string,
  at: Date,
) {
  return {
    Update: {
      TableName: tableName,
      Key: { pk: merchantId, sk: sentMinuteSk(campaignId, minuteOf(at), statsShard(shardKey)) },
      UpdateExpression: 'ADD sent :one',
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
}

export interface SentMinute {
  /** The minute's start, ISO 8601 in UTC. */
  minute: string;
  sent: number;
}

/**
 * The texts sent in the campaign's latest `minutes` minutes that sent any, oldest first. One query
 * of at most `minutes × shards` small items, newest first: a long recurring campaign reads no more.
 */
export async function readSentPerMinute(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  campaignId: string,
  minutes: number,
): Promise<SentMinute[]> {
  const { Items = [], LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': merchantId, ':prefix': `SENT#${campaignId}#` },
      ScanIndexForward: false,
      Limit: minutes * statsShards,
    }),
  );
  const sent = new Map<string, number>();
  for (const item of Items) {
    const minute = String(item.sk).split('#')[2] as string;
    sent.set(minute, (sent.get(minute) ?? 0) + Number(item.sent ?? 0));
  }
  const newestFirst = [...sent.entries()];
  // The oldest minute read may have shards beyond the page: it is left out rather than shown short.
  if (LastEvaluatedKey && newestFirst.length > 1) newestFirst.pop();
  return newestFirst
    .slice(0, minutes)
    .reverse()
    .map(([minute, count]) => ({ minute: `${minute.slice(0, 16)}:00.000Z`, sent: count }));
}
