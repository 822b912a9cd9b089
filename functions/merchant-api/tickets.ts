import * as z from 'zod';
import { replies } from '../../shared/domain/replies';
import { signedText, textBilling } from '../../shared/domain/sms-text';
import type { OutboundQueue } from '../../shared/queue/outbound-queue';
import type { Merchant } from '../../shared/schemas/merchant';
import {
  ticketAnswerSchema as answerRecordSchema,
  maxTicketAnswers,
  type Ticket,
  ticketAnswerMessageId,
  ticketIdSchema,
  ticketSchema,
  ticketStatusSchema,
  ticketTypeSchema,
} from '../../shared/schemas/ticket';
import type { TicketsStore } from '../../shared/store/tickets';
import {
  HttpError,
  idempotencyKeyOf,
  idempotencyKeySchema,
  json,
  pageQuery,
  parseBody,
  parseQuery,
  type Request,
  type Response,
} from './http';
import { anyOf, invalidBody, invalidKey, invalidQuery, type RouteDocsFor, replayed } from './route-docs';

/**
 * Tickets members open by text (反馈, 投诉, 建议): the merchant lists them, answers by text and
 * closes them. An answer goes to the member as a service text.
 */

export interface TicketRoutesDeps {
  tickets: TicketsStore;
  outbound: OutboundQueue;
  clock: () => Date;
}

export const ticketsQuerySchema = z.strictObject({
  ...pageQuery(ticketIdSchema, 50),
  status: ticketStatusSchema.optional(),
  type: ticketTypeSchema.optional(),
});

export const ticketAnswerBodySchema = z.strictObject({
  text: z
    .string()
    .trim()
    .min(1, 'text: write the answer the member will receive')
    .max(500, 'text: 500 characters at most'),
  idempotencyKey: idempotencyKeySchema.optional(),
});

const answerViewSchema = answerRecordSchema.omit({ idempotencyKey: true });
const ticketViewSchema = ticketSchema
  .omit({ merchantId: true })
  .extend({ answers: z.array(answerViewSchema) });
const ticketAnswerSchema = z.object({ ticket: ticketViewSchema });
const ticketsPageSchema = z.object({ tickets: z.array(ticketViewSchema), cursor: ticketIdSchema.optional() });
const ticketCountsSchema = z.object({ counts: z.object({ open: z.int().nonnegative() }) });
const answeredSchema = ticketAnswerSchema.extend({ replayed: z.boolean() });

const viewOf = ({ merchantId: _tenant, answers, ...ticket }: Ticket): z.infer<typeof ticketViewSchema> => ({
  ...ticket,
  answers: answers.map(({ idempotencyKey: _key, ...answer }) => answer),
});

const notFound = () => new HttpError(404, 'ticket_not_found', 'no ticket with this number');

/** The ticket id in the path, or undefined when it cannot be one (then no ticket has it). */
function ticketIdIn(request: Request): string | undefined {
  const ticketId = ticketIdSchema.safeParse(request.pathParameters?.ticketId);
  return ticketId.success ? ticketId.data : undefined;
}

/** `GET /v1/tickets`: newest first, a page at a time, by status and type if asked. */
export async function listTickets(
  request: Request,
  merchant: Merchant,
  deps: TicketRoutesDeps,
): Promise<Response> {
  const query = parseQuery(request, ticketsQuerySchema);
  const page = await deps.tickets.list(merchant.merchantId, query);
  return json(200, {
    tickets: page.tickets.map(viewOf),
    cursor: page.cursor,
  } satisfies z.infer<typeof ticketsPageSchema>);
}

/** `GET /v1/tickets/counts`: the tickets waiting for an answer, from one counter item. */
export async function countTickets(
  _request: Request,
  merchant: Merchant,
  deps: TicketRoutesDeps,
): Promise<Response> {
  const open = await deps.tickets.countOpen(merchant.merchantId);
  return json(200, { counts: { open } } satisfies z.infer<typeof ticketCountsSchema>);
}

/** `GET /v1/tickets/{ticketId}`. */
export async function getTicket(
  request: Request,
  merchant: Merchant,
  deps: TicketRoutesDeps,
): Promise<Response> {
  const ticketId = ticketIdIn(request);
  const ticket = ticketId && (await deps.tickets.get(merchant.merchantId, ticketId));
  if (!ticket) throw notFound();
  return json(200, { ticket: viewOf(ticket) } satisfies z.infer<typeof ticketAnswerSchema>);
}

/**
 * `POST /v1/tickets/{ticketId}/answer`: the answer is kept on the ticket and texted to the member.
 * Its idempotency key makes a retry send nothing more: the answer found under the key is queued again
 * with its own message id (`ticket-answer#<ticketId>#<n>`), which the sender sends once.
 */
