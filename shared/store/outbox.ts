import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
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

export function outboxPut(tableName: string, item: OutboxItem, at: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        pk: `${item.detail.merchantId}#${item.detail.eventId}`,
        ...item,
        expiresAt: Math.floor(at.getTime() / 1000) + outboxKeepSeconds,
      },
    },
  };
}
