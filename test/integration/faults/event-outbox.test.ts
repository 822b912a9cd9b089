import { randomUUID } from 'node:crypto';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../events';
import { createHandler as dailyStatsHandler } from '../../../functions/daily-stats/handler';
import type { Request } from '../../../functions/merchant-api/http';
import { earn } from '../../../functions/merchant-api/ledger';
import * as outboxPublisher from '../../../functions/outbox-publisher/handler';
import { lambdaContext } from '../../../local/local-lambda';
import { localTableStream } from '../../../local/local-table-stream';
import { tables } from '../../../shared/resources';
import type { Merchant } from '../../../shared/schemas/merchant';
import { dailyStatsStore } from '../../../shared/store/daily-stats';
import { directoryStore } from '../../../shared/store/directory';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { functionTestEnv, newMerchant, newPhone, testEnv } from '../../support';

/**
 * An earn killed as Lambda can kill it, right after its ledger transaction committed and before
 * anything else: its event was committed with it in the outbox, so the outbox's stream still puts it
 * on the bus, and the dashboard's figures (a subscriber) count it exactly once, however often the bus
 * delivers it or the publisher is retried.
 */
const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'));

/** A DynamoDB client killed right after the next transaction commits, when armed. */
const killing = testEnv();
let killAfterCommit = false;
killing.dynamoClient().middlewareStack.add(
  (next, context) => async (args) => {
    const result = await next(args);
    if (killAfterCommit && context.commandName === 'TransactWriteItemsCommand') {
      killAfterCommit = false;
      throw new Error('Lambda killed');
    }
    return result;
  },
  { step: 'initialize', name: 'killAfterCommit' },
);
const ledger = ledgerStore(killing.dynamo(), env.table('ledger'), env.table('members'), env.table('outbox'));

const dailyStats = dailyStatsStore(db, env.table('dailyStats'), env.table('idempotency'));
const subscriber = dailyStatsHandler({ directory: directoryStore(db, env.table('directory')), dailyStats });

/** What the bus got, per merchant; each event handed to the subscriber twice, as EventBridge may. */
const onBus: DomainEvent[] = [];
let busRefusals = 0;
const deliverTwice = async (event: DomainEvent) => {
  for (let i = 0; i < 2; i++) {
    await subscriber(
      {
        version: '0',
        id: randomUUID(),
        'detail-type': event.detailType,
        source: 'mcrm',
        account: '000000000000',
        time: new Date().toISOString(),
        region: 'us-east-1',
        resources: [],
        detail: event.detail,
      },
      lambdaContext('daily-stats', 10),
    );
  }
};
const publisher = outboxPublisher.createHandler({
  ...outboxPublisher.depsFromEnv(functionTestEnv('outbox-publisher')),
  events: {
    async publish(...events) {
      if (busRefusals > 0) {
        busRefusals -= 1;
        throw new Error('the bus refused the entries');
      }
      onBus.push(...events);
      for (const event of events) await deliverTwice(event);
    },
  },
});

let stream: Awaited<ReturnType<typeof localTableStream>>;
beforeAll(async () => {
  stream = await localTableStream(
    env.dynamoClient(),
    new DynamoDBStreamsClient(env.clientConfig('DYNAMODB')),
    tables.outbox.name,
    (event) => publisher(event, lambdaContext('outbox-publisher', 30)),
    { retryDelaysMs: [50, 50] },
  );
});
afterAll(() => stream?.stop());

const earnFor = (merchant: Merchant, phone: string, key: string, body: object) =>
  earn(
    {
      pathParameters: { phone },
      headers: { 'idempotency-key': key },
      body: JSON.stringify(body),
      isBase64Encoded: false,
    } as unknown as Request,
    merchant,
    { members, ledger, events: { publish: async () => undefined }, clock: () => new Date() },
  ).then((response) => ({ status: response.statusCode, body: JSON.parse(response.body ?? '{}') }));

async function member(merchant: Merchant): Promise<string> {
  const phone = newPhone();
  await members.create({
    merchantId: merchant.merchantId,
    memberId: `mem-${randomUUID()}`,
    phone,
    joinedAt: new Date().toISOString(),
    joinChannel: 'merchant-api',
    joinRef: randomUUID(),
    points: 0,
  });
  return phone;
}

const pointsEarnedToday = async (merchantId: string) =>
  [...(await dailyStats.days(merchantId, '2000-01-01', '2999-12-31')).values()].reduce(
    (sum, counts) => sum + (counts.pointsEarned ?? 0),
    0,
  );

const eventsOf = (merchantId: string) => onBus.filter((event) => event.detail.merchantId === merchantId);

describe('an event committed with its write', () => {
  it('reaches the bus and its subscriber once, though the function died before doing anything after the write', async () => {
    const { merchant } = await newMerchant(env);
    const phone = await member(merchant);

    killAfterCommit = true;
    await expect(earnFor(merchant, phone, 'order-1', { purchaseCents: 12_000 })).rejects.toThrow(
      'Lambda killed',
    );
    await stream.drain();

    expect(eventsOf(merchant.merchantId).map((event) => [event.detailType, event.detail])).toEqual([
      ['points.earned', expect.objectContaining({ eventId: 'ledger:order-1', delta: 120, balance: 120 })],
    ]);
    // Delivered twice to the subscriber, counted once.
    expect(await pointsEarnedToday(merchant.merchantId)).toBe(120);

    // The till retries the earn: the same entry answers, and nothing more is written or published.
    const retried = await earnFor(merchant, phone, 'order-1', { purchaseCents: 12_000 });
    expect(retried).toMatchObject({ status: 200, body: { replayed: true, balances: { points: 120 } } });
    await stream.drain();
    expect(eventsOf(merchant.merchantId)).toHaveLength(1);
    expect(await pointsEarnedToday(merchant.merchantId)).toBe(120);
  });

  it('is published again when the bus refused it, and still counts once', async () => {
    const { merchant } = await newMerchant(env);
    const phone = await member(merchant);
    busRefusals = 1;
    expect((await earnFor(merchant, phone, 'order-2', { points: 30 })).status).toBe(201);
    await stream.drain();
    expect(busRefusals).toBe(0);
    expect(eventsOf(merchant.merchantId).map((event) => event.detail.eventId)).toEqual(['ledger:order-2']);
    expect(await pointsEarnedToday(merchant.merchantId)).toBe(30);
  });
});
