import {
  type DynamoDBDocumentClient,
  PutCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../events/catalog';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The transactional outbox, in the Outbox table: `pk` `<merchant>#<event id>`, the event's
 * `detailType` and `detail`, kept a day (`expiresAt`). An event is written in the same transaction as
 * the write it tells of, so it exists exactly when the write does; the table's stream hands each new
 * item to `outbox-publisher`, which puts it on the bus. A write retried under its idempotency key
 * writes nothing, so neither does its event: the event id stays the one subscribers count once by.
 *
 * `balanceOf`: a ledger event's `balance` (the book's balance with the entry in) is read when the
 * event is published, as the transaction adds to the balance without reading it.
 */
export const outboxKeepSeconds = 86_400;

export interface OutboxItem {
  detailType: string;
  detail: DomainEvent['detail'];
  balanceOf?: { memberId: string; book: 'points' | 'storedValue' };
}

const outboxItem = (item: OutboxItem, at: Date) => ({
  pk: `${item.detail.merchantId}#${item.detail.eventId}`,
  ...item,
  expiresAt: Math.floor(at.getTime() / 1000) + outboxKeepSeconds,
});

export function outboxPut(tableName: string, item: OutboxItem, at: Date): TransactItem {
  return { Put: { TableName: tableName, Item: outboxItem(item, at) } };
}

/**
 * The outbox items of the events a write tells of, for its own transaction. A store given events
 * without an Outbox table is wired wrong: refused, rather than the events silently dropped.
 */
export function eventPuts(
  tableName: string | undefined,
  events: readonly DomainEvent[] | undefined,
  at: Date,
): TransactItem[] {
  if (!events || events.length === 0) return [];
  if (!tableName) throw new Error('events to commit with a write, but no Outbox table to write them to');
  return events.map((event) => outboxPut(tableName, event, at));
}

/** Commits events that are writes of their own (no other item to join): an item each, put as is. */
export interface OutboxWriter {
  commit(events: readonly DomainEvent[], at: Date): Promise<void>;
}

export function outboxWriter(db: DynamoDBDocumentClient, tableName: string): OutboxWriter {
  return {
    async commit(events, at) {
      // A put again under the same event id changes nothing the stream's reader publishes (inserts only).
      await Promise.all(
        events.map((event) => db.send(new PutCommand({ TableName: tableName, Item: outboxItem(event, at) }))),
      );
    },
  };
}
