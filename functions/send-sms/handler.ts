import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { countSegments } from '../../shared/domain/segments';
import type { Env } from '../../shared/env';
import { logger } from '../../shared/log';
import { queues, settings, smsProviders } from '../../shared/resources';
import { type OutboundSms, outboundSmsSchema } from '../../shared/schemas/sms';
import { endUserMessagingProvider } from '../../shared/sms/end-user-messaging';
import type { SmsProvider } from '../../shared/sms/provider';
import { SmsProviderError } from '../../shared/sms/provider';
import { simulatorProvider } from '../../shared/sms/simulator';
import { type DirectoryStore, directoryStore } from '../../shared/store/directory';
import { type MembersStore, membersStore } from '../../shared/store/members';
import { type MessagesStore, messagesStore } from '../../shared/store/messages';

export interface SendSmsDeps {
  directory: DirectoryStore;
  members: MembersStore;
  messages: MessagesStore;
  provider: SmsProvider;
  clock: () => Date;
}

export class UnknownMerchantError extends Error {
  constructor(merchantId: string) {
    super(`no merchant ${merchantId}`);
    this.name = 'UnknownMerchantError';
  }
}

/**
 * Sends one queued text: claims its message id (so a repeated delivery sends nothing), applies
 * the rules that must hold at send time, signs it with the merchant's 【signature】 and hands it
 * to the provider. A failure leaves the record for SQS to redeliver, and after the queue's
 * maxReceiveCount the text lands in the dead-letter queue.
 */
export async function sendQueuedSms(sms: OutboundSms, deps: SendSmsDeps): Promise<void> {
  const now = deps.clock();
  const merchant = await deps.directory.merchant(sms.merchantId);
  if (!merchant) throw new UnknownMerchantError(sms.merchantId);
  if (!(await deps.messages.claim(sms, now, queues.outbound.visibilityTimeoutSeconds))) {
    logger.info('already sent or being sent', { messageId: sms.messageId });
    return;
  }
  // Opt-out wins, checked now and not when the text was queued: a member who opted out after a
  // greeting or campaign was queued does not get it.
  if (sms.category === 'marketing' || sms.respectOptOut) {
    const { marketing } = await deps.members.contact(sms.merchantId, sms.to);
    if (marketing?.status === 'unsubscribed') {
      await deps.messages.skipped(sms, 'opted out of marketing', now);
      return;
    }
  }
  const body = `${merchant.signature}${sms.body}`;
  try {
    const { providerMessageId } = await deps.provider.send({
      from: merchant.senderNumber,
      to: sms.to,
      body,
      category: sms.category,
    });
    await deps.messages.sent(sms, providerMessageId, countSegments(body), deps.clock());
  } catch (error) {
    await deps.messages.failed(sms, (error as Error).message, deps.clock());
    if (error instanceof SmsProviderError && !error.retryable) {
      logger.warn('provider refused the text', { messageId: sms.messageId, reason: error.message });
      return;
    }
    throw error;
  }
}

export function createHandler(deps: SendSmsDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const sendRecord = (record: SQSRecord) =>
    sendQueuedSms(outboundSmsSchema.parse(JSON.parse(record.body)), deps);
  // A batch whose every record failed is reported record by record like any other.
  const options = { throwOnFullBatchFailure: false };
  return middy((event: SQSEvent) => processPartialResponse(event, sendRecord, processor, options)).use(
    injectLambdaContext(logger),
  );
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
    messages: messagesStore(env.dynamo(), env.table('messages')),
    provider,
    clock: () => new Date(),
  };
}
