import {
  deliveredEventTypes,
  type MessageContext,
  messageContextSchema,
  type SmsEvent,
  spamEventType,
  type UndeliveredEventType,
  undeliveredEventTypes,
} from '../../shared/schemas/sms-event';
import type { Receipt } from '../../shared/store/messages';

/** What an event from the provider means for one of our message records. */
export type ReadEvent =
  | {
      kind: 'receipt';
      /** The message record the event is about. */
      message: MessageContext;
      receipt: Receipt;
      /** The carrier flagged the text as spam: the member is treated as having complained. */
      complaint: boolean;
    }
  /** Nothing to record: the reason is logged. */
  | { kind: 'ignored'; reason: string };

const delivered: readonly string[] = deliveredEventTypes;
const isUndelivered = (eventType: string): eventType is UndeliveredEventType =>
  Object.hasOwn(undeliveredEventTypes, eventType);

/**
 * Reads a provider event as a message's final outcome. Only final events settle a message: a
 * carrier may report a transient failure (or an early "accepted") before its last word.
 */
export function readSmsEvent(event: SmsEvent): ReadEvent {
  const message = messageContextSchema.safeParse(event.context ?? {});
  if (!message.success) return { kind: 'ignored', reason: 'no message context: not a text this system sent' };
  if (!event.isFinal) return { kind: 'ignored', reason: `${event.eventType} is not final` };
  const at = new Date(event.eventTimestamp);
  const providerMessageId = event.messageId;
  if (delivered.includes(event.eventType)) {
    return {
      kind: 'receipt',
      message: message.data,
      receipt: { status: 'delivered', at, providerMessageId },
      complaint: false,
    };
  }
  if (!isUndelivered(event.eventType)) {
    return { kind: 'ignored', reason: `${event.eventType} is not a delivery outcome` };
  }
  return {
    kind: 'receipt',
    message: message.data,
    receipt: { status: 'undelivered', reason: undeliveredEventTypes[event.eventType], at, providerMessageId },
    complaint: event.eventType === spamEventType,
  };
}
