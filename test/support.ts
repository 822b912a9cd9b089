import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import type { Caller } from '../functions/merchant-api/auth';
import { newApiKey } from '../shared/domain/api-keys';
import { Env } from '../shared/env';
import {
  buckets,
  eventBus,
  type FunctionName,
  functionEnvironment,
  queues,
  type ResourceLocator,
  tables,
} from '../shared/resources';
import { type Merchant, merchantSchema } from '../shared/schemas/merchant';
import type { OutboundSms } from '../shared/schemas/sms';
import { directoryStore } from '../shared/store/directory';
import { exchangesStore } from '../shared/store/exchanges';
import { scanAll } from '../shared/store/paging';

/** Clients for the run's DynamoDB Local, with the local table names. */
export function testEnv(extra: Record<string, string> = {}): Env {
  return new Env({
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    ...Object.fromEntries(Object.values(tables).map((table) => [table.envVar, table.name])),
    ...extra,
  });
}

const closedPort = 'http://127.0.0.1:9';
const closedPortLocator: ResourceLocator = {
  tableName: (key) => tables[key].name,
  queueUrl: (key) => `${closedPort}/000000000000/${queues[key].name}`,
  bucketName: (key) => buckets[key].name,
  busName: eventBus.name,
  schedulerRoleArn: (group) => `arn:aws:iam::000000000000:role/${group}-scheduler`,
  scheduleTargetArn: (group) => `arn:aws:lambda:us-east-1:000000000000:function:${group}-target`,
};

/**
 * A function's own environment, as the stack gives it, for its `depsFromEnv`: DynamoDB is the run's
 * DynamoDB Local, and every other AWS service a closed port, so a call the test did not replace
 * fails loudly.
 */
export function functionTestEnv(name: FunctionName, extra: Record<string, string> = {}): Env {
  return testEnv({
    ...functionEnvironment(name, closedPortLocator),
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SQS: closedPort,
    AWS_ENDPOINT_URL_S3: closedPort,
    AWS_ENDPOINT_URL_EVENTBRIDGE: closedPort,
    AWS_ENDPOINT_URL_SCHEDULER: closedPort,
    ...extra,
  });
}

/** A text's message record, read strongly consistent. */
export async function messageRecord(env: Env, sms: Pick<OutboundSms, 'merchantId' | 'messageId'>) {
  const { Item } = await env.dynamo().send(
    new GetCommand({
      TableName: env.table('messages'),
      Key: { pk: `${sms.merchantId}#${sms.messageId}` },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/** A merchant of its own for each test: tests never see each other's data. */
export async function newMerchant(env = testEnv()): Promise<{ merchant: Merchant; apiKey: string }> {
  const suffix = randomUUID().slice(0, 8);
  const merchant: Merchant = merchantSchema.parse({
    merchantId: `m-${suffix}`,
    name: '测试商户',
    signature: '【测试商户】',
    senderNumber: `+86106${digits(9)}`,
    defaultCountry: 'CN',
    timeZone: 'Asia/Shanghai',
    createdAt: new Date().toISOString(),
  });
  const { apiKey, stored } = newApiKey();
  if (!(await directoryStore(env.dynamo(), env.table('directory')).createMerchant(merchant, stored))) {
    throw new Error(`test merchant ${merchant.merchantId} could not be created`);
  }
  return { merchant, apiKey };
}

/** A mobile number no other test uses. */
export function newPhone(): string {
  return `+86139${digits(8)}`;
}

function digits(count: number): string {
  return Array.from({ length: count }, () => Math.floor(Math.random() * 10)).join('');
}

/** The exchanges store over the test tables: claims of benefits priced in points. */
export function testExchanges(env: Env) {
  return exchangesStore(env.dynamo(), {
    benefits: env.table('benefits'),
    ledger: env.table('ledger'),
    members: env.table('members'),
    outbox: env.table('outbox'),
  });
}

/** The event a write committed to the outbox under its event id, as `outbox-publisher` will publish it. */
export async function outboxEvent(env: Env, merchantId: string, eventId: string) {
  const { Item } = await env.dynamo().send(
    new GetCommand({
      TableName: env.table('outbox'),
      Key: { pk: `${merchantId}#${eventId}` },
      ConsistentRead: true,
    }),
  );
  return Item && { detailType: Item.detailType as string, detail: Item.detail as Record<string, unknown> };
}

/**
 * Every event the merchant's writes committed to the outbox (the outbox keeps no order: sorted by
 * detail-type, then event id), optionally only those naming `about` (a phone or a member id).
 */
export async function outboxEvents(env: Env, merchantId: string, about?: string[]) {
  const items = [];
  for await (const item of scanAll(env.dynamo(), {
    TableName: env.table('outbox'),
    FilterExpression: 'begins_with(pk, :merchant)',
    ExpressionAttributeValues: { ':merchant': `${merchantId}#` },
    ConsistentRead: true,
  }))
    items.push(item);
  return items
    .map((item) => ({
      detailType: item.detailType as string,
      detail: item.detail as Record<string, unknown>,
    }))
    .filter(
      ({ detail }) =>
        !about || about.includes(detail.phone as string) || about.includes(detail.memberId as string),
    )
    .sort(
      (a, b) =>
        a.detailType.localeCompare(b.detailType) ||
        String(a.detail.eventId).localeCompare(String(b.detail.eventId)),
    );
}

/** The caller an API key of `merchant` is, for tests that call a route's handler directly. */
export function apiKeyCaller(merchant: Merchant): Caller {
  return { merchant, role: 'owner', actor: { kind: 'api-key', keyId: 'test-key' } };
}
