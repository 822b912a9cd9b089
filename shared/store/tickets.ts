import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  maxTicketAnswers,
  type NewTicket,
  type Ticket,
  type TicketAnswer,
  type TicketStatus,
  type TicketType,
  ticketIdSchema,
  ticketSchema,
} from '../schemas/ticket';
import { countAll } from './paging';
import { cancellationCodes, isConditionFailure } from './transactions';

/**
 * Tickets live in the Engagement table, all of a merchant's in one partition `<merchantId>#TICKETS`:
 * - `TICKET#<number, 10 digits>`: the ticket, so they sort by number;
 * - `COUNTER`: the last number given out, raised atomically for each new ticket;
 * - `INBOUND#<inbound message id>`: the ticket a text opened, so a text delivered again opens none;
 * - `OPEN_COUNT`: how many tickets are `open` (no answer yet), changed in the same transaction as the
 *   ticket whose status leaves or enters `open`, so the console's menu reads one item, not the partition.
 * Numbers rise and are never reused; one taken by an attempt that then failed is skipped.
 */
export const ticketsPartition = (merchantId: string) => `${merchantId}#TICKETS`;
const partitionOf = ticketsPartition;
export const ticketPrefix = 'TICKET#';
const ticketKey = (merchantId: string, ticketId: string) => ({
  pk: partitionOf(merchantId),
  sk: `${ticketPrefix}${ticketId.padStart(10, '0')}`,
});
const counterKey = (merchantId: string) => ({ pk: partitionOf(merchantId), sk: 'COUNTER' });
const openCountKey = (merchantId: string) => ({ pk: partitionOf(merchantId), sk: 'OPEN_COUNT' });
const inboundKey = (merchantId: string, inboundMessageId: string) => ({
  pk: partitionOf(merchantId),
  sk: `INBOUND#${inboundMessageId}`,
});

export interface TicketsPage {
  tickets: Ticket[];
  /** Present while there may be more: the last ticket id read. */
  cursor?: string;
}

export interface TicketFilter {
  status?: TicketStatus;
  type?: TicketType;
}

export type AnswerOutcome =
  | { status: 'answered' | 'replayed'; ticket: Ticket; answer: TicketAnswer }
  /** The idempotency key already answered this ticket with another text. */
  | { status: 'key-reused' }
  | { status: 'closed'; ticket: Ticket }
  | { status: 'full'; ticket: Ticket }
  | { status: 'not-found' }
  /** Other answers kept arriving at the same moment. */
  | { status: 'conflict' };

export interface TicketsStore {
  /** Opens the ticket with the next number; the same inbound text again answers with its ticket. */
  open(ticket: NewTicket): Promise<{ ticket: Ticket; replayed: boolean }>;
  get(merchantId: string, ticketId: string): Promise<Ticket | undefined>;
  /**
   * Newest first, a page at a time. With a filter a page may hold fewer than `limit` tickets and
   * still carry a cursor: the listing reads a bounded number of tickets per call.
   */
  list(merchantId: string, options: TicketFilter & { limit: number; cursor?: string }): Promise<TicketsPage>;
  /** How many tickets are not closed yet: open, or answered and waiting on the member. */
  countUnclosed(merchantId: string): Promise<number>;
  /** How many tickets are `open`, waiting for a first answer: one item read, kept by every change of status. */
  countOpen(merchantId: string): Promise<number>;
  /** Adds the merchant's answer, once per idempotency key. */
  answer(
    merchantId: string,
    ticketId: string,
    answer: { text: string; idempotencyKey: string; at: Date },
  ): Promise<AnswerOutcome>;
  /** Closes the ticket; closing a closed ticket answers with it as it is. Undefined when there is none. */
  close(merchantId: string, ticketId: string, at: Date): Promise<Ticket | undefined>;
}

/** Tickets a filtered listing reads per call, at most: the page is then returned as far as it got. */
const maxReadPerList = 500;
const answerAttempts = 3;

