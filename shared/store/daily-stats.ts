import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DailyCounts,
  dailyCounters,
  type StoreDailyCounts,
  storeDailyCounters,
} from '../domain/daily-stats';
import { cancellationCodes, retryConflicts } from './transactions';

/**
 * The dashboard's daily figures, in the DailyStats table: one item per merchant and calendar day of
 * the merchant's (`pk` merchant id, `sk` `YYYY-MM-DD`), each counter moved with an atomic ADD in the
 * same transaction as the proof it was counted once: an event's marker in the Idempotency table, or
 * a sent text's message record leaving `sending` (shared/store/messages.ts). Reading 30 days is one
 * Query of at most 30 items, whatever the number of members.
 */
export interface DailyStatsStore {
  /** Adds an event's counts to its day, once per event id. */
  count(
    merchantId: string,
    day: string,
    eventId: string,
    counts: DailyCounts,
    store?: StoreDay,
  ): Promise<'counted' | 'duplicate'>;
  /** The counters of each day from `from` to `to` that has any, by date. */
  days(merchantId: string, from: string, to: string): Promise<Map<string, DailyCounts>>;
  /** A store's counters of each day from `from` to `to` (the store's calendar) that has any, by date. */
  storeDays(
    merchantId: string,
    storeId: string,
    from: string,
    to: string,
  ): Promise<Map<string, StoreDailyCounts>>;
}

/** What an event adds to the store it was recorded at, on the store's own calendar day. */
export interface StoreDay {
  storeId: string;
  day: string;
  counts: StoreDailyCounts;
}

/** A store's days are kept apart from the merchant's, under their own key. */
const storePk = (merchantId: string, storeId: string) => `${merchantId}#STORE#${storeId}`;

/** How long an event's marker is kept: longer than any redelivery of it (as for activity facts). */
const markerDays = 35;

/** The `Update` of a `TransactWriteItems` request adding `counts` to a merchant's day. */
export function dailyStatsIncrement(
  tableName: string,
  merchantId: string,
  day: string,
  counts: DailyCounts | StoreDailyCounts,
) {
  const entries = Object.entries(counts).filter(([, n]) => n !== undefined && n !== 0) as [string, number][];
  if (entries.length === 0) return undefined;
  return {
    Update: {
      TableName: tableName,
      Key: { pk: merchantId, sk: day },
      UpdateExpression: `ADD ${entries.map(([name]) => `${name} :${name}`).join(', ')}`,
      ExpressionAttributeValues: Object.fromEntries(entries.map(([name, n]) => [`:${name}`, n])),
    },
  };
}

/** The daily figures to read only: for the API, which counts nothing, and so has no Idempotency table. */
export function dailyStatsReader(
  db: DynamoDBDocumentClient,
  tableName: string,
): Pick<DailyStatsStore, 'days' | 'storeDays'> {
  /** The counters of the partition's days from `from` to `to`, by date. */
  const read = async <Counter extends string>(
    pk: string,
    from: string,
    to: string,
    counters: readonly Counter[],
  ) => {
    const { Items = [] } = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
      }),
    );
    const days = new Map<string, Partial<Record<Counter, number>>>();
    for (const item of Items) {
      const counts: Partial<Record<Counter, number>> = {};
      for (const counter of counters) if (typeof item[counter] === 'number') counts[counter] = item[counter];
      days.set(String(item.sk), counts);
    }
    return days;
  };
  return {
    days: (merchantId, from, to) => read(merchantId, from, to, dailyCounters),
    storeDays: (merchantId, storeId, from, to) =>
      read(storePk(merchantId, storeId), from, to, storeDailyCounters),
  };
}

export function dailyStatsStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  idempotencyTable: string,
): DailyStatsStore {
  return {
    ...dailyStatsReader(db, tableName),
    async count(merchantId, day, eventId, counts, store) {
      const increments = [
        dailyStatsIncrement(tableName, merchantId, day, counts),
        store && dailyStatsIncrement(tableName, storePk(merchantId, store.storeId), store.day, store.counts),
      ].filter((increment) => increment !== undefined);
      const marker = {
        Put: {
          TableName: idempotencyTable,
          Item: {
            id: `daily-stats#${merchantId}#${eventId}`,
            expiration: Math.floor(Date.now() / 1000) + markerDays * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(id)',
        },
      };
      try {
        // Every event of a merchant's day moves one item, so events at once conflict more often than
        // most writes: more attempts before the event is failed and delivered again.
        await retryConflicts(
          () => db.send(new TransactWriteCommand({ TransactItems: [marker, ...increments] })),
          8,
        );
        return 'counted';
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return 'duplicate';
        throw error;
      }
    },
  };
}
