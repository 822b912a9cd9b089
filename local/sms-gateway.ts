import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import { z } from 'zod';
import { maxInboundTextLength } from '../shared/domain/keywords';
import { countSegments, type Encoding } from '../shared/domain/segments';
import type { InboundSmsNotification } from '../shared/schemas/sms';
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
});

/** Outbox of every simulated phone; the newest texts are kept, the oldest dropped. */
export function outbox(keepPerPhone = 500) {
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
      return delivered;
    },
    /** Texts sent to a phone, newest last. */
    to(phone: string): DeliveredText[] {
      return byPhone.get(phone) ?? [];
    },
  };
}

/** The SNS event AWS End User Messaging SMS produces for a two-way text. */
export function snsEventOf(notification: InboundSmsNotification, topicArn: string): SNSEvent {
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
