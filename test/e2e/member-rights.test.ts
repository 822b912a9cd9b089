import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPhoneProofKey, phoneProof } from '../../shared/domain/phone-proof';
import { Env } from '../../shared/env';
import { tables } from '../../shared/resources';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/**
 * A member's rights through the local runtime: a member who joined by text, bought, claimed, answered
 * a survey, gave feedback that was answered and opted out gets a copy of it all, then is erased; every
 * table is then read whole and holds nothing of them but the books and consent under the phone's proof.
 */
let local: Local;
beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

const secrets = {
  name: '张三丰',
  birthday: '1990-05-01',
  city: '杭州西湖',
  attribute: '喜欢燕麦拿铁',
  surveyText: '店员小李态度很好',
  feedback: '拿铁太甜了少放糖',
  answer: '张先生您好已为您调整',
};

async function everyItem(): Promise<{ table: string; text: string }[]> {
  const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: local.runtime.dynamoEndpoint }).dynamo();
  const items: { table: string; text: string }[] = [];
  for (const table of Object.values(tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({ TableName: table.name, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) items.push({ table: table.name, text: JSON.stringify(item) });
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return items;
}

describe('a member exports and erases their personal data', () => {
  it('exports everything held, then erases it all but the books and the consent proof, twice harmlessly', async () => {
    const { merchant, key } = await local.newShop({ name: '咖啡馆', signature: '【咖啡馆】' });
    const call = (method: string, path: string, body?: unknown, idem?: string) =>
      local.call(method, path, key, body, idem ? { 'idempotency-key': idem } : {});
    const text = (body: string) => local.sms(phone, body, { to: merchant.senderNumber });
    const phone = newPhone();
    const national = phone.slice(3);

    await text(`注册 ${secrets.name} ${secrets.birthday}`);
    await local.replies(phone, 1);
    expect(
      (
        await call('PATCH', `/v1/members/${phone}`, {
          city: secrets.city,
          tags: ['vip'],
          attributes: { likes: secrets.attribute },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('POST', `/v1/members/${phone}/points`, { purchaseCents: 8800 }, randomUUID())).status,
    ).toBe(201);
    await call('POST', '/v1/benefits', {
      code: 'GIFT',
      name: '礼品',
      tiers: ['silver', 'gold', 'platinum', 'diamond'],
      limit: 'once',
    });
    const claim = await call('POST', `/v1/members/${phone}/claims`, { code: 'GIFT' }, randomUUID());
    expect(claim.status).toBe(201);
    const survey = await call('POST', '/v1/surveys', {
      name: '满意度',
      intro: '回复即可',
      questions: [{ kind: 'text', prompt: '想说什么？' }],
      thankYou: '谢谢',
    });
    await call('POST', '/v1/keyword-apps', {
      name: '调查',
      keyword: 'DC',
      action: { kind: 'start-survey', surveyId: survey.body.survey.surveyId },
    });
    await text('DC');
    await local.replies(phone, 2);
    await text(secrets.surveyText);
    await local.replies(phone, 3);
    await text(`反馈 ${secrets.feedback}`);
    await local.replies(phone, 4);
    const [ticket] = (await call('GET', '/v1/tickets')).body.tickets;
    expect(
      (await call('POST', `/v1/tickets/${ticket.ticketId}/answer`, { text: secrets.answer }, randomUUID()))
        .status,
    ).toBe(201);
    await local.replies(phone, 5);
    await text('退订');
    const sent = await local.replies(phone, 6);
    await local.eventsSettled();

    // The copy: one document with everything, the texts sent with their words.
    const copy = await call('GET', `/v1/members/${phone}/export`);
    expect(copy.status).toBe(200);
    const data: Body = copy.body.export;
    expect(data).toMatchObject({
      phone,
      member: {
        name: secrets.name,
        birthday: secrets.birthday,
        city: secrets.city,
        points: 88,
        tags: ['vip'],
      },
      ledger: [{ type: 'earn', delta: 88, purchaseCents: 8800 }],
      claims: [{ code: 'GIFT', couponCode: claim.body.claim.couponCode }],
      tickets: [
        { type: 'feedback', message: `反馈 ${secrets.feedback}`, answers: [{ text: secrets.answer }] },
      ],
      surveyAnswers: [{ value: { kind: 'text', text: secrets.surveyText } }],
      keywordUses: [{ inboundMessageId: expect.any(String) }],
    });
    expect(data.consent.records.map((r: Body) => r.status)).toEqual(['subscribed', 'unsubscribed']);
    expect(data.textsSent).toHaveLength(6);
    expect(data.textsSent.map((t: Body) => t.text).sort()).toEqual([...sent].sort());
    expect(data.textsReceived.map((t: Body) => t.text)).toEqual([
      `注册 ${secrets.name} ${secrets.birthday}`,
      secrets.surveyText,
      `反馈 ${secrets.feedback}`,
      '退订',
    ]);
    expect(data.erasure).toBeUndefined();

    // A mistyped confirmation erases nothing.
    const mistyped = await call('POST', `/v1/members/${phone}/erase`, { confirmPhone: '13800000000' });
    expect(mistyped).toMatchObject({
      status: 400,
      body: { error: { code: 'phone_not_confirmed', issues: [{ path: 'confirmPhone' }] } },
    });
    expect((await call('GET', `/v1/members/${phone}`)).status).toBe(200);

    const erased = await call('POST', `/v1/members/${phone}/erase`, { confirmPhone: national });
    const proof = phoneProof(localPhoneProofKey, phone);
    expect(erased).toMatchObject({
      status: 200,
      body: {
        erasure: {
          phoneProof: proof,
          memberId: data.member.memberId,
          points: 88,
          storedValue: 0,
          counts: { texts: 6, tickets: 1, surveyAnswers: 1, keywordUses: 1, coupons: 1, lots: 1 },
        },
      },
    });
    await local.eventsSettled();

    // No longer found by phone: not a member, no consent, no coupon.
    expect((await call('GET', `/v1/members/${phone}`)).status).toBe(404);
    expect((await call('GET', `/v1/members/${phone}/consent`)).body.consent).toMatchObject({
      status: 'none',
      records: [],
    });
    expect(
      (await call('POST', `/v1/coupons/${claim.body.claim.couponCode}/redeem`, undefined, randomUUID()))
        .status,
    ).toBe(404);

    // Every table, read whole: nothing personal of the member, and the proof kept.
    const items = await everyItem();
    const personal = [national, ...Object.values(secrets)];
    expect(items.filter(({ text }) => personal.some((secret) => text.includes(secret)))).toEqual([]);
    // The words of the texts sent to them are gone too (the merchant's own survey texts stay in the survey).
    const words = sent.map((t) => t.replace('【咖啡馆】', ''));
    const texts = items.filter(({ table }) => table === 'Messages');
    expect(texts.filter(({ text }) => words.some((body) => text.includes(body)))).toEqual([]);
    const kept = items.filter(({ text }) => text.includes(proof));
    const keptIn = (table: string) =>
      kept.filter((item) => item.table === table).map((item) => JSON.parse(item.text));
    expect(
      keptIn('Members')
        .map((item) => item.sk)
        .sort(),
    ).toEqual([
      'CONSENT',
      expect.stringMatching(/^CONSENT#/),
      expect.stringMatching(/^CONSENT#/),
      'ERASED',
      // When the phone was erased: the sender sends no text queued before.
      'ERASURE-MARK',
    ]);
    // The consent proof: statuses, times and channels as they were, the texts as their proofs.
    const records = keptIn('Members').filter((item) => String(item.sk).startsWith('CONSENT#'));
    expect(records.map((r) => [r.status, r.channel, r.source.startsWith('hmac:')])).toEqual([
      ['subscribed', 'sms-keyword', true],
      ['unsubscribed', 'sms-keyword', true],
    ]);
    // The books balance: the ledger's entries add up to the balance kept on the erased record.
    const entries = items
      .filter(
        ({ table, text }) =>
          table === 'Ledger' && text.includes(`${merchant.merchantId}#${data.member.memberId}`),
      )
      .map(({ text }) => JSON.parse(text))
      .filter((item) => String(item.sk).startsWith('ENTRY#'));
    expect(entries.reduce((sum, entry) => sum + entry.delta, 0)).toBe(88);
    expect(keptIn('Messages')).toHaveLength(6);
    expect(keptIn('Audit').map((entry) => entry.route)).toContain('POST /v1/members/{phone}/erase');

    // Erasing again is harmless: the first erasure answers, nothing more to erase.
    const again = await call('POST', `/v1/members/${phone}/erase`, { confirmPhone: phone });
    expect(again.status).toBe(200);
    expect(again.body.erasure.erasedAt).toBe(erased.body.erasure.erasedAt);
    expect(Object.values(again.body.erasure.counts).every((n) => n === 0)).toBe(true);
    const afterwards = (await call('GET', `/v1/members/${phone}/export`)).body.export;
    expect(afterwards.member).toBeUndefined();
    expect(afterwards.erasure).toMatchObject({ phoneProof: proof, points: 88 });
  });
});
