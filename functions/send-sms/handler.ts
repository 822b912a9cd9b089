import { setTimeout as sleep } from 'node:timers/promises';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { type Env, phoneProofKeyOf, sqsClient } from '../../shared/env';
import { logger } from '../../shared/log';
import { count, metricNames, publishMetrics } from '../../shared/metrics';
import { sqsOutboundDelays } from '../../shared/queue/sqs-outbound-queue';
import { queues, settings, smsProviders } from '../../shared/resources';
import { outboundSmsSchema } from '../../shared/schemas/sms';
import { endUserMessagingProvider } from '../../shared/sms/end-user-messaging-provider';
import { simulatorProvider } from '../../shared/sms/simulator-provider';
import { directoryStore } from '../../shared/store/directory';
import { erasureMarks } from '../../shared/store/erasure-marks';
import { membersStore } from '../../shared/store/members';
import { messagesStore } from '../../shared/store/messages';
import { sendLimitsStore } from '../../shared/store/send-limits';
import { templatesStore } from '../../shared/store/templates';
import { type SendSmsDeps, sendQueuedSms } from './send';

/**
 * Backoff: a delivery that failed comes back after the queue's visibility timeout times 2^(n−1) for
 * the n-th delivery (60 s, 120 s, 240 s, 480 s before the fifth and last). Never sooner than the
 * claim's lease, so a retry whose failure could not be recorded finds the lease run out.
 */
export function retryDelaySeconds(receiveCount: number): number {
  return queues.outbound.visibilityTimeoutSeconds * 2 ** Math.max(0, receiveCount - 1);
}

/**
 * The directory as one invocation reads it: each merchant once, however many of the batch's texts are
 * theirs. The batch's texts go under the settings as they were when it began; a change applies from the
 * next batch, seconds later. A failed read is not kept: the next text of the merchant reads again.
 */
export function merchantsOfBatch(directory: SendSmsDeps['directory']): SendSmsDeps['directory'] {
  const read = new Map<string, ReturnType<SendSmsDeps['directory']['merchant']>>();
  return {
    ...directory,
    merchant(merchantId) {
      const known = read.get(merchantId);
      if (known) return known;
      const reading = directory.merchant(merchantId);
      read.set(merchantId, reading);
      reading.catch(() => read.delete(merchantId));
      return reading;
    },
  };
}

export function createHandler(deps: SendSmsDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const sendRecord = async (record: SQSRecord, batch: SendSmsDeps) => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount ?? 1);
    try {
      await sendQueuedSms(outboundSmsSchema.parse(JSON.parse(record.body)), batch, { receiveCount });
    } catch (error) {
      // Should the backoff fail, the queue's own visibility timeout spaces the retries. After the last
      // delivery there is no retry to space: visible again at once, the text moves to the DLQ.
      const last = receiveCount >= queues.outbound.maxReceiveCount;
      count(metricNames.errors);
      await deps.queue
        .redeliverLater(record.receiptHandle, last ? 0 : retryDelaySeconds(receiveCount))
        .catch((backoffError: Error) =>
          logger.warn('could not back off', { messageId: record.messageId, reason: backoffError.message }),
        );
      throw error;
    }
  };
  // Records are processed in parallel; a batch whose every record failed is reported record by record.
  const options = { throwOnFullBatchFailure: false };
  return middy((event: SQSEvent) => {
    const batch = { ...deps, directory: merchantsOfBatch(deps.directory) };
    return processPartialResponse(
      event,
      (record: SQSRecord) => sendRecord(record, batch),
      processor,
      options,
    );
  })
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): SendSmsDeps {
  const provider =
    env.get(settings.smsProvider) === smsProviders.simulator
      ? simulatorProvider(env.get(settings.smsSimulatorUrl))
      : endUserMessagingProvider(
          new PinpointSMSVoiceV2Client({}),
          env.optional(settings.smsConfigurationSet),
        );
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    members: membersStore(env.dynamo(), env.table('members')),
    erasures: erasureMarks(env.dynamo(), env.table('members'), phoneProofKeyOf(env)),
    messages: messagesStore(env.dynamo(), env.table('messages'), env.table('campaigns'), {
      dailyStatsTableName: env.table('dailyStats'),
      phoneProofKey: phoneProofKeyOf(env),
    }),
    templates: templatesStore(env.dynamo(), env.table('campaigns')),
    limits: sendLimitsStore(env.dynamo(), env.table('sendLimits'), phoneProofKeyOf(env)),
    queue: sqsOutboundDelays(sqsClient(env), env.queueUrl('outbound')),
    provider,
    clock: () => new Date(),
    sleep: (ms) => sleep(ms),
  };
}
