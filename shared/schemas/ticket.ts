import * as z from 'zod';
import { maxInboundTextLength } from '../domain/keywords';
import { lazySchema } from '../lazy-schema';
import { merchantIdSchema } from './merchant';

/**
 * A member's feedback, complaint or suggestion by text (反馈 / FK, 投诉 / 举报, 建议), kept until the
 * merchant has answered and closed it. Complaints also hold back marketing (the member's suppression);
 * closing the ticket does not clear that: a person clears it, saying who and why.
 */

export const ticketTypeSchema = lazySchema(() => z.enum(['feedback', 'complaint', 'suggestion']));
export type TicketType = z.infer<typeof ticketTypeSchema>;

/** `answered` once the merchant has answered it at least once; `closed` is final. */
export const ticketStatusSchema = lazySchema(() => z.enum(['open', 'answered', 'closed']));
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

/** The ticket number the member was told, 1, 2, 3… per merchant. */
export const ticketIdSchema = lazySchema(() =>
  z.string().regex(/^[1-9]\d{0,9}$/, 'ticket id: the ticket number, e.g. 12'),
);

/** Answers a ticket keeps: a conversation, not a mailbox; beyond this, the merchant calls the member. */
export const maxTicketAnswers = 20;

export const ticketAnswerSchema = lazySchema(() =>
  z.object({
    /** 1 for the first answer: with the ticket id, the answer text's send-once message id. */
    n: z.int().min(1).max(maxTicketAnswers),
    text: z.string().min(1).max(500),
    answeredAt: z.iso.datetime(),
    /** The merchant's key for the call that sent it: a retry sends nothing more. */
    idempotencyKey: z.string().max(128),
  }),
);
export type TicketAnswer = z.infer<typeof ticketAnswerSchema>;

export const ticketSchema = lazySchema(() =>
  z.object({
    merchantId: merchantIdSchema,
    ticketId: ticketIdSchema,
    type: ticketTypeSchema,
    status: ticketStatusSchema,
    phone: z.string(),
    /** The member's text as they sent it, keyword included. */
    message: z.string().max(maxInboundTextLength),
    /** The text that opened it: the same text delivered again opens no second ticket. */
    inboundMessageId: z.string().max(128),
    openedAt: z.iso.datetime(),
    answers: z.array(ticketAnswerSchema).max(maxTicketAnswers).default([]),
    closedAt: z.iso.datetime().optional(),
    updatedAt: z.iso.datetime(),
  }),
);
export type Ticket = z.infer<typeof ticketSchema>;

/** What the keyword service knows when a text opens a ticket; the store gives it its number. */
export type NewTicket = Pick<
  Ticket,
  'merchantId' | 'type' | 'phone' | 'message' | 'inboundMessageId' | 'openedAt'
>;

/** The send-once id of an answer's text: a retried answer call queues the same id, and it goes out once. */
export const ticketAnswerMessageId = (ticketId: string, n: number) => `ticket-answer#${ticketId}#${n}`;
