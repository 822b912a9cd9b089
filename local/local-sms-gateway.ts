import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod';
import { maxInboundTextLength } from '../shared/domain/keywords';
import { countSegments, type Encoding } from '../shared/domain/segments';
import { deliveredEventTypes, type SmsEvent, undeliveredEventTypes } from '../shared/schemas/sms-event';
import type { OutgoingText } from '../shared/sms/provider';

/** A text as the simulated carrier delivered it to a phone. */
export interface DeliveredText {
  at: string;
  from: string;
  to: string;
  body: string;
  segments: number;
  encoding: Encoding;
  category: OutgoingText['category'];
  providerMessageId: string;
}

/** What a developer posts to /local/sms/inbound: a customer's text to a merchant's number. */
export const simulatedTextSchema = z.strictObject(
  {
    from: z
      .string({ error: 'from: the customer phone is required' })
      .trim()
      .min(1, 'from: the customer phone is required'),
    to: z
      .string({ error: "to: the merchant's number is required" })
      .trim()
      .min(1, "to: the merchant's number is required"),
    text: z
      .string({ error: 'text: the text of the message is required' })
      .refine((text) => text.trim().length > 0, 'text is empty')
      .refine(
        (text) => text.length <= maxInboundTextLength,
        `text is longer than ${maxInboundTextLength} characters`,
      ),
    /** Repeat an earlier messageId to replay a delivery, as a provider may. */
    messageId: z.string().min(1).max(128).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field(s): ${issue.keys.join(', ')}; send {"from","to","text"}`
        : undefined,
  },
);

export const gatewayTextSchema = z.object({
  from: z.string(),
  to: z.string(),
  body: z.string().min(1),
  category: z.enum(['service', 'marketing']),
  /** Returned in the text's delivery event, as End User Messaging returns SendTextMessage's `Context`. */
  context: z.record(z.string(), z.string()).optional(),
});
export type GatewayText = z.infer<typeof gatewayTextSchema>;

/** Outbox of every simulated phone; the newest texts are kept, the oldest dropped. */
export function outbox(keepPerPhone = 500, onText?: (text: DeliveredText) => void) {
  const byPhone = new Map<string, DeliveredText[]>();
  return {
    deliver(text: OutgoingText, at = new Date()): DeliveredText {
      const parts = countSegments(text.body);
      const delivered: DeliveredText = {
        at: at.toISOString(),
        from: text.from,
        to: text.to,
        body: text.body,
        segments: parts.segments,
        encoding: parts.encoding,
        category: text.category,
        providerMessageId: randomUUID(),
      };
      const list = byPhone.get(text.to) ?? [];
      list.push(delivered);
      if (list.length > keepPerPhone) list.shift();
      byPhone.set(text.to, list);
      onText?.(delivered);
      return delivered;
    },
    /** Texts sent to a phone, newest last. */
    to(phone: string): DeliveredText[] {
      return byPhone.get(phone) ?? [];
    },
  };
}

/** The SNS event AWS End User Messaging SMS produces: a two-way text, or a text's delivery event. */
export function snsEventOf(notification: object, topicArn: string): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:local`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Subject: '',
          Message: JSON.stringify(notification),
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: '',
          SigningCertUrl: '',
          UnsubscribeUrl: '',
          MessageAttributes: {},
        },
      },
    ],
  };
}

const [deliveredEventType] = deliveredEventTypes;
const carrierOutcomes = [deliveredEventType, ...Object.keys(undeliveredEventTypes)] as const;

/**
 * What a developer or a test posts to /local/sms/carrier: how the simulated carrier treats texts to
 * a phone from now on. `TEXT_DELIVERED` (the default) hands them over; any failure keeps them from
 * the phone's outbox and reports that event instead (`TEXT_SPAM`: the carrier flags them as spam).
 */
export const carrierFateSchema = z.strictObject({
  phone: z.string().trim().min(1, 'phone: the number whose texts the carrier treats this way'),
  outcome: z.enum(carrierOutcomes, { error: `outcome: one of ${carrierOutcomes.join(', ')}` }),
});
export type CarrierFate = z.infer<typeof carrierFateSchema>;

/**
 * The simulated carrier behind the gateway: each text the gateway accepts reaches the phone's
 * outbox unless the phone's fate says otherwise, and the outcome is reported as End User Messaging
 * reports it to the configuration set's event destination.
 */
export function simulatedCarrier(phones: ReturnType<typeof outbox>, report: (event: SmsEvent) => void) {
  const fates = new Map<string, CarrierFate['outcome']>();
  return {
    setFate({ phone, outcome }: CarrierFate) {
      if (outcome === deliveredEventType) fates.delete(phone);
      else fates.set(phone, outcome);
    },
    accept(text: GatewayText, at = new Date()): { providerMessageId: string } {
      const outcome = fates.get(text.to) ?? deliveredEventType;
      const providerMessageId =
        outcome === deliveredEventType ? phones.deliver(text, at).providerMessageId : randomUUID();
      report(smsEventOf(text, providerMessageId, outcome, at));
      return { providerMessageId };
    },
  };
}

/** A final delivery event, shaped as End User Messaging SMS publishes it to an SNS destination. */
function smsEventOf(
  text: GatewayText,
  providerMessageId: string,
  eventType: string,
  at: Date,
): SmsEvent & Record<string, unknown> {
  const parts = countSegments(text.body);
  return {
    eventType,
    eventVersion: '1.0',
    eventTimestamp: at.getTime(),
    isFinal: true,
    originationPhoneNumber: text.from,
    destinationPhoneNumber: text.to,
    isoCountryCode: 'CN',
    messageId: providerMessageId,
    messageRequestTimestamp: at.getTime(),
    messageEncoding: parts.encoding,
    messageType: text.category === 'marketing' ? 'PROMOTIONAL' : 'TRANSACTIONAL',
    messageStatus: eventType.replace(/^TEXT_/, ''),
    messageStatusDescription: `simulated carrier: ${eventType}`,
    ...(text.context ? { context: text.context } : {}),
    totalMessageParts: parts.segments,
  };
}

/**
 * Publishes delivery events to the receipts function the way SNS and Lambda do: asynchronously, a
 * moment after the send, and after a failure twice more, later (Lambda's asynchronous retries),
 * so a receipt that overtook its send's record is applied once the record says sent.
 */
export function receiptPublisher(
  invoke: (event: SNSEvent) => Promise<unknown>,
  topicArn: string,
  delaysMs: readonly number[] = [100, 1000, 2000],
) {
  const pending = new Set<Promise<void>>();
  const publish = async (event: SmsEvent) => {
    for (const [attempt, delay] of delaysMs.entries()) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        await invoke(snsEventOf(event, topicArn));
        return;
      } catch (error) {
        if (attempt === delaysMs.length - 1) console.error('delivery event failed', error);
      }
    }
  };
  return {
    report(event: SmsEvent) {
      const done = publish(event).finally(() => pending.delete(done));
      pending.add(done);
    },
    /** Resolves once every event reported so far has been handled or has failed its last retry. */
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