export async function answerTicket(
  request: Request,
  merchant: Merchant,
  deps: TicketRoutesDeps,
): Promise<Response> {
  const ticketId = ticketIdIn(request);
  const body = parseBody(request, ticketAnswerBodySchema);
  const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key'], body.idempotencyKey);
  if (!ticketId) throw notFound();
  // The member may have written more than once: the answer says which of their texts it answers.
  const lang = /\p{Script=Han}/u.test(body.text) ? 'zh' : 'en';
  const answerText = replies.ticketAnswer({ lang, merchantName: merchant.name }, Number(ticketId), body.text);
  const sent = signedText(answerText, {
    signature: merchant.signature,
    unsubscribeLine: '',
    category: 'service',
  });
  const { length, tooLong } = textBilling(sent);
  if (tooLong) {
    const message = `the text as sent is ${length} characters with your signature; carriers refuse more than 500`;
    throw new HttpError(400, 'text_too_long', `text: ${message}`, [{ path: 'text', message }]);
  }
  const outcome = await deps.tickets.answer(merchant.merchantId, ticketId, {
    text: body.text,
    idempotencyKey,
    at: deps.clock(),
  });
  switch (outcome.status) {
    case 'not-found':
      throw notFound();
    case 'key-reused':
      throw new HttpError(
        409,
        'idempotency_key_reused',
        'this idempotency key already answered the ticket with another text',
      );
    case 'closed':
      throw new HttpError(
        409,
        'ticket_closed',
        `ticket ${ticketId} was closed at ${outcome.ticket.closedAt}`,
      );
    case 'full':
      throw new HttpError(
        409,
        'too_many_answers',
        `a ticket takes ${maxTicketAnswers} answers; call the member instead`,
      );
    case 'conflict':
      throw new HttpError(409, 'conflict', 'other answers to the ticket arrived at the same time; try again');
    case 'answered':
    case 'replayed': {
      const { ticket, answer } = outcome;
      await deps.outbound.enqueue({
        messageId: ticketAnswerMessageId(ticket.ticketId, answer.n),
        merchantId: merchant.merchantId,
        to: ticket.phone,
        // A replay's answer has this text: the same key with another text was refused above.
        body: answerText,
        category: 'service',
      });
      const replayedAnswer = outcome.status === 'replayed';
      return json(replayedAnswer ? 200 : 201, {
        ticket: viewOf(ticket),
        replayed: replayedAnswer,
      } satisfies z.infer<typeof answeredSchema>);
    }
  }
}

/**
 * `POST /v1/tickets/{ticketId}/close`: final. Closing a closed ticket changes nothing, so a retry is
 * harmless. A complaint's hold on marketing stays until a person clears it (DELETE suppression).
 */
export async function closeTicket(
  request: Request,
  merchant: Merchant,
  deps: TicketRoutesDeps,
): Promise<Response> {
  const ticketId = ticketIdIn(request);
  const ticket = ticketId && (await deps.tickets.close(merchant.merchantId, ticketId, deps.clock()));
  if (!ticket) throw notFound();
  return json(200, { ticket: viewOf(ticket) } satisfies z.infer<typeof ticketAnswerSchema>);
}

const ticket = { ticketId: 'The ticket number the member was texted, e.g. 12' };
const noTicket = 'There is no ticket with the number';

export const ticketRouteDocs: RouteDocsFor<'/v1/tickets'> = {
  'GET /v1/tickets': {
    summary: 'List tickets',
    description:
      'Feedback (反馈, FK, FEEDBACK), complaints (投诉, 举报) and suggestions (建议) members texted, newest ' +
      'first, with `status` (open, answered, closed) and `type` to narrow them. A narrowed page may hold ' +
      'fewer than `limit` tickets and still have a `cursor`: pass it to read on.',
    query: ticketsQuerySchema,
    responses: { 200: { description: 'A page of tickets', body: ticketsPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/tickets/counts': {
    summary: 'Count open tickets',
    description:
      'How many tickets are `open`: texted by members and not answered yet. Kept as a counter beside ' +
      'the tickets, so asking often (the console does, for its menu) costs one read.',
    responses: { 200: { description: 'The counts', body: ticketCountsSchema } },
    errors: {},
  },
  'GET /v1/tickets/{ticketId}': {
    summary: 'A ticket',
    description: "The member's text as they sent it, the phone, its status and every answer sent.",
    pathParameters: ticket,
    responses: { 200: { description: 'The ticket', body: ticketAnswerSchema } },
    errors: { 404: noTicket },
  },
  'POST /v1/tickets/{ticketId}/answer': {
    summary: 'Answer a ticket by text',
    description:
      'Texts `text` to the member (a service text, signed with your signature) and keeps it on the ' +
      'ticket, which becomes `answered`. Needs an idempotency key: a retry with the same key and text ' +
      'sends nothing more.',
    pathParameters: ticket,
    body: ticketAnswerBodySchema,
    idempotencyKey: true,
    responses: {
      201: { description: 'Answered: the text is on its way', body: answeredSchema },
      200: { description: replayed, body: answeredSchema },
    },
    errors: {
      400: anyOf(invalidBody, invalidKey, 'the text as sent would be over 500 characters'),
      404: noTicket,
      409: anyOf(
        'the ticket is closed',
        `it has ${maxTicketAnswers} answers already`,
        'the idempotency key already answered it with another text',
      ),
    },
  },
  'POST /v1/tickets/{ticketId}/close': {
    summary: 'Close a ticket',
    description:
      'Final: a closed ticket takes no more answers. Closing it again changes nothing. Closing a ' +
      'complaint does not let marketing go to the member again: clear that with DELETE /v1/members/{phone}/suppression.',
    pathParameters: ticket,
    responses: { 200: { description: 'The closed ticket', body: ticketAnswerSchema } },
    errors: { 404: noTicket },
  },
};
