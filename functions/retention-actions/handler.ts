import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { churnZoneChanged } from '../../events';
import { type Env, sqsClient } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { sqsOutboundQueue } from '../../shared/queue/sqs-outbound-queue';
import { eventBus } from '../../shared/resources';
import { activityUpdates } from '../../shared/store/activity';
import { benefitsStore } from '../../shared/store/benefits';
import { directoryStore } from '../../shared/store/directory';
import { exchangesStore } from '../../shared/store/exchanges';
import { ledgerStore } from '../../shared/store/ledger';
import { retentionStore } from '../../shared/store/retention';
import { templatesStore } from '../../shared/store/templates';
import { applyRetentionRules, type RetentionActionDeps } from './retention-rules';

export type RetentionActionsDeps = RetentionActionDeps;

/** A churn.zone-changed event as its rule delivers it. */
const zoneChangedEventSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    source: z.literal(eventBus.source),
    'detail-type': z.literal(churnZoneChanged.detailType),
    detail: churnZoneChanged.detail,
  }),
);

/**
 * Runs the merchant's retention rules for a member who entered a churn zone. An event that does not
 * parse throws: EventBridge and Lambda retry it, then the rule's dead-letter queue keeps it. A store
 * or queue failure throws too, and the redelivery finishes the work under the same ids.
 */
export function createHandler(deps: RetentionActionsDeps) {
  return middy(async (event: unknown) => {
    const { detail } = zoneChangedEventSchema.parse(event);
    return applyRetentionRules(detail, deps);
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): RetentionActionsDeps {
  const db = env.dynamo();
  return {
    directory: directoryStore(db, env.table('directory')),
    retention: retentionStore(db, env.table('retention')),
    activity: activityUpdates(db, env.table('members')),
    templates: templatesStore(db, env.table('campaigns')),
    ledger: ledgerStore(db, env.table('ledger'), env.table('members'), env.table('outbox')),
    benefits: benefitsStore(db, env.table('benefits'), { outbox: env.table('outbox') }),
    exchanges: exchangesStore(db, {
      benefits: env.table('benefits'),
      ledger: env.table('ledger'),
      members: env.table('members'),
      outbox: env.table('outbox'),
    }),
    outbound: sqsOutboundQueue(sqsClient(env), env.queueUrl('outbound')),
    clock: () => new Date(),
  };
}
