import { consentRefusal } from '../../shared/domain/consent';
import { erasedSinceQueued } from '../../shared/domain/erasure';
import { toMobileE164 } from '../../shared/domain/phone';
import { onTime, slotIntervalMs, slotLeadMs } from '../../shared/domain/rate-limit';
import { registrationProblem } from '../../shared/domain/reach';
import { windowDecision } from '../../shared/domain/send-window';
import { maxSignedTextLength, signedText, textBilling } from '../../shared/domain/sms-text';
import { dateIn } from '../../shared/domain/time';
import { logger } from '../../shared/log';
import { count, metricNames, reasonCode } from '../../shared/metrics';
import { maxQueueDelaySeconds, type OutboundDelays } from '../../shared/queue/outbound-queue';
import { queues } from '../../shared/resources';
import type { Merchant } from '../../shared/schemas/merchant';
import type { OutboundSms } from '../../shared/schemas/sms';
import { type SmsProvider, SmsProviderError } from '../../shared/sms/provider';
import type { DirectoryStore } from '../../shared/store/directory';
import type { ErasureMarks } from '../../shared/store/erasure-marks';
import type { MembersStore } from '../../shared/store/members';
import type { MessagesStore, SentText } from '../../shared/store/messages';
import type { Cap, SendLimitsStore } from '../../shared/store/send-limits';
import type { TemplatesStore } from '../../shared/store/templates';

