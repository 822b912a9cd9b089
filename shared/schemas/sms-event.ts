import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

/**
 * What AWS End User Messaging SMS reports about a text it sent, as its configuration set's event
 * destination publishes it to the `sms-events` SNS topic (one JSON event per SNS message). The
 * local simulator publishes the same shape. Only the fields the receipts rely on are modelled;
 * the rest (price, carrier, mcc/mnc …) pass unread.
 */
export const smsEventSchema = lazySchema(() =>
  z.object({
    /** `TEXT_DELIVERED`, `TEXT_SPAM` …: see `deliveredEventTypes` and `undeliveredEventTypes`. */
    eventType: z.string().min(1).max(64),
    /** When the event was reported, in Unix milliseconds. */
    eventTimestamp: z.number().int().nonnegative(),
    /** The message's last status: carriers may report transient failures that later succeed. */
    isFinal: z.boolean(),
    /** The provider's message id: what SendTextMessage answered and the sender recorded. */
    messageId: z.string().min(1).max(128),
    messageStatusDescription: z.string().max(1000).optional(),
    /** The `Context` the sender passed to SendTextMessage, returned as it was given. */
    context: z.record(z.string(), z.string()).optional(),
  }),
);
export type SmsEvent = z.infer<typeof smsEventSchema>;

/**
 * The context every text from this system carries, naming its message record. Events without it
 * are about texts someone else sent through the same configuration set.
 */
export const messageContextSchema = lazySchema(() =>
  z.object({
    merchantId: z.string().min(1).max(40),
    messageId: z.string().min(1).max(200),
  }),
);
export type MessageContext = z.infer<typeof messageContextSchema>;

/**
 * The handset got the text. AWS uses the two interchangeably depending on the destination
 * country; where a carrier reports both, the first one settles the message.
 */
export const deliveredEventTypes = ['TEXT_DELIVERED', 'TEXT_SUCCESSFUL'] as const;

/** The text did not reach the handset, and why, in the words a message record keeps. */
export const undeliveredEventTypes = {
  TEXT_BLOCKED: 'blocked',
  TEXT_CARRIER_BLOCKED: 'carrier-blocked',
  TEXT_CARRIER_UNREACHABLE: 'carrier-unreachable',
  TEXT_INVALID: 'invalid-number',
  TEXT_INVALID_MESSAGE: 'invalid-message',
  TEXT_PROTECT_BLOCKED: 'protect-blocked',
  /** The carrier judged the text unsolicited marketing: the member is treated as having complained. */
  TEXT_SPAM: 'spam',
  TEXT_TTL_EXPIRED: 'ttl-expired',
  TEXT_UNKNOWN: 'unknown',
  TEXT_UNREACHABLE: 'unreachable',
} as const;

export type UndeliveredEventType = keyof typeof undeliveredEventTypes;

/** The carrier's spam verdict, which counts as the member's complaint. */
export const spamEventType = 'TEXT_SPAM' satisfies UndeliveredEventType;

/**
 * The event types the configuration set publishes to `sms-events`: final outcomes only, since
 * queued and pending events change nothing.
 */
export const receiptEventTypes = [
  ...deliveredEventTypes,
  ...(Object.keys(undeliveredEventTypes) as UndeliveredEventType[]),
];
