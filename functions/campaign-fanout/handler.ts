import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { campaignRunRequested } from '../../events';
import { type Env, schedulerClient, sqsClient } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { sqsOutboundQueue } from '../../shared/queue/sqs-outbound-queue';
import { campaignSchedules, eventBus } from '../../shared/resources';
import type { CampaignScheduler } from '../../shared/scheduler/campaign-scheduler';
import { eventBridgeCampaignScheduler } from '../../shared/scheduler/event-bridge-campaign-scheduler';
import { type CampaignInvocation, campaignInvocationSchema } from '../../shared/schemas/campaign';
import { audienceReader } from '../../shared/store/audience-members';
import { audiencesStore } from '../../shared/store/audiences';
import { campaignsStore } from '../../shared/store/campaigns';
import { directoryStore } from '../../shared/store/directory';
import { consentReader } from '../../shared/store/members';
import { surveysStore } from '../../shared/store/surveys';
import { templatesStore } from '../../shared/store/templates';
import { type FanoutDeps, fanOut, fanoutPageSize } from './fanout';

export type CampaignFanoutDeps = FanoutDeps & {
  /**
   * The scheduler, scheduling continuations to `targetArn` (this function, as it was invoked), and
   * deleting a one-off campaign's own schedule once its run has started.
   */
  scheduler(targetArn: string): Pick<CampaignScheduler, 'continueRun' | 'cancel'>;
};

/** A run due now, as the bus rule delivers the merchant API's request (events/campaign-run-requested.ts). */
const runRequestedSchema = lazySchema(() =>
  z.object({
    source: z.literal(eventBus.source),
    'detail-type': z.literal(campaignRunRequested.detailType),
    detail: campaignInvocationSchema,
  }),
);

/** The invocation in a schedule's input, or in a run-requested event: both name the run the same way. */
const invocationOf = (event: unknown): CampaignInvocation =>
  typeof event === 'object' && event !== null && 'detail-type' in event
    ? runRequestedSchema.parse(event).detail
    : campaignInvocationSchema.parse(event);

/**
 * Invoked by a campaign's EventBridge Scheduler schedule with `{ merchantId, campaignId, scheduledTime,
 * runId? }`, and by the bus with the same in a `campaign.run-requested` event, for a run due now.
 */
export function createHandler(deps: CampaignFanoutDeps) {
  return middy(async (event: unknown, context: Context) => {
    const invocation = invocationOf(event);
    const result = await fanOut(
      invocation,
      () => context.getRemainingTimeInMillis(),
      deps.scheduler(context.invokedFunctionArn),
      deps,
    );
    logger.info('campaign fan-out', { ...invocation, ...result });
    return result;
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): CampaignFanoutDeps {
  const group = env.get(campaignSchedules.groupEnvVar);
  const roleArn = env.get(campaignSchedules.roleEnvVar);
  return {
    campaigns: campaignsStore(env.dynamo(), env.table('campaigns')),
    directory: directoryStore(env.dynamo(), env.table('directory')),
    templates: templatesStore(env.dynamo(), env.table('campaigns')),
    surveys: surveysStore(env.dynamo(), env.table('engagement')),
    audiences: audiencesStore(env.dynamo(), env.table('campaigns')),
    members: audienceReader(env.dynamo(), env.table('members')),
    consents: consentReader(env.dynamo(), env.table('members')),
    outbound: sqsOutboundQueue(sqsClient(env), env.queueUrl('outbound')),
    scheduler: (targetArn) =>
      eventBridgeCampaignScheduler(schedulerClient(env), { group, roleArn, targetArn }),
    clock: () => new Date(),
    pageSize: fanoutPageSize,
  };
}
