import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SNSEvent } from 'aws-lambda';
import { type Env, phoneProofKeyOf, sqsClient } from '../../shared/env';
import { logger } from '../../shared/log';
import { count, metricNames, publishMetrics } from '../../shared/metrics';
import { sqsOutboundQueue } from '../../shared/queue/sqs-outbound-queue';
import { inboundSmsNotificationSchema } from '../../shared/schemas/sms';
import { auditStore } from '../../shared/store/audit';
import { benefitsStore } from '../../shared/store/benefits';
import { dailyStatsReader } from '../../shared/store/daily-stats';
import { directoryStore } from '../../shared/store/directory';
import { exchangesStore } from '../../shared/store/exchanges';
import { keywordAppsStore } from '../../shared/store/keyword-apps';
import { ledgerStore } from '../../shared/store/ledger';
import { membersStore } from '../../shared/store/members';
import { messagesStore } from '../../shared/store/messages';
import { outboxWriter } from '../../shared/store/outbox';
import { redemptionFailures } from '../../shared/store/redemption-failures';
import { referralsStore } from '../../shared/store/referrals';
import { staffStore } from '../../shared/store/staff';
import { surveysStore } from '../../shared/store/surveys';
import { ticketsStore } from '../../shared/store/tickets';
import { type InboundDeps, respondToText } from './respond';

/** Providers may deliver one text more than once, minutes apart; a day covers every retry. */
const replayWindowSeconds = 24 * 60 * 60;

/**
 * Texts from customers and staff, as AWS End User Messaging SMS publishes them to SNS. Each text is
 * answered once per inbound message id, however many times it is delivered. A notification
 * that does not parse is a provider or wiring fault: it fails the invocation, so Lambda retries
 * it and then keeps it in the function's dead-letter queue.
 */
export function createHandler(deps: InboundDeps & { idempotencyTable: DynamoDBPersistenceLayer }) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'inboundMessageId',
    expiresAfterSeconds: replayWindowSeconds,
  });
  // Counted inside the idempotent call: a text delivered again is answered, and counted, once.
  const respondOnce = makeIdempotent(
    async (text: ReturnType<typeof inboundSmsNotificationSchema.parse>) => {
      const outcome = await respondToText(text, deps);
      count(metricNames.inboundTexts, { intent: outcome.intent });
      return outcome;
    },
    { persistenceStore: deps.idempotencyTable, config },
  );
  return middy(async (event: SNSEvent, context: Context) => {
    config.registerLambdaContext(context);
    for (const record of event.Records) {
      const text = inboundSmsNotificationSchema.parse(JSON.parse(record.Sns.Message));
      const outcome = await respondOnce(text);
      logger.info('inbound text answered', { inboundMessageId: text.inboundMessageId, ...outcome });
    }
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env) {
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    members: membersStore(env.dynamo(), env.table('members'), env.table('outbox')),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), env.table('members'), env.table('outbox')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits'), { outbox: env.table('outbox') }),
    exchanges: exchangesStore(env.dynamo(), {
      benefits: env.table('benefits'),
      ledger: env.table('ledger'),
      members: env.table('members'),
      outbox: env.table('outbox'),
    }),
    tickets: ticketsStore(env.dynamo(), env.table('engagement')),
    surveys: surveysStore(env.dynamo(), env.table('engagement')),
    keywordApps: keywordAppsStore(env.dynamo(), env.table('engagement')),
    staff: staffStore(env.dynamo(), env.table('directory')),
    audit: auditStore(env.dynamo(), env.table('audit')),
    dailyStats: dailyStatsReader(env.dynamo(), env.table('dailyStats')),
    redemptionFailures: redemptionFailures(env.dynamo(), env.table('sendLimits')),
    messages: messagesStore(env.dynamo(), env.table('messages'), env.table('campaigns')),
    campaignsTable: env.table('campaigns'),
    outbound: sqsOutboundQueue(sqsClient(env), env.queueUrl('outbound')),
    outbox: outboxWriter(env.dynamo(), env.table('outbox')),
    referrals: referralsStore(env.dynamo(), env.table('members')),
    phoneProofKey: phoneProofKeyOf(env),
    idempotencyTable: new DynamoDBPersistenceLayer({
      tableName: env.table('idempotency'),
      awsSdkV3Client: env.dynamoClient(),
    }),
    clock: () => new Date(),
  };
}
