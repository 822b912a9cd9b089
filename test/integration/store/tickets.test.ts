import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewTicket, TicketType } from '../../../shared/schemas/ticket';
import { ticketsStore } from '../../../shared/store/tickets';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const tickets = ticketsStore(env.dynamo(), env.table('engagement'));
const at = new Date('2026-11-23T03:00:00.000Z');

const shop = async () => (await newMerchant(env)).merchant.merchantId;
const text = (merchantId: string, type: TicketType = 'feedback', message = '反馈 咖啡凉了'): NewTicket => ({
  merchantId,
  type,
  phone: newPhone(),
  message,
  inboundMessageId: randomUUID(),
  openedAt: at.toISOString(),
});

describe('tickets store', () => {
  it('numbers each merchant’s tickets 1, 2, 3 and keeps them apart from another merchant’s', async () => {
    const [a, b] = [await shop(), await shop()];
    const first = await tickets.open(text(a));
    const second = await tickets.open(text(a, 'complaint'));
    const other = await tickets.open(text(b));
    expect([first.ticket.ticketId, second.ticket.ticketId, other.ticket.ticketId]).toEqual(['1', '2', '1']);
    expect(first).toMatchObject({
      replayed: false,
      ticket: { status: 'open', type: 'feedback', answers: [] },
    });
    expect(await tickets.get(a, '2')).toEqual(second.ticket);
    expect(await tickets.get(b, '2')).toBeUndefined();
  });

  it('opens one ticket per inbound text, however often or concurrently it is handled', async () => {
    const merchantId = await shop();
    const same = text(merchantId);
    const opened = await Promise.all([1, 2, 3, 4].map(() => tickets.open(same)));
    expect(new Set(opened.map((o) => o.ticket.ticketId)).size).toBe(1);
    expect(opened.filter((o) => !o.replayed).length).toBeLessThanOrEqual(1);
    expect((await tickets.open(same)).replayed).toBe(true);
    expect((await tickets.list(merchantId, { limit: 10 })).tickets).toHaveLength(1);
  });

  it('numbers tickets opened at once without a gap or a repeat', async () => {
    const merchantId = await shop();
    const opened = await Promise.all(Array.from({ length: 8 }, () => tickets.open(text(merchantId))));
    expect(opened.map((o) => Number(o.ticket.ticketId)).sort((x, y) => x - y)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('lists newest first, by status and type, a page at a time', async () => {
    const merchantId = await shop();
    for (const type of ['feedback', 'complaint', 'suggestion', 'complaint', 'feedback'] as const) {
      await tickets.open(text(merchantId, type));
    }
    await tickets.close(merchantId, '2', at);
    const ids = async (filter: Parameters<typeof tickets.list>[1]) =>
      (await tickets.list(merchantId, filter)).tickets.map((t) => t.ticketId);
    expect(await ids({ limit: 10 })).toEqual(['5', '4', '3', '2', '1']);
    expect(await ids({ limit: 10, type: 'complaint' })).toEqual(['4', '2']);
    expect(await ids({ limit: 10, status: 'open', type: 'complaint' })).toEqual(['4']);
    expect(await ids({ limit: 10, status: 'closed' })).toEqual(['2']);

    const first = await tickets.list(merchantId, { limit: 1, type: 'feedback' });
    expect(first.tickets.map((t) => t.ticketId)).toEqual(['5']);
    const rest = await tickets.list(merchantId, { limit: 5, type: 'feedback', cursor: first.cursor });
    expect(rest.tickets.map((t) => t.ticketId)).toEqual(['1']);
    expect(rest.cursor).toBeUndefined();
  });

  it('keeps answers in order, once per idempotency key, and refuses a key reused for another text', async () => {
    const merchantId = await shop();
    const { ticket } = await tickets.open(text(merchantId));
    const answer = (body: string, idempotencyKey: string) =>
      tickets.answer(merchantId, ticket.ticketId, { text: body, idempotencyKey, at });
    expect(await answer('抱歉，已提醒店员', 'k1')).toMatchObject({
      status: 'answered',
      answer: { n: 1 },
      ticket: { status: 'answered' },
    });
    expect(await answer('抱歉，已提醒店员', 'k1')).toMatchObject({ status: 'replayed', answer: { n: 1 } });
    expect(await answer('另一段话', 'k1')).toEqual({ status: 'key-reused' });
    expect(await answer('送您一张券', 'k2')).toMatchObject({ status: 'answered', answer: { n: 2 } });
    expect((await tickets.get(merchantId, ticket.ticketId))?.answers.map((a) => a.n)).toEqual([1, 2]);
    expect(await tickets.answer(merchantId, '999', { text: 'x', idempotencyKey: 'k3', at })).toEqual({
      status: 'not-found',
    });
  });

  it('gives concurrent answers their own numbers', async () => {
    const merchantId = await shop();
    const { ticket } = await tickets.open(text(merchantId));
    const outcomes = await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        tickets.answer(merchantId, ticket.ticketId, { text: key, idempotencyKey: key, at }),
      ),
    );
    const numbers = outcomes.flatMap((o) => (o.status === 'answered' ? [o.answer.n] : []));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect((await tickets.get(merchantId, ticket.ticketId))?.answers).toHaveLength(numbers.length);
  });

  it('closes once: closing again keeps the first close, and a closed ticket takes no answer', async () => {
    const merchantId = await shop();
    const { ticket } = await tickets.open(text(merchantId));
    const closed = await tickets.close(merchantId, ticket.ticketId, at);
    expect(closed).toMatchObject({ status: 'closed', closedAt: at.toISOString() });
    expect(await tickets.close(merchantId, ticket.ticketId, new Date(at.getTime() + 60_000))).toEqual(closed);
    expect(
      await tickets.answer(merchantId, ticket.ticketId, { text: 'x', idempotencyKey: 'k', at }),
    ).toMatchObject({
      status: 'closed',
    });
    expect(await tickets.close(merchantId, '999', at)).toBeUndefined();
  });

  it('counts open tickets from one item: up when opened, down once when first answered or closed unanswered', async () => {
    const merchantId = await shop();
    const same = text(merchantId);
    const [first] = await Promise.all([1, 2, 3].map(() => tickets.open(same)));
    const second = (await tickets.open(text(merchantId))).ticket;
    const third = (await tickets.open(text(merchantId))).ticket;
    expect(await tickets.countOpen(merchantId)).toBe(3);
    const ticketId = first?.ticket.ticketId ?? '';
    // Answered twice at once, then again: it leaves `open` once.
    await Promise.all(
      ['a', 'b'].map((key) => tickets.answer(merchantId, ticketId, { text: key, idempotencyKey: key, at })),
    );
    await tickets.answer(merchantId, ticketId, { text: 'c', idempotencyKey: 'c', at });
    expect(await tickets.countOpen(merchantId)).toBe(2);
    await Promise.all([1, 2].map(() => tickets.close(merchantId, second.ticketId, at)));
    await tickets.close(merchantId, ticketId, at);
    expect(await tickets.countOpen(merchantId)).toBe(1);
    expect(await tickets.countOpen(await shop())).toBe(0);
    const unanswered = await tickets.list(merchantId, { limit: 10, status: 'open' });
    expect(unanswered.tickets.map((t) => t.ticketId)).toEqual([third.ticketId]);
  });
});
