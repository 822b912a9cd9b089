import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/** Feedback tickets through the local runtime: opened by text, answered and closed by the merchant's API. */
let local: Local;
let key: string;
let number: string;

beforeAll(async () => {
  local = await startLocal();
  const shop = await local.newShop({ name: '咖啡馆', signature: '【咖啡馆】' });
  key = shop.key;
  number = shop.merchant.senderNumber;
});
afterAll(() => local?.stop());

const text = (phone: string, body: string, messageId?: string) =>
  local.sms(phone, body, { to: number, messageId });
const get = (path: string) => local.call('GET', path, key);
const post = (path: string, body?: unknown, idempotencyKey?: string) =>
  local.call('POST', path, key, body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
const ticketIds = async (query: string) =>
  (await get(`/v1/tickets${query}`)).body.tickets.map((t: { ticketId: string }) => t.ticketId);

describe('feedback tickets', () => {
  it('opens a ticket for a complaint, answers and closes it, and lists tickets by status and type', async () => {
    const phone = newPhone();
    await text(phone, '注册 张三');
    await local.replies(phone, 1);

    const complaintId = randomUUID();
    await text(phone, '投诉 你们天天发广告', complaintId);
    expect((await local.replies(phone, 2))[1]).toBe(
      '【咖啡馆】您的投诉已收到（编号1），咖啡馆将尽快处理；处理完毕前不再向您发送营销短信。',
    );
    // The provider delivers the same text again: no second ticket, no second reply.
    await text(phone, '投诉 你们天天发广告', complaintId);
    await text(phone, '反馈：拿铁太甜了');
    await text(phone, '建议 周末营业到十点');
    await text(phone, '反馈');
    const texts = await local.replies(phone, 5);
    expect(texts.slice(2)).toEqual([
      '【咖啡馆】感谢您的反馈（编号2），咖啡馆会尽快回复您。',
      '【咖啡馆】感谢您的建议（编号3），咖啡馆会认真考虑并尽快回复您。',
      '【咖啡馆】请在"反馈"后写下您的意见，例如"反馈 今天的服务很好"。',
    ]);

    expect(await ticketIds('')).toEqual(['3', '2', '1']);
    expect((await get('/v1/tickets/counts')).body).toEqual({ counts: { open: 3 } });
    const complaint = await get('/v1/tickets/1');
    expect(complaint).toMatchObject({
      status: 200,
      body: {
        ticket: { type: 'complaint', status: 'open', phone, message: '投诉 你们天天发广告', answers: [] },
      },
    });
    expect(complaint.body.ticket.merchantId).toBeUndefined();

    const answerKey = randomUUID();
    const answer = { text: '非常抱歉，已为您停止推送，并送您一张咖啡券。' };
    const answered = await post('/v1/tickets/1/answer', answer, answerKey);
    expect(answered).toMatchObject({
      status: 201,
      body: { replayed: false, ticket: { status: 'answered', answers: [{ n: 1, text: answer.text }] } },
    });
    expect(await post('/v1/tickets/1/answer', answer, answerKey)).toMatchObject({
      status: 200,
      body: { replayed: true },
    });
    // The member receives the answer once, signed and under their ticket's number, though the call was made twice.
    await local.replies(phone, 6);
    expect((await local.outbox(phone)).map((t) => t.body)).toEqual([
      ...texts,
      `【咖啡馆】（回复您的编号1）${answer.text}`,
    ]);
    // The phone's side too, in time order, as the console's phone simulator shows it.
    const thread = (await local.call('GET', `/local/sms/thread?phone=${encodeURIComponent(phone)}`)).body;
    type Text = { at: string; direction: string; body: string };
    const side = (direction: string) =>
      thread.texts.filter((t: Text) => t.direction === direction).map((t: Text) => t.body);
    expect(side('in')).toEqual([
      '注册 张三',
      ...Array(2).fill('投诉 你们天天发广告'),
      '反馈：拿铁太甜了',
      '建议 周末营业到十点',
      '反馈',
    ]);
    expect(side('out')).toEqual([...texts, `【咖啡馆】（回复您的编号1）${answer.text}`]);
    const times = thread.texts.map((t: Text) => t.at);
    expect(times).toEqual([...times].sort());
    expect(thread.texts[0]).toMatchObject({ direction: 'in', from: phone, to: number, body: '注册 张三' });

    expect(await post('/v1/tickets/1/close')).toMatchObject({
      status: 200,
      body: { ticket: { status: 'closed' } },
    });
    expect(await post('/v1/tickets/1/answer', { text: '还有一件事' }, randomUUID())).toMatchObject({
      status: 409,
      body: { error: { code: 'ticket_closed' } },
    });

    expect((await get('/v1/tickets/counts')).body).toEqual({ counts: { open: 2 } });
    expect(await ticketIds('?type=complaint')).toEqual(['1']);
    expect(await ticketIds('?status=open')).toEqual(['3', '2']);
    expect(await ticketIds('?status=closed')).toEqual(['1']);
    expect(await ticketIds('?status=open&type=suggestion')).toEqual(['3']);
    const page = await get('/v1/tickets?limit=2');
    expect(page.body.tickets.map((t: { ticketId: string }) => t.ticketId)).toEqual(['3', '2']);
    expect(await ticketIds(`?limit=2&cursor=${page.body.cursor}`)).toEqual(['1']);

    // The complaint still holds marketing back: closing the ticket is not clearing it.
    expect(
      (await get(`/v1/members/${encodeURIComponent(phone)}/consent`)).body.consent.suppression,
    ).toMatchObject({
      reason: 'complaint',
    });
  });

  it('refuses what it cannot act on, with a reason', async () => {
    const refusals = [
      [await get('/v1/tickets?status=pending'), 400, 'status'],
      [await get('/v1/tickets?cursor=abc'), 400, 'ticket id'],
      [await get('/v1/tickets/999'), 404, 'no ticket'],
      [await get('/v1/tickets/abc'), 404, 'no ticket'],
      [await post('/v1/tickets/1/answer', { text: '你好' }), 400, 'Idempotency-Key'],
      [await post('/v1/tickets/999/answer', { text: '你好' }, randomUUID()), 404, 'no ticket'],
      [await post('/v1/tickets/999/answer', { text: '' }, randomUUID()), 400, 'text'],
      [await post('/v1/tickets/999/answer', { text: '长'.repeat(500) }, randomUUID()), 400, 'text'],
      [await post('/v1/tickets/999/close'), 404, 'no ticket'],
    ] as const;
    for (const [reply, status, reason] of refusals) {
      expect(reply.status).toBe(status);
      expect(reply.body.error.message).toContain(reason);
    }
  });
});
