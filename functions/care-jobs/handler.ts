import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { type Env, phoneProofKeyOf, sqsClient } from '../../shared/env';
import { lazySchema } from '../../shared/lazy-schema';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import type { OutboundQueue } from '../../shared/queue/outbound-queue';
import { sqsOutboundQueue } from '../../shared/queue/sqs-outbound-queue';
import { benefitsStore } from '../../shared/store/benefits';
import { careStore } from '../../shared/store/care';
import { countCardsStore } from '../../shared/store/count-cards';
import { heldTextsStore } from '../../shared/store/held-texts';
import { jobsStore } from '../../shared/store/jobs';
import { ledgerStore } from '../../shared/store/ledger';
import { membersStore } from '../../shared/store/members';
import { tiersStore } from '../../shared/store/tiers';
import { type CareDeps, type CareText, runCare } from '../../shared/use-cases/care-texts';
import { type ReleaseHeldTextsDeps, releaseHeldTexts } from '../../shared/use-cases/release-held-texts';

/** The EventBridge scheduled event: its `time` is the instant the care runs for. */
const scheduledEventSchema = lazySchema(() => z.object({ time: z.iso.datetime() }));
const safetyMarginMs = 20_000;

export type CareJobDeps = CareDeps & ReleaseHeldTextsDeps & { outbound: OutboundQueue };

/**
 * Every merchant's care automations, inside each merchant's send window, and its texts held over a
 * carrier cap on an earlier day, released or expired; safe to run twice.
 */
export function createHandler(deps: CareJobDeps) {
  return middy(async (event: unknown, context: Context) => {
    const now = new Date(scheduledEventSchema.parse(event).time);
    const deadline = Date.now() + context.getRemainingTimeInMillis() - safetyMarginMs;
    const send = (texts: CareText[]) =>
      deps.outbound.enqueueMany(texts.map(({ occasion: _, ...sms }) => sms));
    for await (const merchant of deps.jobs.merchants()) {
      const held = await releaseHeldTexts(merchant, now, deps);
      if (held.released + held.requeued + held.expired > 0) {
        logger.info('held texts', { merchantId: merchant.merchantId, ...held });
      }
      await runCare(merchant, now, deadline, send, deps);
      if (Date.now() > deadline) {
        logger.warn('care run out of time; the next run continues', { merchantId: merchant.merchantId });
        return;
      }
    }
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): CareJobDeps {
  return {
    outbound: sqsOutboundQueue(sqsClient(env), env.queueUrl('outbound')),
    care: careStore(env.dynamo(), env.table('care'), env.table('members')),
    members: membersStore(env.dynamo(), env.table('members')),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), env.table('members')),
    tiers: tiersStore(env.dynamo(), env.table('members')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits')),
    countCards: countCardsStore(env.dynamo(), {
      benefits: env.table('benefits'),
      ledger: env.table('ledger'),
      members: env.table('members'),
    }),
    jobs: jobsStore(env.dynamo(), env.table('directory')),
    held: heldTextsStore(env.dynamo(), env.table('messages'), env.table('campaigns'), phoneProofKeyOf(env)),
  };
}
