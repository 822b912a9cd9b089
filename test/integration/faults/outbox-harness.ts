import { randomUUID } from 'node:crypto';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Context } from 'aws-lambda';
import type { DomainEvent } from '../../../events';
import * as dailyStats from '../../../functions/daily-stats/handler';
import * as memberActivity from '../../../functions/member-activity/handler';
import * as outboxPublisher from '../../../functions/outbox-publisher/handler';
import { lambdaContext } from '../../../local/local-lambda';
import { localTableStream } from '../../../local/local-table-stream';
import { ownTable } from '../../../local/tables';
import type { Env } from '../../../shared/env';
import { type FunctionName, functions, tables } from '../../../shared/resources';
import { functionTestEnv, testEnv } from '../../support';

/**
 * What the fault tests of events committed with their writes share: an Outbox table of the test
 * file's own (so its stream carries this file's events only), a function environment whose DynamoDB
 * client dies as Lambda can kill a function, right after a transaction commits, and the outbox's
 * stream read into `outbox-publisher`, whose bus hands each event to its subscribers (`daily-stats`,
 * `member-activity`) twice, as EventBridge may.
 */
export async function outboxHarness() {
  const outbox = await ownTable(testEnv().dynamoClient(), tables.outbox);
  const outboxTable = outbox.name;
  const ownOutbox = { [tables.outbox.envVar]: outboxTable };
  const env = testEnv(ownOutbox);

  let killArmed = false;
  /** A function's environment whose DynamoDB client is killed right after the next commit, once armed. */
  const killable = (name: FunctionName): Env => {
    const fnEnv = functionTestEnv(name, ownOutbox);
    fnEnv.dynamoClient().middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (killArmed && context.commandName === 'TransactWriteItemsCommand') {
          killArmed = false;
          throw new Error('Lambda killed');
        }
        return result;
      },
      { step: 'initialize', name: 'killAfterCommit' },
    );
    return fnEnv;
  };

  const onBus: DomainEvent[] = [];
  let refusals = 0;
  const subscribers = [
    { name: 'daily-stats', invoke: dailyStats.createHandler(dailyStats.depsFromEnv(env)) },
    { name: 'member-activity', invoke: memberActivity.createHandler(memberActivity.depsFromEnv(env)) },
  ] as const;
  const deliverTwice = async (event: DomainEvent) => {
    for (const { name, invoke } of subscribers) {
      const trigger = functions[name].trigger;
      if (!(trigger.detailTypes as readonly string[]).includes(event.detailType)) continue;
      for (let i = 0; i < 2; i++) {
        await invoke(
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
          lambdaContext(name, 10) as Context,
        );
      }
    }
  };
  const publisher = outboxPublisher.createHandler({
    ...outboxPublisher.depsFromEnv(functionTestEnv('outbox-publisher', ownOutbox)),
    events: {
      async publish(...events) {
        if (refusals > 0) {
          refusals -= 1;
          throw new Error('the bus refused the entries');
        }
        onBus.push(...events);
        for (const event of events) await deliverTwice(event);
      },
    },
  });
  const stream = await localTableStream(
    env.dynamoClient(),
    new DynamoDBStreamsClient(env.clientConfig('DYNAMODB')),
    outboxTable,
    (event) => publisher(event, lambdaContext('outbox-publisher', 30)),
    { retryDelaysMs: [50, 50] },
  );

  return {
    /** The test's clients, with the file's own Outbox table. */
    env,
    killable,
    /** The next transaction to commit is the last thing the function does. */
    killAfterNextCommit: () => {
      killArmed = true;
    },
    /** The bus refuses its next `count` chunks. */
    refuse: (count: number) => {
      refusals = count;
    },
    refusalsLeft: () => refusals,
    /** Everything committed so far is published and handled. */
    drain: () => stream.drain(),
    /** What reached the bus for the merchant, in order. */
    published: (merchantId: string) => onBus.filter((event) => event.detail.merchantId === merchantId),
    async stop() {
      await stream.stop();
      await outbox.drop();
    },
  };
}
