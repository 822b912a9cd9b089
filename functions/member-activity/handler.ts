import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import type { Env } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { eventBus } from '../../shared/resources';
import { activityStore } from '../../shared/store/activity';
import { directoryStore } from '../../shared/store/directory';
import { activityOf, type CountActivityDeps, countActivity } from './activity';

export type MemberActivityDeps = CountActivityDeps;

/** An event as the rule delivers it; its detail is read by the schema of its detail-type (events/). */
const deliveredEventSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    source: z.literal(eventBus.source),
    'detail-type': z.string(),
    detail: z.unknown(),
  }),
);

/**
 * One domain event from the bus, counted on the member's activity facts. An event that does not
 * parse throws: EventBridge and Lambda retry it, then the rule's dead-letter queue keeps it. An
 * event about no member (a stranger's text) has nothing to count.
 */
export function createHandler(deps: MemberActivityDeps) {
  return middy(async (event: unknown) => {
    const delivered = deliveredEventSchema.parse(event);
    const detailType = delivered['detail-type'];
    const counted = activityOf(detailType, delivered.detail);
    if (!counted) {
      logger.debug('not the customer’s activity', { detailType });
      return 'not-activity';
    }
    const outcome = await countActivity(counted, deps);
    logger.info('activity', {
      detailType,
      merchantId: counted.merchantId,
      eventId: counted.event.eventId,
      outcome,
    });
    return outcome;
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): MemberActivityDeps {
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    activity: activityStore(env.dynamo(), env.table('members'), env.table('idempotency')),
    clock: () => new Date(),
  };
}
