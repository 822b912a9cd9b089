import { randomUUID } from 'node:crypto';
import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Inbound } from '../../../functions/inbound-sms/inbound';
import { answerSurvey, startSurvey } from '../../../functions/inbound-sms/surveys';
import { readKeyword } from '../../../shared/domain/keywords';
import { openingText, replyFor, surveySession } from '../../../shared/domain/survey';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { Survey } from '../../../shared/schemas/survey';
import { membersStore, recordConsent } from '../../../shared/store/members';
import { surveysStore } from '../../../shared/store/surveys';
import { newMerchant, newPhone, testEnv } from '../../support';

/** A member's texts to an open survey, as inbound-sms hands them over, against DynamoDB Local. */
const env = testEnv();
const surveys = surveysStore(env.dynamo(), env.table('engagement'));
const deps = { surveys, members: membersStore(env.dynamo(), env.table('members')) };
const now = new Date('2026-06-01T02:00:00.000Z');

let merchant: Merchant;
let survey: Survey;
beforeEach(async () => {
  merchant = (await newMerchant(env)).merchant;
  survey = {
    merchantId: merchant.merchantId,
    surveyId: ulid(),
    name: '满意度',
    intro: '花店想听听您的意见。',
    questions: [
      { kind: 'choice', prompt: '满意吗？', options: ['满意', '一般', '不满意'], labels: 'numbers' },
      { kind: 'rating', prompt: '打个分吧' },
    ],
    thankYou: '谢谢！',
    expiresAfterDays: 7,
    status: 'open',
    campaignIds: [],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await surveys.create(survey);
});

function inbound(phone: string, body: string, options: { id?: string; at?: Date } = {}) {
  const intent = readKeyword(body, '2026-06-01');
  const text: Inbound = {
    text: {
      originationNumber: phone,
      destinationNumber: merchant.senderNumber,
      messageBody: body,
      inboundMessageId: options.id ?? randomUUID(),
    },
    merchant,
    phone,
    reply: { lang: intent.lang, merchantName: merchant.name },
    now: options.at ?? now,
  };
  return [intent, text] as const;
}

/** The phone has the survey open, as a campaign's fan-out opens it, and (unless not) takes marketing. */
async function sentTo(phone: string, { consented = true } = {}) {
  if (consented) {
    await recordConsent(env.dynamo(), env.table('members'), merchant.merchantId, phone, {
      status: 'subscribed',
      changedAt: now.toISOString(),
      channel: 'merchant-api',
      source: 'signed form, test store',
      ref: `test-${phone}`,
    });
  }
  await surveys.openSessions(merchant.merchantId, [{ phone, ...surveySession(survey, now, 'C1') }]);
}

describe('answerSurvey', () => {
  it('takes nothing from a phone with no survey open, or one expired or closed', async () => {
    const phone = newPhone();
    expect(await answerSurvey(...inbound(phone, '1'), deps)).toBeUndefined();
    await sentTo(phone);
    const eightDaysOn = new Date(now.getTime() + 8 * 86_400_000);
    expect(await answerSurvey(...inbound(phone, '1', { at: eightDaysOn }), deps)).toBeUndefined();
    await surveys.close(merchant.merchantId, survey.surveyId, now);
    expect(await answerSurvey(...inbound(phone, '1'), deps)).toBeUndefined();
    expect(await surveys.tally(merchant.merchantId, survey.surveyId)).toEqual({});
  });

  it('takes no answer from a phone the campaign could not text: it never got the survey', async () => {
    const phone = newPhone();
    await sentTo(phone, { consented: false });
    expect(await answerSurvey(...inbound(phone, '1'), deps)).toBeUndefined();
    expect(await surveys.progress(merchant.merchantId, survey.surveyId, phone)).toBeUndefined();
  });

  it('stores an answer once and replies the same when the same text is handled again', async () => {
    const phone = newPhone();
    await sentTo(phone);
    const text = inbound(phone, '２');
    const first = await answerSurvey(...text, deps);
    expect(first).toEqual({ as: 'survey-answer', reply: replyFor(survey, { step: 1, last: 'answered' }) });
    expect(await answerSurvey(...text, deps)).toEqual(first);
    expect(await surveys.tally(merchant.merchantId, survey.surveyId)).toEqual({
      'q0.option1': 1,
      respondents: 1,
    });
    expect(await surveys.progress(merchant.merchantId, survey.surveyId, phone)).toMatchObject({
      step: 1,
      via: 'campaign',
      startedAt: now.toISOString(),
    });
  });

  it('lets a keyword through, re-asks once, then skips and thanks; later texts go to keywords', async () => {
    const phone = newPhone();
    await sentTo(phone);
    expect(await answerSurvey(...inbound(phone, '积分'), deps)).toBeUndefined();
    expect((await answerSurvey(...inbound(phone, '7'), deps))?.reply).toBe(
      replyFor(survey, { step: 0, last: 'reasked' }),
    );
    expect((await answerSurvey(...inbound(phone, 'x'), deps))?.reply).toBe(
      replyFor(survey, { step: 1, last: 'skipped' }),
    );
    expect((await answerSurvey(...inbound(phone, '5分'), deps))?.reply).toBe('谢谢！');
    expect(await answerSurvey(...inbound(phone, '1'), deps)).toBeUndefined();
    expect(await surveys.tally(merchant.merchantId, survey.surveyId)).toEqual({
      'q0.skipped': 1,
      'q1.rating5': 1,
      respondents: 1,
      completed: 1,
    });
  });

  it('takes two texts sent at once one after the other', async () => {
    const phone = newPhone();
    await sentTo(phone);
    const replies = await Promise.all([
      answerSurvey(...inbound(phone, '1'), deps),
      answerSurvey(...inbound(phone, '4'), deps),
    ]);
    expect(replies.map((r) => r?.as)).toEqual(['survey-answer', 'survey-answer']);
    const tally = await surveys.tally(merchant.merchantId, survey.surveyId);
    // Whichever came first answered the choice (4 is no option of three: the other was re-asked, or
    // took the rating).
    expect(tally.respondents).toBe(1);
    expect((await surveys.progress(merchant.merchantId, survey.surveyId, phone))?.version).toBe(2);
  });
});

describe('startSurvey', () => {
  it('opens the survey with its intro, resumes where the member left it, and thanks a member who finished', async () => {
    const phone = newPhone();
    const start = inbound(phone, '调查')[1];
    expect(await startSurvey(survey.surveyId, start, deps)).toEqual({
      as: 'keyword-app',
      reply: openingText(survey),
    });
    // The same start handled again opens nothing more.
    await startSurvey(survey.surveyId, start, deps);
    expect(await surveys.tally(merchant.merchantId, survey.surveyId)).toEqual({ started: 1 });
    expect(await surveys.session(merchant.merchantId, phone)).toMatchObject({ surveyId: survey.surveyId });

    await answerSurvey(...inbound(phone, '满意'), deps);
    expect((await startSurvey(survey.surveyId, inbound(phone, '调查')[1], deps)).reply).toBe(
      replyFor(survey, { step: 1, last: 'started' }),
    );
    await answerSurvey(...inbound(phone, '3'), deps);
    expect((await startSurvey(survey.surveyId, inbound(phone, '调查')[1], deps)).reply).toBe(
      '您已完成本问卷，感谢参与！',
    );
    expect(await surveys.progress(merchant.merchantId, survey.surveyId, phone)).toMatchObject({
      via: 'keyword',
    });
  });

  it('says a closed or unknown survey has ended', async () => {
    const phone = newPhone();
    await surveys.close(merchant.merchantId, survey.surveyId, now);
    expect((await startSurvey(survey.surveyId, inbound(phone, '调查')[1], deps)).reply).toBe(
      '该问卷已结束，感谢关注！',
    );
    expect((await startSurvey('no-such-survey', inbound(phone, 'SURVEY')[1], deps)).reply).toBe(
      'This survey has ended. Thank you!',
    );
    expect(await surveys.session(merchant.merchantId, phone)).toBeUndefined();
  });
});
