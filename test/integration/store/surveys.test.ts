import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import { surveySession } from '../../../shared/domain/survey';
import type { Survey, SurveyAnswer, SurveyProgress } from '../../../shared/schemas/survey';
import { surveysStore } from '../../../shared/store/surveys';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const store = surveysStore(env.dynamo(), env.table('engagement'));
const at = new Date('2026-06-01T02:00:00.000Z');

let merchantId: string;
beforeEach(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

async function created(overrides: Partial<Survey> = {}): Promise<Survey> {
  const survey: Survey = {
    merchantId,
    surveyId: ulid(),
    name: '满意度',
    intro: '花店想听听您的意见。',
    questions: [
      { kind: 'choice', prompt: '满意吗？', options: ['满意', '不满意'], labels: 'numbers' },
      { kind: 'text', prompt: '建议？' },
    ],
    thankYou: '谢谢！',
    expiresAfterDays: 7,
    status: 'open',
    campaignIds: [],
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    ...overrides,
  };
  await store.create(survey);
  return survey;
}

const progressOf = (
  surveyId: string,
  phone: string,
  overrides: Partial<SurveyProgress> = {},
): SurveyProgress => ({
  surveyId,
  phone,
  step: 0,
  reasked: false,
  last: 'started',
  answered: 0,
  version: 1,
  via: 'campaign',
  startedAt: at.toISOString(),
  updatedAt: at.toISOString(),
  ...overrides,
});

const textAnswer = (surveyId: string, phone: string, text: string, answeredAt: string): SurveyAnswer => ({
  surveyId,
  phone,
  question: 1,
  value: { kind: 'text', text },
  inboundMessageId: `in-${phone}-${answeredAt}`,
  answeredAt,
});

describe('surveys', () => {
  it('are read back as written, listed newest first a page at a time, and only by their merchant', async () => {
    const first = await created();
    const second = await created();
    const third = await created();
    expect(await store.get(merchantId, first.surveyId)).toEqual(first);
    const page = await store.list(merchantId, { limit: 2 });
    expect(page.surveys).toEqual([third, second]);
    expect(await store.list(merchantId, { limit: 2, cursor: page.cursor })).toEqual({ surveys: [first] });
    const other = (await newMerchant(env)).merchant.merchantId;
    expect(await store.get(other, first.surveyId)).toBeUndefined();
    expect((await store.list(other, { limit: 10 })).surveys).toEqual([]);
  });

  it('close for good; closing again or closing none changes nothing', async () => {
    const survey = await created();
    const later = new Date(at.getTime() + 60_000);
    const closed = await store.close(merchantId, survey.surveyId, later);
    expect(closed).toEqual({
      ...survey,
      status: 'closed',
      closedAt: later.toISOString(),
      updatedAt: later.toISOString(),
    });
    expect(await store.close(merchantId, survey.surveyId, new Date(later.getTime() + 60_000))).toEqual(
      closed,
    );
    expect(await store.close(merchantId, ulid(), later)).toBeUndefined();
  });

  it('record each campaign sending them once, and none once closed', async () => {
    const survey = await created();
    expect(await store.addCampaign(merchantId, survey.surveyId, 'C1', at)).toBe(true);
    expect(await store.addCampaign(merchantId, survey.surveyId, 'C1', at)).toBe(true);
    expect(await store.addCampaign(merchantId, survey.surveyId, 'C2', at)).toBe(true);
    expect((await store.get(merchantId, survey.surveyId))?.campaignIds).toEqual(['C1', 'C2']);
    await store.close(merchantId, survey.surveyId, at);
    expect(await store.addCampaign(merchantId, survey.surveyId, 'C3', at)).toBe(false);
    expect(await store.addCampaign(merchantId, ulid(), 'C1', at)).toBe(false);
    expect((await store.get(merchantId, survey.surveyId))?.campaignIds).toEqual(['C1', 'C2']);
  });
});

describe('survey sessions', () => {
  it('open for every phone of a page, are replaced by a newer survey, and are per merchant', async () => {
    const first = await created();
    const second = await created();
    const phones = Array.from({ length: 60 }, newPhone);
    const session = surveySession(first, at, 'C1');
    await store.openSessions(
      merchantId,
      phones.map((phone) => ({ phone, ...session })),
    );
    // Written again, as a replayed page does: the same sessions.
    await store.openSessions(
      merchantId,
      phones.map((phone) => ({ phone, ...session })),
    );
    for (const phone of phones) expect(await store.session(merchantId, phone)).toEqual(session);

    const [phone = ''] = phones;
    const newer = surveySession(second, new Date(at.getTime() + 3_600_000));
    await store.openSessions(merchantId, [{ phone, ...newer }]);
    expect(await store.session(merchantId, phone)).toEqual(newer);
    const other = (await newMerchant(env)).merchant.merchantId;
    expect(await store.session(other, phone)).toBeUndefined();
  });
});

describe('saveTurn', () => {
  it('writes the progress, the answer, the counters and the session together', async () => {
    const survey = await created();
    const phone = newPhone();
    const session = surveySession(survey, at);
    const answer: SurveyAnswer = {
      surveyId: survey.surveyId,
      phone,
      question: 0,
      value: { kind: 'choice', option: 1 },
      inboundMessageId: 'in-1',
      answeredAt: at.toISOString(),
    };
    const to = progressOf(survey.surveyId, phone, {
      step: 1,
      last: 'answered',
      answered: 1,
      lastInboundId: 'in-1',
    });
    const counts = { 'q0.option1': 1, respondents: 1 };
    expect(await store.saveTurn({ merchantId, to, answer, counts, session })).toBe(true);
    expect(await store.progress(merchantId, survey.surveyId, phone)).toEqual(to);
    expect(await store.session(merchantId, phone)).toEqual(session);
    expect(await store.tally(merchantId, survey.surveyId)).toEqual(counts);
  });

  it('writes nothing when the progress moved on since it was read: each answer is stored and counted once', async () => {
    const survey = await created();
    const phone = newPhone();
    const start = progressOf(survey.surveyId, phone, { lastInboundId: 'in-start' });
    expect(await store.saveTurn({ merchantId, to: start, counts: { started: 1 } })).toBe(true);
    // A second start decided on no progress at all.
    expect(await store.saveTurn({ merchantId, to: start, counts: { started: 1 } })).toBe(false);

    const answered = (text: string, answeredAt: string) => ({
      merchantId,
      from: start,
      to: { ...start, step: 1, last: 'answered' as const, answered: 1, version: 2, lastInboundId: text },
      answer: { ...textAnswer(survey.surveyId, phone, text, answeredAt), question: 0 },
      counts: { 'q0.text': 1, respondents: 1 },
    });
    expect(await store.saveTurn(answered('first', '2026-06-01T02:01:00.000Z'))).toBe(true);
    // The same move decided again (the text handled twice), or another text decided on the same progress.
    expect(await store.saveTurn(answered('first', '2026-06-01T02:02:00.000Z'))).toBe(false);
    expect(await store.saveTurn(answered('second', '2026-06-01T02:03:00.000Z'))).toBe(false);

    expect(await store.tally(merchantId, survey.surveyId)).toEqual({
      started: 1,
      'q0.text': 1,
      respondents: 1,
    });
    expect(
      (await store.answers(merchantId, survey.surveyId, 0, 10)).map(({ value, answeredAt }) => [
        value,
        answeredAt,
      ]),
    ).toEqual([[{ kind: 'text', text: 'first' }, '2026-06-01T02:01:00.000Z']]);
    expect(await store.progress(merchantId, survey.surveyId, phone)).toMatchObject({
      version: 2,
      lastInboundId: 'first',
    });
  });
});

describe('answers', () => {
  it("are a question's own, newest first, as many as asked for", async () => {
    const survey = await created();
    const times = ['2026-06-01T03:00:00.000Z', '2026-06-01T01:00:00.000Z', '2026-06-01T02:00:00.000Z'];
    for (const [i, answeredAt] of times.entries()) {
      const phone = newPhone();
      const answer = textAnswer(survey.surveyId, phone, `建议${i}`, answeredAt);
      const to = progressOf(survey.surveyId, phone, { step: 2, last: 'answered', answered: 1 });
      await store.saveTurn({ merchantId, to, answer, counts: { 'q1.text': 1 } });
    }
    const choice = progressOf(survey.surveyId, newPhone(), { step: 1, last: 'answered', answered: 1 });
    await store.saveTurn({
      merchantId,
      to: choice,
      answer: {
        ...textAnswer(survey.surveyId, choice.phone, '', '2026-06-01T04:00:00.000Z'),
        question: 0,
        value: { kind: 'choice', option: 0 },
      },
      counts: { 'q0.option0': 1 },
    });
    const newest = await store.answers(merchantId, survey.surveyId, 1, 2);
    expect(newest.map((a) => a.value)).toEqual([
      { kind: 'text', text: '建议0' },
      { kind: 'text', text: '建议2' },
    ]);
    expect(await store.tally(merchantId, survey.surveyId)).toEqual({ 'q1.text': 3, 'q0.option0': 1 });
    expect(await store.tally(merchantId, ulid())).toEqual({});
  });
});
