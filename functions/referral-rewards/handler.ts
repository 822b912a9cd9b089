import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { pointsEarned } from '../../events';
import type { Env } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { eventBus } from '../../shared/resources';
import { type DirectoryStore, directoryStore } from '../../shared/store/directory';
import { type ReferralDeps, settleReferral } from '../../shared/use-cases/member-rewards';
import { rewardStoresFromEnv } from '../../shared/use-cases/reward-stores';

export interface ReferralRewardsDeps extends ReferralDeps {
  directory: Pick<DirectoryStore, 'merchant'>;
}

const deliveredEventSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    source: z.literal(eventBus.source),
    'detail-type': z.literal(pointsEarned.detailType),
    detail: z.unknown(),
  }),
);

/**
 * A member's purchase (a `points.earned` with `purchaseCents`): their first settles the referral that
 * brought them, if one is pending (推荐有礼), and grants its rewards. Every redelivery, and every later
 * purchase, finds it settled and grants again only under the same named keys: nothing twice. An event
 * that does not parse throws, and the rule's retries and dead-letter queue keep it.
 */
export function createHandler(deps: ReferralRewardsDeps) {
  return middy(async (event: unknown) => {
    const delivered = deliveredEventSchema.parse(event);
    const earned = pointsEarned.detail.parse(delivered.detail);
    if (!earned.purchaseCents) return 'not-a-purchase';
    const merchant = await deps.directory.merchant(earned.merchantId);
    if (!merchant) return 'no-merchant';
    const granted = await settleReferral(merchant, earned.memberId, new Date(earned.at), deps);
    logger.info('first purchase looked at for a referral', {
      merchantId: earned.merchantId,
      eventId: earned.eventId,
      granted,
    });
    return 'settled';
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): ReferralRewardsDeps {
  return { directory: directoryStore(env.dynamo(), env.table('directory')), ...rewardStoresFromEnv(env) };
}