export function ticketsStore(db: DynamoDBDocumentClient, tableName: string): TicketsStore {
  const parse = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) => ticketSchema.parse(item);

  const read = async (key: Record<string, string>) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  const get = async (merchantId: string, ticketId: string) => {
    const item = await read(ticketKey(merchantId, ticketId));
    return item ? parse(item) : undefined;
  };

  const openedBy = async (merchantId: string, inboundMessageId: string) => {
    const marker = await read(inboundKey(merchantId, inboundMessageId));
    const ticket = marker && (await get(merchantId, String(marker.ticketId)));
    return ticket ? { ticket, replayed: true } : undefined;
  };

  /** Raises or lowers the count of open tickets, as an item of the transaction that changes a status. */
  const openCountChange = (merchantId: string, by: 1 | -1) => ({
    Update: {
      TableName: tableName,
      Key: openCountKey(merchantId),
      UpdateExpression: 'ADD openTickets :by',
      ExpressionAttributeValues: { ':by': by },
    },
  });

  /**
   * Writes the ticket's new state, conditioned on the status (and answers) it was read with; when it
   * leaves `open`, the count of open tickets goes down in the same transaction. False when the ticket
   * changed since it was read.
   */
  const rewrite = async (
    read: Ticket,
    update: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<boolean> => {
    const change = {
      TableName: tableName,
      Key: ticketKey(read.merchantId, read.ticketId),
      ...update,
      ConditionExpression: 'size(answers) = :count AND #status = :was',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ...update.ExpressionAttributeValues,
        ':count': read.answers.length,
        ':was': read.status,
      },
    };
    try {
      if (read.status === 'open') {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [{ Update: change }, openCountChange(read.merchantId, -1)],
          }),
        );
      } else await db.send(new UpdateCommand(change));
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (isConditionFailure(error) || codes?.includes('ConditionalCheckFailed')) return false;
      if (codes?.includes('TransactionConflict')) return false;
      throw error;
    }
  };

  return {
    async open(input) {
      const { merchantId, inboundMessageId } = input;
      const earlier = await openedBy(merchantId, inboundMessageId);
      if (earlier) return earlier;
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: counterKey(merchantId),
          UpdateExpression: 'ADD lastNumber :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const ticket = ticketSchema.parse({
        ...input,
        ticketId: String(Attributes?.lastNumber),
        status: 'open',
        answers: [],
        updatedAt: input.openedAt,
      });
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { ...inboundKey(merchantId, inboundMessageId), ticketId: ticket.ticketId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...ticketKey(merchantId, ticket.ticketId), ...ticket },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              openCountChange(merchantId, 1),
            ],
          }),
        );
        return { ticket, replayed: false };
      } catch (error) {
        // The same text, handled twice at once: the other attempt opened it.
        if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
        const other = await openedBy(merchantId, inboundMessageId);
        if (!other) throw error;
        return other;
      }
    },

    get,

    async list(merchantId, { limit, cursor, status, type }) {
      const filters: string[] = [];
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':pk': partitionOf(merchantId), ':prefix': ticketPrefix };
      if (status) {
        filters.push('#status = :status');
        names['#status'] = 'status';
        values[':status'] = status;
      }
      if (type) {
        filters.push('#type = :type');
        names['#type'] = 'type';
        values[':type'] = type;
      }
      let tickets: Ticket[] = [];
      let start = cursor === undefined ? undefined : ticketKey(merchantId, ticketIdSchema.parse(cursor));
      let read = 0;
      // DynamoDB counts `Limit` before the filter: read on until the page is full or the budget spent.
      do {
        const wanted = limit - tickets.length;
        const page = await db.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: filters.length ? filters.join(' AND ') : undefined,
            ExpressionAttributeNames: filters.length ? names : undefined,
            ExpressionAttributeValues: values,
            ExclusiveStartKey: start,
            ScanIndexForward: false,
            Limit: filters.length ? Math.min(Math.max(wanted, 50), maxReadPerList - read) : wanted,
          }),
        );
        tickets.push(...(page.Items ?? []).map(parse));
        read += page.ScannedCount ?? 0;
        start = page.LastEvaluatedKey as typeof start;
      } while (start && tickets.length < limit && read < maxReadPerList);
      if (tickets.length > limit) {
        tickets = tickets.slice(0, limit);
        return { tickets, cursor: tickets[limit - 1]?.ticketId };
      }
      return {
        tickets,
        ...(start ? { cursor: String(Number(String(start.sk).slice(ticketPrefix.length))) } : {}),
      };
    },

    countUnclosed: (merchantId) =>
      countAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status <> :closed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': partitionOf(merchantId),
          ':prefix': ticketPrefix,
          ':closed': 'closed',
        },
      }),

    async countOpen(merchantId) {
      const item = await read(openCountKey(merchantId));
      // Tickets opened before the count was kept may take it below zero when answered: none is fewer.
      return Math.max(0, Number(item?.openTickets ?? 0));
    },

    async answer(merchantId, ticketId, { text, idempotencyKey, at }) {
      for (let attempt = 0; attempt < answerAttempts; attempt++) {
        const ticket = await get(merchantId, ticketId);
        if (!ticket) return { status: 'not-found' };
        const earlier = ticket.answers.find((answer) => answer.idempotencyKey === idempotencyKey);
        if (earlier) {
          return earlier.text === text
            ? { status: 'replayed', ticket, answer: earlier }
            : { status: 'key-reused' };
        }
        if (ticket.status === 'closed') return { status: 'closed', ticket };
        if (ticket.answers.length >= maxTicketAnswers) return { status: 'full', ticket };
        const answer: TicketAnswer = {
          n: ticket.answers.length + 1,
          text,
          answeredAt: at.toISOString(),
          idempotencyKey,
        };
        const written = await rewrite(ticket, {
          UpdateExpression:
            'SET answers = list_append(answers, :answer), #status = :answered, updatedAt = :at',
          ExpressionAttributeValues: {
            ':answer': [answer],
            ':answered': 'answered',
            ':at': answer.answeredAt,
          },
        });
        if (written) {
          const answered = { ...ticket, answers: [...ticket.answers, answer], status: 'answered' as const };
          return { status: 'answered', ticket: { ...answered, updatedAt: answer.answeredAt }, answer };
        }
      }
      return { status: 'conflict' };
    },

    async close(merchantId, ticketId, at) {
      for (let attempt = 0; attempt < answerAttempts; attempt++) {
        const ticket = await get(merchantId, ticketId);
        if (!ticket || ticket.status === 'closed') return ticket;
        const closedAt = at.toISOString();
        const written = await rewrite(ticket, {
          UpdateExpression: 'SET #status = :closed, closedAt = :at, updatedAt = :at',
          ExpressionAttributeValues: { ':closed': 'closed', ':at': closedAt },
        });
        if (written) return { ...ticket, status: 'closed', closedAt, updatedAt: closedAt };
      }
      // Changed at every attempt: the ticket as it is now (closed by one of the others, or not yet).
      return get(merchantId, ticketId);
    },
  };
}
