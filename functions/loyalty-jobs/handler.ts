import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { type Env, sqsClient } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { sqsOutboundQueue } from '../../shared/queue/sqs-outbound-queue';
import { jobsStore } from '../../shared/store/jobs';
import { ledgerStore } from '../../shared/store/ledger';
import { membersStore } from '../../shared/store/members';
import { tiersStore } from '../../shared/store/tiers';
import { type LoyaltyJobDeps, runLoyaltyJobs } from './expiry-and-tiers';

/** The EventBridge scheduled event: its `time` is the instant the jobs run for. */
const scheduledEventSchema = lazySchema(() => z.object({ time: z.iso.datetime() }));

/** Time kept back from the Lambda timeout to save the checkpoint and return. */
const safetyMarginMs = 20_000;

export function createHandler(deps: LoyaltyJobDeps) {
  return middy(async (event: unknown, context: Context) => {
    const { time } = scheduledEventSchema.parse(event);
    await runLoyaltyJobs(
      new Date(time),
      Date.now() + context.getRemainingTimeInMillis() - safetyMarginMs,
      deps,
    );
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): LoyaltyJobDeps {
  return {
    jobs: jobsStore(env.dynamo(), env.table('directory')),
    members: membersStore(env.dynamo(), env.table('members')),
    tiers: tiersStore(env.dynamo(), env.table('members'), env.table('outbox')),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), env.table('members'), env.table('outbox')),
    outbound: sqsOutboundQueue(sqsClient(env), env.queueUrl('outbound')),
  };
}
