import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import type { Env } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { eventBus } from '../../shared/resources';
import { dailyStatsStore } from '../../shared/store/daily-stats';
import { directoryStore } from '../../shared/store/directory';
import { type CountDayDeps, countOnDay, countsOf } from './figures';

export type DailyStatsDeps = CountDayDeps;

const deliveredEventSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    source: z.literal(eventBus.source),
    'detail-type': z.string(),
    detail: z.unknown(),
  }),
);

/**
 * One domain event from the bus, counted on its merchant's figures for the day. An event that does
 * not parse throws: EventBridge and Lambda retry it, then the rule's dead-letter queue keeps it.
 */
export function createHandler(deps: DailyStatsDeps) {
  return middy(async (event: unknown) => {
    const delivered = deliveredEventSchema.parse(event);
    const detailType = delivered['detail-type'];
    const counted = countsOf(detailType, delivered.detail);
    if (!counted) return 'not-counted';
    const outcome = await countOnDay(counted, deps);
    logger.info('daily figures', {
      detailType,
      merchantId: counted.merchantId,
      eventId: counted.eventId,
      outcome,
    });
    return outcome;
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): DailyStatsDeps {
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    dailyStats: dailyStatsStore(env.dynamo(), env.table('dailyStats'), env.table('idempotency')),
  };
}
