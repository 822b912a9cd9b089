import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { eventBridgePublisher } from '../../shared/bus/event-bridge-publisher';
import { type Env, eventBridgeClient } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { eventBus } from '../../shared/resources';
import { jobsStore } from '../../shared/store/jobs';
import { retentionStore, scoringMembersStore } from '../../shared/store/retention';
import { type RetentionJobDeps, runRetentionJobs } from './nightly-runs';
import { scoringPageSize } from './scoring';

/** The EventBridge scheduled event: its `time` is the instant the nightly runs are asked for at. */
const scheduledEventSchema = lazySchema(() => z.object({ time: z.iso.datetime() }));

/** Time kept back from the Lambda timeout to finish the page under way and save its checkpoint. */
const safetyMarginMs = 60_000;

export function createHandler(deps: RetentionJobDeps) {
  return middy(async (event: unknown, context: Context) => {
    const { time } = scheduledEventSchema.parse(event);
    await runRetentionJobs(
      new Date(time),
      Date.now() + context.getRemainingTimeInMillis() - safetyMarginMs,
      deps,
    );
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): RetentionJobDeps {
  return {
    jobs: jobsStore(env.dynamo(), env.table('directory')),
    retention: retentionStore(env.dynamo(), env.table('retention')),
    members: scoringMembersStore(env.dynamo(), env.table('members')),
    events: eventBridgePublisher(eventBridgeClient(env), env.get(eventBus.envVar)),
    clock: () => new Date(),
    pageSize: scoringPageSize,
  };
}
