import { ulid } from 'ulidx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Merchant } from '../../shared/schemas/merchant';
import { type Body, type Local, startLocal } from './support';

/**
 * A survey through the local runtime: created by the merchant API, sent to an audience by a campaign
 * (fired by the local Scheduler, fanned out, sent by send-sms), answered by text through inbound-sms,
 * and its results read back.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

/** A fixed-offset zone where it is about noon now: the default window (09:00–20:00) is open. */
function zoneAtNoon(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const choice = { kind: 'choice', prompt: '您对本次购花体验满意吗？', options: ['满意', '一般', '不满意'] };
const rating = { kind: 'rating', prompt: '请为鲜花品质打分' };
const text = { kind: 'text', prompt: '还有什么想对我们说的？' };
const surveyBody = {
  name: '购花满意度',
  intro: '花店想听听您的意见，共3题，回复即可。',
  questions: [choice, rating, text],
  thankYou: '感谢参与！下次到店出示本短信送一支玫瑰。',
};

describe('a survey created with the client’s id', () => {
  it('is created once however often it is sent, and the id is refused for another survey', async () => {
    const { key } = await local.newShop();
    const call = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
    const surveyId = ulid();
    const first = await call('POST', '/v1/surveys', { ...surveyBody, surveyId });
    expect(first).toMatchObject({ status: 201, body: { survey: { surveyId, status: 'open' } } });
    const again = await call('POST', '/v1/surveys', { ...surveyBody, surveyId });
    expect(again).toEqual({ ...first, status: 200 });
    const other = await call('POST', '/v1/surveys', { ...surveyBody, name: '另一份', surveyId });
    expect(other).toMatchObject({
      status: 409,
      body: { error: { code: 'survey_exists', issues: [{ path: 'surveyId' }] } },
    });
    expect((await call('GET', '/v1/surveys')).body.surveys.map((s: Body) => s.surveyId)).toEqual([surveyId]);
  });
});

describe('a survey sent by campaign', () => {
  it('takes answers (one re-asked with a hint), lets keywords through, and reports exact results', async () => {
    const { merchant, key } = await local.newShop({
      name: '花店',
      signature: '【花店】',
      timeZone: zoneAtNoon(),
      sending: { mps: 1000 } as Merchant['sending'],
    });
    const call = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
    const suffix = String(Math.floor(Math.random() * 1e4)).padStart(4, '0');
    const staff = `+86136${suffix}0000`;
    const [finisher, quitter, silent, outsider] = [1, 2, 3, 4].map((i) => `+86137${suffix}000${i}`) as [
      string,
      string,
      string,
      string,
    ];
    for (const phone of [finisher, quitter, silent, outsider]) {
      const created = await call('POST', '/v1/members', {
        phone,
        tags: phone === outsider ? [] : ['survey'],
        marketingConsent: { source: '门店纸质登记表，2026-05-01' },
      });
      expect(created.status).toBe(201);
    }

    const refusals = await Promise.all([
      call('POST', '/v1/surveys', {
        ...surveyBody,
        intro: '好'.repeat(300),
        questions: [{ ...text, prompt: '问'.repeat(200) }],
      }),
      call('POST', '/v1/surveys', { ...surveyBody, questions: [{ ...choice, options: ['只有一个'] }] }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.error.code, r.body.error.issues?.[0]?.path])).toEqual([
      [400, 'text_too_long', 'intro'],
      [400, 'invalid_body', 'questions.0.options'],
    ]);
    expect(refusals[0]?.body.error.message).toMatch(
      /^intro: the intro with question 1, as a campaign sends it is 5\d\d characters/,
    );

    const created = await call('POST', '/v1/surveys', surveyBody);
    expect(created.status).toBe(201);
    const { surveyId } = created.body.survey;
    expect(created.body.survey).toMatchObject({ status: 'open', expiresAfterDays: 7, campaignIds: [] });

    const campaign = {
      name: '满意度调查',
      surveyId,
      audience: { definition: { field: 'tags', op: 'contains', value: 'survey' } },
      schedule: { kind: 'now' },
      testPhones: [staff],
    };
    expect(
      (await call('POST', '/v1/campaigns', { ...campaign, templateId: 'spring' })).body.error.issues,
    ).toEqual([{ path: 'templateId', message: expect.stringMatching(/one of the two/) }]);
    const drafted = await call('POST', '/v1/campaigns', campaign);
    expect(drafted.status).toBe(201);
    const { campaignId } = drafted.body.campaign;
    expect(drafted.body.campaign).toMatchObject({ surveyId });
    expect((await call('GET', `/v1/surveys/${surveyId}`)).body.survey.campaignIds).toEqual([campaignId]);
    expect((await call('POST', `/v1/campaigns/${campaignId}/schedule`)).status).toBe(200);
    // The run starts on the merchant API's event: nothing waits for the schedule's minute.

    const opening =
      '【花店】花店想听听您的意见，共3题，回复即可。\n（1/3）您对本次购花体验满意吗？\n1.满意\n2.一般\n3.不满意\n回复序号作答。回复TD退订';
    for (const phone of [finisher, quitter, silent]) expect(await local.replies(phone, 1)).toEqual([opening]);
    // The campaign's test goes to staff as the members read it, and opens no survey for them.
    expect((await call('POST', `/v1/campaigns/${campaignId}/test`)).status).toBe(202);
    expect(await local.replies(staff, 1)).toEqual([opening]);
    expect(await say(staff, '1')).toMatch(/^【花店】Reply JOIN name birthday/);

    /** The member's text, and the reply it got. */
    async function say(phone: string, body: string): Promise<string> {
      const before = (await local.outbox(phone)).length;
      expect((await local.sms(phone, body, { to: merchant.senderNumber })).status).toBeLessThan(300);
      return (await local.replies(phone, before + 1)).at(-1) as string;
    }

    expect(await say(finisher, '２')).toBe('【花店】（2/3）请为鲜花品质打分\n回复1-5打分，5分最满意。');
    expect(await say(finisher, '7')).toBe(
      '【花店】抱歉，没看懂您的回复（再看不懂将跳过本题）。\n（2/3）请为鲜花品质打分\n请回复1-5的整数。',
    );
    expect(await say(finisher, '4分')).toBe('【花店】（3/3）还有什么想对我们说的？\n请直接回复您的想法。');
    // Just a keyword, even where free text is asked for, acts as the keyword; the question stays open.
    expect(await say(finisher, '積分。')).toMatch(/积分余额为0分/);
    expect(await say(finisher, '花很新鲜，包装也好看')).toBe(`【花店】${surveyBody.thankYou}`);

    expect(await say(quitter, 'A')).toBe('【花店】（2/3）请为鲜花品质打分\n回复1-5打分，5分最满意。');
    // A keyword still works while the rating waits.
    expect(await say(quitter, '积分')).toMatch(/积分余额为0分/);
    // A member the survey was not sent to gets the usual answer to a digit.
    expect(await say(outsider, '1')).toMatch(/^【花店】Reply JOIN name birthday/);

    await until(
      'campaign stats',
      async () => (await call('GET', `/v1/campaigns/${campaignId}/stats`)).body.stats,
      (stats: Body) => stats.sent === 3,
    );
    const results = await call('GET', `/v1/surveys/${surveyId}/results`);
    expect(results.status).toBe(200);
    expect(results.body.results).toEqual({
      surveyId,
      name: '购花满意度',
      status: 'open',
      sent: 3,
      startedByKeyword: 0,
      reached: 3,
      respondents: 2,
      completed: 1,
      responseRate: 0.6667,
      questions: [
        {
          kind: 'choice',
          number: 1,
          prompt: choice.prompt,
          answered: 2,
          skipped: 0,
          options: [
            { label: '1', text: '满意', count: 1 },
            { label: '2', text: '一般', count: 1 },
            { label: '3', text: '不满意', count: 0 },
          ],
        },
        {
          kind: 'rating',
          number: 2,
          prompt: rating.prompt,
          answered: 1,
          skipped: 0,
          average: 4,
          distribution: [0, 0, 0, 1, 0],
        },
        {
          kind: 'text',
          number: 3,
          prompt: text.prompt,
          answered: 1,
          skipped: 0,
          answers: [{ text: '花很新鲜，包装也好看', phone: finisher, answeredAt: expect.any(String) }],
        },
      ],
    });

    // Closed: the quitter's next digit is no answer any more, and no campaign may send it.
    expect((await call('POST', `/v1/surveys/${surveyId}/close`)).body.survey.status).toBe('closed');
    expect(await say(quitter, '5')).toMatch(/^【花店】Reply JOIN name birthday/);
    expect((await call('POST', '/v1/campaigns', campaign)).body.error.issues?.[0]?.path).toBe('surveyId');
    expect((await call('GET', `/v1/surveys/${surveyId}/results`)).body.results).toMatchObject({
      status: 'closed',
      respondents: 2,
    });
  });
});