export interface SendSmsDeps {
  directory: DirectoryStore;
  members: MembersStore;
  /** When each phone was last erased (PIPL): a text queued before is not sent. */
  erasures: ErasureMarks;
  messages: MessagesStore;
  templates: TemplatesStore;
  limits: SendLimitsStore;
  queue: OutboundDelays;
  provider: SmsProvider;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/**
 * How long a text may wait for its sender's next free slot: a third of the function's 30 s timeout.
 * A text whose slot would come later goes back on the queue until it would not.
 */
export const slotWaitBudgetMs = 10_000;

export class UnknownMerchantError extends Error {
  constructor(merchantId: string) {
    super(`no merchant ${merchantId}`);
    this.name = 'UnknownMerchantError';
  }
}

/** Another delivery of the same message holds its lease: this one comes back later and finds it settled. */
export class MessageLeasedError extends Error {
  constructor(messageId: string) {
    super(`message ${messageId} is being sent by another delivery`);
    this.name = 'MessageLeasedError';
  }
}

export interface Delivery {
  /** SQS's ApproximateReceiveCount: 1 on the first delivery. */
  receiveCount: number;
}

/** What the send-time rules made of a text. */
type Outcome =
  | { status: 'sent'; sent: SentText }
  | { status: 'suppressed' | 'refused'; reason: string }
  /** Over a carrier cap: `text` is kept whole on the record, `day` is the merchant's day it was held. */
  | { status: 'held'; reason: string; text: string; day: string }
  | { status: 'deferred'; reason: string; notBefore: string };

/**
 * Sends one queued text under the rules that hold at send time, whatever queued it and however
 * long ago: consent, registered templates, length, marketing hours, per-member and per-number caps and
 * the sender's rate. Every outcome is written on the message record with its reason. Throws when
 * SQS should deliver the text again; on the last delivery the record says `failed` first, so the
 * copy in the dead-letter queue has its reason on the record.
 */
export async function sendQueuedSms(sms: OutboundSms, deps: SendSmsDeps, delivery: Delivery): Promise<void> {
  const merchant = await deps.directory.merchant(sms.merchantId);
  if (!merchant) throw new UnknownMerchantError(sms.merchantId);
  const claim = await deps.messages.claim(sms, deps.clock(), queues.outbound.visibilityTimeoutSeconds);
  if (claim === 'settled') {
    logger.info('already settled', { messageId: sms.messageId });
    return;
  }
  if (claim === 'leased') throw new MessageLeasedError(sms.messageId);
  let outcome: Outcome;
  try {
    outcome = await applyRules(sms, merchant, deps);
  } catch (error) {
    await recordFailure(sms, error as Error, deps, delivery);
    return;
  }
  // Outside the try: once the provider has the text, failing to record it must not mark it for a
  // retry; the lease runs out instead, as after a crash at the provider call. Any write failing here
  // (on every attempt) leaves the record `sending`, and the text's next delivery, later than the
  // lease, claims it again.
  await record(sms, outcome, deps);
  if (outcome.status === 'sent' || outcome.status === 'held') {
    if (await erasedMeanwhile(sms, merchant, deps)) await deps.messages.forgetRecipient(sms, outcome.status);
  }
}

/**
 * Whether the text's phone was erased after the text was queued (shared/domain/erasure.ts), read
 * from the mark the erasure writes before it erases anything. What this guarantees, with the erasure
 * (shared/store/personal-data/index.ts) marking first, then rewriting the texts it finds:
 * - A text queued before the erasure (or within `erasureLagMs` after it) whose check (before consent,
 *   for every category, replies too) reads the mark is never sent: it is settled `suppressed` with
 *   reason `erased`, and as every text not sent, keeps neither words nor phone.
 * - A text whose check ran just before the mark landed may still go out: the check and the provider
 *   call are not one atomic step (between them: the caps and at most `slotWaitBudgetMs` waiting for
 *   the sender's slot). Its record then keeps no phone either way: once recorded `sent` (or `held`),
 *   the sender reads the mark again and, finding it, rewrites its record as the erasure would; not
 *   finding it, its record was written before the mark, so before the erasure looked for the phone's
 *   texts, and the erasure rewrites it (found through the `byRecipient` or `byHeld` index, which
 *   DynamoDB updates within a moment of the write: a write in the last moment before the mark could
 *   be missed by an index not yet updated).
 * - The copies on the queues (the outbound queue, its DLQ) keep the phone and words until they are
 *   delivered or expire; SQS cannot edit them. Each copy delivered after the erasure is held back here.
 */
async function erasedMeanwhile(sms: OutboundSms, merchant: Merchant, deps: SendSmsDeps): Promise<boolean> {
  const phone = toMobileE164(sms.to, merchant.defaultCountry);
  if (!phone.ok) return false;
  return erasedSinceQueued(sms.queuedAt, await deps.erasures.erasedAt(sms.merchantId, phone.phone));
}

/** The send-time rules, in order; the last one hands the text to the provider in the sender's slot. */
async function applyRules(sms: OutboundSms, merchant: Merchant, deps: SendSmsDeps): Promise<Outcome> {
  const now = deps.clock();
  if (sms.notBefore && Date.parse(sms.notBefore) > now.getTime()) {
    return { status: 'deferred', reason: 'not-before', notBefore: sms.notBefore };
  }
  const phone = toMobileE164(sms.to, merchant.defaultCountry);
  if (!phone.ok) return { status: 'suppressed', reason: `invalid-number: ${phone.reason}` };
  if (await erasedMeanwhile(sms, merchant, deps)) return { status: 'suppressed', reason: 'erased' };
  // Only texts consent can stop pay for reading the phone's consent.
  if (sms.category === 'marketing' || sms.respectOptOut) {
    const consent = consentRefusal(sms, await deps.members.contact(sms.merchantId, sms.to));
    if (consent) return { status: 'suppressed', reason: consent };
  }

  const marketing = sms.category === 'marketing';
  if (marketing && merchant.sending.requireRegisteredTemplates) {
    const refusal = await templateRefusal(sms, merchant, deps.templates);
    if (refusal) return { status: 'refused', reason: refusal };
  }
  const text = signedText(sms.body, {
    signature: merchant.signature,
    unsubscribeLine: merchant.sending.unsubscribeLine,
    category: sms.category,
  });
  const billing = textBilling(text);
  if (billing.tooLong) {
    return {
      status: 'refused',
      reason: `too-long: ${billing.length} characters, at most ${maxSignedTextLength}`,
    };
  }
  if (marketing) {
    const window = windowDecision(now, merchant.timeZone, merchant.sending.marketingHours);
    if (!window.send)
      return { status: 'deferred', reason: 'outside-marketing-hours', notBefore: window.notBefore };
  }

  const template = sms.template ?? 'untemplated';
  const caps = await deps.limits.count({
    merchantId: sms.merchantId,
    messageId: sms.messageId,
    phone: sms.to,
    day: dateIn(merchant.timeZone, now),
    ...(marketing ? { frequency: merchant.sending.frequencyCap } : {}),
    carrier: { signature: merchant.signature, template, perDay: merchant.sending.carrierCapPerDay },
    now,
  });
  if (!caps.within) {
    const reason = capReason(caps.cap, caps.limit, merchant.signature, template);
    return caps.cap === 'carrier-day'
      ? { status: 'held', reason, text, day: dateIn(merchant.timeZone, now) }
      : { status: 'suppressed', reason };
  }

  const sent = await inSlot(merchant, deps, () =>
    deps.provider.send({
      from: merchant.senderNumber,
      to: sms.to,
      body: text,
      category: sms.category,
      context: { merchantId: sms.merchantId, messageId: sms.messageId },
    }),
  );
  if ('busyUntil' in sent) {
    return {
      status: 'deferred',
      reason: `rate-limit: ${merchant.senderNumber} has no free slot before ${new Date(sent.busyUntil).toISOString()}`,
      notBefore: new Date(sent.busyUntil - slotWaitBudgetMs).toISOString(),
    };
  }
  return {
    status: 'sent',
    sent: {
      providerMessageId: sent.result.providerMessageId,
      text,
      billing,
      day: dateIn(merchant.timeZone, now),
      costFen: billing.segments * merchant.sending.pricePerPartFen,
    },
  };
}

async function record(sms: OutboundSms, outcome: Outcome, deps: SendSmsDeps): Promise<void> {
  const now = deps.clock();
  const settle = (write: () => Promise<boolean>) => persistently(sms, write, deps);
  const { category } = sms;
  switch (outcome.status) {
    case 'sent':
      if (await settle(() => deps.messages.sent(sms, outcome.sent, now))) {
        count(metricNames.textsSent, { category });
        count(metricNames.textParts, { category }, outcome.sent.billing.segments);
        count(metricNames.textCostFen, { category }, outcome.sent.costFen);
      }
      return;
    case 'suppressed':
    case 'refused': {
      const write = outcome.status === 'suppressed' ? deps.messages.suppressed : deps.messages.refused;
      if (await settle(() => write(sms, outcome.reason, now)))
        count(metricNames.textsSuppressed, { category, reason: reasonCode(outcome.reason) });
      return;
    }
    case 'held':
      if (await settle(() => deps.messages.held(sms, outcome.reason, outcome.text, now, outcome.day)))
        count(metricNames.textsHeld, { reason: reasonCode(outcome.reason) });
      return;
    case 'deferred':
      if (await settle(() => deps.messages.deferred(sms, outcome.reason, outcome.notBefore, now))) {
        await deps.queue.enqueueLater(
          { ...sms, notBefore: outcome.notBefore },
          hopSeconds(outcome.notBefore, now),
        );
      }
      return;
  }
}

/** Attempts at settling a record: about 3 s of pauses in all, well inside the timeout and the lease. */
const settleAttempts = 5;

/**
 * A claimed message's outcome must reach its record: a text the carrier has and a record still
 * `sending` would go again once the lease ran out, and a failure on the last delivery would sit in
 * the DLQ without its reason. A write that failed (DynamoDB throttled it, say) is tried again, a
 * moment later each time; a repeat of one that did land finds the record settled and changes nothing.
 */
async function persistently<T>(sms: OutboundSms, write: () => Promise<T>, deps: SendSmsDeps): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= settleAttempts) throw error;
      logger.warn('could not record the outcome; trying again', {
        messageId: sms.messageId,
        reason: (error as Error).message,
      });
      await deps.sleep(100 * 2 ** attempt);
    }
  }
}

