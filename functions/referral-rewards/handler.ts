import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { memberRegistered, pointsEarned } from '../../events';
import { type Env, phoneProofKeyOf } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { eventBus } from '../../shared/resources';
import { benefitsStore } from '../../shared/store/benefits';
import { type DirectoryStore, directoryStore } from '../../shared/store/directory';
import { exchangesStore } from '../../shared/store/exchanges';
import { ledgerStore } from '../../shared/store/ledger';
import { membersStore } from '../../shared/store/members';
import { referralsStore } from '../../shared/store/referrals';
import {
  giveJoinGift,
  type JoinGiftDeps,
  type ReferralDeps,
  settleReferral,
} from '../../shared/use-cases/member-rewards';

export interface ReferralRewardsDeps extends ReferralDeps, JoinGiftDeps {
  directory: Pick<DirectoryStore, 'merchant'>;
}

const deliveredEventSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    source: z.literal(eventBus.source),
    'detail-type': z.enum([pointsEarned.detailType, memberRegistered.detailType]),
    detail: z.unknown(),
  }),
);

/**
 * A new member (`member.registered`): the join gift (开卡礼), given again under its key and its mark
 * if the join's own request stopped after the member was written and before the gift; a gift already
 * given changes nothing. A member's purchase (a `points.earned` with `purchaseCents`): their first
 * settles the referral that brought them, if one is pending (推荐有礼), and grants its rewards. Every
 * redelivery, and every later purchase, finds it settled and grants again only under the same named
 * keys: nothing twice. An event that does not parse throws, and the rule's retries and dead-letter
 * queue keep it.
 */
export function createHandler(deps: ReferralRewardsDeps) {
  return middy(async (event: unknown) => {
    const delivered = deliveredEventSchema.parse(event);
    if (delivered['detail-type'] === memberRegistered.detailType) {
      const joined = memberRegistered.detail.parse(delivered.detail);
      const merchant = await deps.directory.merchant(joined.merchantId);
      // Most shops give no join gift: nothing more is read for them.
      if (!merchant?.loyalty.joinGift) return 'no-join-gift';
      const member = await deps.members.byMemberId(joined.merchantId, joined.memberId);
      if (!member || member.deletedAt) return 'no-member';
      const granted = await giveJoinGift(merchant, member, deps);
      logger.info('join gift looked at', { merchantId: joined.merchantId, eventId: joined.eventId, granted });
      return 'join-gift';
    }
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
  const members = env.table('members');
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    members: membersStore(env.dynamo(), members, env.table('outbox')),
    referrals: referralsStore(env.dynamo(), members),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), members, env.table('outbox')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits'), { outbox: env.table('outbox') }),
    exchanges: exchangesStore(env.dynamo(), {
      benefits: env.table('benefits'),
      ledger: env.table('ledger'),
      members,
      outbox: env.table('outbox'),
    }),
    phoneProofKey: phoneProofKeyOf(env),
  };
}
