import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DomainEvent } from '../../events';
import { eventBridgePublisher } from '../../shared/bus/event-bridge-publisher';
import type { EventPublisher } from '../../shared/bus/publisher';
import { type Env, eventBridgeClient } from '../../shared/env';
import { logger } from '../../shared/log';
import { count, metricNames, publishMetrics } from '../../shared/metrics';
import { eventBus } from '../../shared/resources';
import { membersStore } from '../../shared/store/members';
import type { OutboxItem } from '../../shared/store/outbox';

export interface OutboxPublisherDeps {
  events: EventPublisher;
  /** The book's balance of the member now, or undefined when the member cannot be read (erased). */
  balanceOf(
    merchantId: string,
    memberId: string,
    book: 'points' | 'storedValue',
  ): Promise<number | undefined>;
}

/** PutEvents takes ten entries a call: records are published ten at a time, in stream order. */
const chunkSize = 10;

/** The event an outbox item holds, with a ledger event's balance read now. */
async function eventOf(item: OutboxItem, deps: OutboxPublisherDeps): Promise<DomainEvent> {
  if (!item.balanceOf) return { detailType: item.detailType, detail: item.detail };
  const { memberId, book } = item.balanceOf;
  const balance = await deps.balanceOf(item.detail.merchantId, memberId, book);
  return {
    detailType: item.detailType,
    detail: { ...item.detail, ...(balance === undefined ? {} : { balance }) },
  };
}

/**
 * The Outbox table's stream: each new item is an event committed with the write it tells of, put on
 * the bus here, in order. A chunk the bus refuses is reported as the batch's first failure, so Lambda
 * hands it (and what follows) to the next invocation; the ones before it are done. Items changed or
 * removed (the table's TTL) publish nothing. Publishing twice (a retried chunk) is harmless:
 * subscribers count each event id once.
 */
export function createHandler(deps: OutboxPublisherDeps) {
  return middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const inserts = event.Records.filter(
      (record) => record.eventName === 'INSERT' && record.dynamodb?.NewImage,
    );
    for (let start = 0; start < inserts.length; start += chunkSize) {
      const chunk = inserts.slice(start, start + chunkSize);
      try {
        const events = await Promise.all(chunk.map((record) => eventOf(itemOf(record), deps)));
        await deps.events.publish(...events);
        logger.info('events published', {
          count: events.length,
          eventIds: events.map((published) => published.detail.eventId),
        });
      } catch (error) {
        logger.error('events not published; retried from here', { error: error as Error });
        count(metricNames.errors);
        return { batchItemFailures: [{ itemIdentifier: chunk[0]?.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

function itemOf(record: DynamoDBRecord): OutboxItem {
  const { detailType, detail, balanceOf } = unmarshall(
    record.dynamodb?.NewImage as Record<string, AttributeValue>,
  ) as OutboxItem;
  return { detailType, detail, ...(balanceOf ? { balanceOf } : {}) };
}

export function depsFromEnv(env: Env): OutboxPublisherDeps {
  const members = membersStore(env.dynamo(), env.table('members'));
  return {
    events: eventBridgePublisher(eventBridgeClient(env), env.get(eventBus.envVar)),
    async balanceOf(merchantId, memberId, book) {
      // The index leads from the id to the phone; the member item, read consistently, has the balance.
      const found = await members.byMemberId(merchantId, memberId);
      if (!found) return undefined;
      const { member } = await members.contact(merchantId, found.phone);
      return member?.memberId === memberId ? member[book] : undefined;
    },
  };
}