/**
 * The delay of a deferred text's next hop. SQS delays a message 15 minutes at most, so a longer
 * wait is a chain of hops, and an arrival before `notBefore` hops again.
 */
function hopSeconds(notBefore: string, now: Date): number {
  const waitSeconds = Math.ceil((Date.parse(notBefore) - now.getTime()) / 1000);
  return Math.min(maxQueueDelaySeconds, Math.max(0, waitSeconds));
}

/** Why a marketing text may not go when the merchant sends registered templates only. */
async function templateRefusal(
  sms: OutboundSms,
  merchant: Merchant,
  templates: TemplatesStore,
): Promise<string | undefined> {
  if (!sms.template) return 'unregistered-template: the text was not made from a registered template';
  const template = await templates.get(sms.merchantId, sms.template);
  if (!template) return `unregistered-template: no template ${sms.template}`;
  const problem = registrationProblem(template, merchant.signature);
  return problem && `unregistered-template: ${problem}`;
}

function capReason(cap: Cap, limit: number, signature: string, template: string): string {
  switch (cap) {
    case 'frequency-day':
      return `frequency-cap: at most ${limit} marketing texts a day to one member`;
    case 'frequency-week':
      return `frequency-cap: at most ${limit} marketing texts a week to one member`;
    case 'carrier-day':
      return `carrier-cap: at most ${limit} texts a day to one number with ${signature} and template ${template}`;
  }
}

