import * as z from 'zod';
import { maxInboundTextLength } from '../domain/keywords';
import { senderNumberPattern } from '../domain/phone';
import { lazySchema } from '../lazy-schema';

/**
 * The message AWS End User Messaging SMS publishes to the two-way SNS topic for every inbound
 * text. The local simulator publishes the same shape.
 */
export const inboundSmsNotificationSchema = lazySchema(() =>
  z.object({
    originationNumber: z.string().min(1).max(32),
    destinationNumber: z.string().regex(senderNumberPattern),
    messageBody: z.string(),
    inboundMessageId: z.string().min(1).max(128),
    messageKeyword: z.string().optional(),
    previousPublishedMessageId: z.string().optional(),
  }),
);
export type InboundSmsNotification = z.infer<typeof inboundSmsNotificationSchema>;

/** A text to send, as it travels on the outbound queue. */
export const outboundSmsSchema = lazySchema(() =>
  z.object({
    /** Stable id: the send-once key. A reply's id derives from the text it answers. */
    messageId: z.string().min(1).max(200),
    merchantId: z.string().min(1),
    to: z.string().regex(senderNumberPattern),
    body: z.string().min(1).max(maxInboundTextLength),
    /** Service texts answer the customer; marketing texts need consent at send time. */
    category: z.enum(['service', 'marketing']),
    /** A service text the merchant chose not to send to members who opted out of marketing. */
    respectOptOut: z.boolean().optional(),
    /**
     * What the text was made from: a merchant template id, or the system text's kind (`reply:points`,
     * `care:birthday`). Carriers cap texts per number per signature + template; registered-template
     * rules apply to merchant templates.
     */
    template: z.string().min(1).max(100).optional(),
    /** The campaign the text belongs to: its outcome counts in that campaign's stats. */
    campaignId: z.string().min(1).max(100).optional(),
    /** Not to be sent before this instant (a text deferred to the merchant's send window). */
    notBefore: z.iso.datetime().optional(),
    /**
     * The merchant's day the text was first held over a carrier cap, on a held text released to be sent
     * again: held again, it expires counting from this day (shared/domain/held-texts.ts).
     */
    heldSince: z.iso.date().optional(),
    /**
     * When the text was first queued (the outbound queue's adapter stamps it; deferrals and releases keep
     * it): a text queued before its phone was erased is not sent (shared/domain/erasure.ts).
     */
    queuedAt: z.iso.datetime().optional(),
  }),
);
export type OutboundSms = z.infer<typeof outboundSmsSchema>;