/**
 * Calls `send` in one of the sender's slots (shared/domain/rate-limit.ts explains why this never
 * exceeds the sender's MPS), or answers when its slots are taken further ahead than a text may wait.
 */
async function inSlot<T>(
  merchant: Merchant,
  deps: SendSmsDeps,
  send: () => Promise<T>,
): Promise<{ result: T } | { busyUntil: number }> {
  const intervalMs = slotIntervalMs(merchant.sending.mps);
  const latest = deps.clock().getTime() + slotWaitBudgetMs;
  for (;;) {
    const start = deps.clock().getTime() + slotLeadMs;
    if (start > latest) return { busyUntil: start };
    const reservation = await deps.limits.reserveSlot(merchant.merchantId, merchant.senderNumber, {
      start,
      intervalMs,
      latest,
    });
    if ('busyUntil' in reservation) return reservation;
    let now = deps.clock().getTime();
    while (now < reservation.slot) {
      await deps.sleep(reservation.slot - now);
      now = deps.clock().getTime();
    }
    // The check and the start of the provider call are one synchronous step: nothing runs between.
    if (onTime(reservation.slot, now)) return { result: await send() };
    // Woke too late: sending now could crowd the slots after this one, so this slot goes unused.
  }
}

/**
 * A refusal for good is final at once. Anything else goes back to SQS (the caller backs off); the
 * record says `retrying`, or `failed` on the last delivery, before the queue moves it to the DLQ.
 */
async function recordFailure(sms: OutboundSms, error: Error, deps: SendSmsDeps, delivery: Delivery) {
  const now = deps.clock();
  if (error instanceof SmsProviderError && !error.retryable) {
    logger.warn('provider refused the text', { messageId: sms.messageId, reason: error.message });
    if (await persistently(sms, () => deps.messages.failed(sms, error.message, now), deps))
      count(metricNames.textsFailed, { category: sms.category, stage: 'provider' });
    return;
  }
  const last = delivery.receiveCount >= queues.outbound.maxReceiveCount;
  const recorded = persistently(
    sms,
    () =>
      last ? deps.messages.failed(sms, error.message, now) : deps.messages.retrying(sms, error.message, now),
    deps,
  );
  // The original failure is what SQS must hear about, even when recording it failed too.
  const settled = await recorded.catch((recordError: Error) => {
    logger.error('could not record the failure', { messageId: sms.messageId, reason: recordError.message });
    return false;
  });
  if (last && settled) count(metricNames.textsFailed, { category: sms.category, stage: 'last-attempt' });
  throw error;
}
