import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readKeyword } from '../../../shared/domain/keywords';
import { maxSignedTextLength } from '../../../shared/domain/sms-text';
import {
  maxTextAnswerLength,
  openingText,
  readAnswer,
  replyFor,
  type SurveyContent,
  type SurveyState,
  startState,
  surveyLang,
  surveyResults,
  surveySession,
  surveyTextTooLong,
  takeText,
} from '../../../shared/domain/survey';
import type { Survey, SurveyAnswer, SurveyQuestion } from '../../../shared/schemas/survey';

const choice: SurveyQuestion = {
  kind: 'choice',
  prompt: '您对本次服务满意吗？',
  options: ['满意', '一般', '不满意'],
  labels: 'numbers',
};
const rating: SurveyQuestion = { kind: 'rating', prompt: '请为我们的菜品打分' };
const text: SurveyQuestion = { kind: 'text', prompt: '还有什么建议？' };

const survey: SurveyContent = {
  intro: '花店想听听您的意见，共3题。',
  questions: [choice, rating, text],
  thankYou: '感谢参与！凭本短信到店领取小礼物。',
};

/** The intent the keyword reader gives the text, as inbound-sms passes it. */
const textOf = (body: string) => [body, readKeyword(body, '2026-06-01')] as const;
const take = (state: SurveyState, body: string) => takeText(survey, state, ...textOf(body));

describe('readAnswer', () => {
  it.each([
    ['2', 1],
    ['２', 1],
    ['②', 1],
    ['B', 1],
    ['ｂ', 1],
    ['b)', 1],
    ['（B）', 1],
    ['"2"。', 1],
    ['选B', 1],
    ['选项 2', 1],
    ['Option 3', 2],
    ['二', 1],
    ['一般', 1],
    [' 不满意！', 2],
    ['1.', 0],
  ])('reads the choice %j as option %i', (answer, option) => {
    expect(readAnswer(choice, answer)).toEqual({ kind: 'choice', option });
  });

  it.each(['7', '0', 'D', 'x', '', '12', '很满意', '1 2'])(
    'does not read %j as a choice of three',
    (answer) => {
      expect(readAnswer(choice, answer)).toBeUndefined();
    },
  );

  it('takes a number or a letter whatever the labels show', () => {
    const lettered = { ...choice, labels: 'letters' as const };
    expect(readAnswer(lettered, '3')).toEqual({ kind: 'choice', option: 2 });
    expect(readAnswer(lettered, 'Ⓒ')).toEqual({ kind: 'choice', option: 2 });
  });

  it('reads every option by its number, full-width number, circled number and letter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.nat(), (count, pick) => {
        const question: SurveyQuestion = {
          kind: 'choice',
          prompt: '?',
          options: Array.from({ length: count }, (_, i) => `选项内容${i}`),
          labels: 'numbers',
        };
        const option = pick % count;
        const forms = [
          String(option + 1),
          String.fromCharCode(0xff11 + option),
          String.fromCharCode(0x2460 + option),
          String.fromCharCode(65 + option),
          String.fromCharCode(97 + option),
        ];
        for (const form of forms) expect(readAnswer(question, form)).toEqual({ kind: 'choice', option });
        expect(readAnswer(question, String(count + 1))).toBeUndefined();
      }),
    );
  });

  it.each([
    ['4', 4],
    ['４', 4],
    ['④', 4],
    ['4分', 4],
    ['打5分', 5],
    ['四星', 4],
    ['★★★', 3],
    ['5 stars', 5],
    ['1', 1],
  ])('reads the rating %j as %i', (answer, value) => {
    expect(readAnswer(rating, answer)).toEqual({ kind: 'rating', rating: value });
  });

  it.each(['6', '0', '4.5', 'good', '★★★★★★', '10分'])('does not read %j as a rating', (answer) => {
    expect(readAnswer(rating, answer)).toBeUndefined();
  });

  it('keeps free text as written, trimmed, cut at 500 characters', () => {
    expect(readAnswer(text, '  积分太少了  ')).toEqual({ kind: 'text', text: '积分太少了' });
    expect(readAnswer(text, '  \n ')).toBeUndefined();
    const long = '好'.repeat(maxTextAnswerLength + 20);
    expect(readAnswer(text, long)).toEqual({
      kind: 'text',
      text: '好'.repeat(maxTextAnswerLength),
      truncated: true,
    });
  });
});

describe('takeText', () => {
  it('answers, moves to the next question and counts the option and the new respondent', () => {
    expect(take(startState, '2')).toEqual({
      kind: 'move',
      state: { step: 1, reasked: false, answered: 1, last: 'answered' },
      answer: { question: 0, value: { kind: 'choice', option: 1 } },
      counts: { 'q0.option1': 1, respondents: 1 },
    });
  });

  it('re-asks an answer it cannot read once, then records the second as skipped and goes on', () => {
    const first = take(startState, '7');
    expect(first).toEqual({
      kind: 'move',
      state: { step: 0, reasked: true, answered: 0, last: 'reasked' },
      counts: {},
    });
    if (first.kind !== 'move') throw new Error('re-asked');
    expect(take(first.state, 'x')).toEqual({
      kind: 'move',
      state: { step: 1, reasked: false, answered: 0, last: 'skipped' },
      answer: { question: 0, value: { kind: 'skipped', wrote: 'x' } },
      counts: { 'q0.skipped': 1 },
    });
  });

  it('a re-asked question answered well goes on as any answer does', () => {
    const reasked: SurveyState = { step: 1, reasked: true, answered: 1, last: 'reasked' };
    expect(take(reasked, '4')).toMatchObject({
      state: { step: 2, reasked: false, answered: 2, last: 'answered' },
      counts: { 'q1.rating4': 1 },
    });
  });

  it('counts a member as a respondent at their first answer read, even after skips', () => {
    const skippedFirst: SurveyState = { step: 1, reasked: false, answered: 0, last: 'skipped' };
    expect(take(skippedFirst, '5')).toMatchObject({ counts: { 'q1.rating5': 1, respondents: 1 } });
  });

  it('counts the survey completed at its last question, answered or skipped', () => {
    const atLast: SurveyState = { step: 2, reasked: false, answered: 2, last: 'answered' };
    expect(take(atLast, '花很新鲜')).toEqual({
      kind: 'move',
      state: { step: 3, reasked: false, answered: 3, last: 'answered' },
      answer: { question: 2, value: { kind: 'text', text: '花很新鲜' } },
      counts: { 'q2.text': 1, completed: 1 },
    });
  });

  it('lets a system keyword act while a choice or a rating waits, and takes it as free text', () => {
    expect(take(startState, '积分')).toEqual({ kind: 'not-an-answer' });
    expect(take({ ...startState, step: 1 }, '帮助')).toEqual({ kind: 'not-an-answer' });
    expect(take({ ...startState, step: 2 }, '积分太难攒了')).toMatchObject({
      answer: { question: 2, value: { kind: 'text', text: '积分太难攒了' } },
    });
  });

  it('lets a text that is just a system keyword act where free text is asked for, the question left open', () => {
    const atText: SurveyState = { step: 2, reasked: false, answered: 2, last: 'answered' };
    for (const keyword of ['积分', '帮助。', 'ＨＥＬＰ', ' help! ', '積分', '領取', 'jf']) {
      expect(take(atText, keyword), keyword).toEqual({ kind: 'not-an-answer' });
    }
    expect(take(atText, '领取了优惠券，很好')).toMatchObject({ answer: { question: 2 } });
  });

  it('takes nothing once the last question is behind', () => {
    expect(take({ step: 3, reasked: false, answered: 3, last: 'answered' }, '1')).toEqual({
      kind: 'not-an-answer',
    });
  });
});

describe('the texts a member gets', () => {
  it('opens with the intro and the first question, its options numbered', () => {
    expect(openingText(survey)).toBe(
      '花店想听听您的意见，共3题。\n（1/3）您对本次服务满意吗？\n1.满意\n2.一般\n3.不满意\n回复序号作答。',
    );
  });

  it('asks each next question, the hint after an answer not read, and thanks at the end', () => {
    expect(replyFor(survey, { step: 1, last: 'answered' })).toBe(
      '（2/3）请为我们的菜品打分\n回复1-5打分，5分最满意。',
    );
    expect(replyFor(survey, { step: 0, last: 'reasked' })).toBe(
      '抱歉，没看懂您的回复（再看不懂将跳过本题）。\n' +
        '（1/3）您对本次服务满意吗？\n1.满意\n2.一般\n3.不满意\n请回复1-3的序号。',
    );
    expect(replyFor(survey, { step: 2, last: 'skipped' })).toBe(
      '本题已跳过。\n（3/3）还有什么建议？\n请直接回复您的想法。',
    );
    expect(replyFor(survey, { step: 3, last: 'answered' })).toBe(survey.thankYou);
    expect(replyFor(survey, { step: 3, last: 'skipped' })).toBe(`本题已跳过。${survey.thankYou}`);
  });

  it("speaks English when the merchant's texts are English, and numbers nothing for one question", () => {
    const english: SurveyContent = {
      intro: 'Quick question from the flower shop.',
      questions: [
        { kind: 'choice', prompt: 'How was your visit?', options: ['Great', 'OK'], labels: 'letters' },
      ],
      thankYou: 'Thanks!',
    };
    expect(surveyLang(english)).toBe('en');
    expect(openingText(english)).toBe(
      'Quick question from the flower shop.\nHow was your visit?\nA. Great\nB. OK\nReply with a letter.',
    );
    expect(replyFor(english, { step: 0, last: 'reasked' })).toMatch(
      "Sorry, we could not read that. If we still can't, we'll skip this question.\n" +
        'How was your visit?\nA. Great\nB. OK\nPlease reply with a letter from A to B.',
    );
  });
});

describe('surveyTextTooLong', () => {
  const signing = { signature: '【花店】', unsubscribeLine: '回复TD退订' };

  it('passes a survey whose every text fits', () => {
    expect(surveyTextTooLong(survey, signing)).toBeUndefined();
  });

  it('refuses an opening over 500 characters as a campaign sends it, unsubscribe line included', () => {
    const opening = openingText(survey);
    // Exactly at the limit with signature and unsubscribe line: one more character is too many.
    const room = maxSignedTextLength - signing.signature.length - signing.unsubscribeLine.length;
    const fits = { ...survey, intro: `${survey.intro}${'好'.repeat(room - opening.length)}` };
    expect(surveyTextTooLong(fits, signing)).toBeUndefined();
    expect(surveyTextTooLong({ ...fits, intro: `${fits.intro}好` }, signing)).toEqual({
      path: 'intro',
      text: 'the intro with question 1, as a campaign sends it',
      length: maxSignedTextLength + 1,
      category: 'marketing',
    });
  });

  it('names the question that fits as asked but not re-asked with its hint', () => {
    const short: SurveyQuestion = { kind: 'choice', prompt: '', options: ['是', '否'], labels: 'numbers' };
    const asked = replyFor({ ...survey, questions: [choice, short] }, { step: 1, last: 'answered' });
    const prompt = '问'.repeat(maxSignedTextLength - signing.signature.length - asked.length);
    const wordy = { ...survey, questions: [choice, { ...short, prompt }] };
    expect(`${signing.signature}${replyFor(wordy, { step: 1, last: 'answered' })}`).toHaveLength(
      maxSignedTextLength,
    );
    expect(surveyTextTooLong(wordy, signing)).toMatchObject({
      path: 'questions.1',
      text: 'question 2 re-asked with its hint',
      category: 'service',
    });
  });
});

describe('surveySession', () => {
  it('is open for the survey’s days from when it reached the member', () => {
    expect(
      surveySession({ surveyId: 'S', expiresAfterDays: 7 }, new Date('2026-06-01T10:00:00Z'), 'C1'),
    ).toEqual({
      surveyId: 'S',
      openedAt: '2026-06-01T10:00:00.000Z',
      expiresAt: '2026-06-08T10:00:00.000Z',
      campaignId: 'C1',
    });
  });
});

describe('surveyResults', () => {
  const saved: Survey = {
    ...survey,
    name: '满意度',
    merchantId: 'shop',
    surveyId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
    status: 'open',
    campaignIds: ['C1'],
    expiresAfterDays: 7,
    createdAt: '2026-06-01T00:00:00.000Z',
    updatedAt: '2026-06-01T00:00:00.000Z',
  };
  const answer = (body: string, phone: string): SurveyAnswer => ({
    surveyId: saved.surveyId,
    phone,
    question: 2,
    value: { kind: 'text', text: body },
    inboundMessageId: `in-${phone}`,
    answeredAt: '2026-06-01T10:00:00.000Z',
  });

  it('counts options, averages ratings, lists free text and rates respondents over members reached', () => {
    const tally = {
      started: 1,
      respondents: 3,
      completed: 1,
      'q0.option0': 2,
      'q0.option2': 1,
      'q0.skipped': 1,
      'q1.rating4': 1,
      'q1.rating5': 2,
      'q2.text': 1,
    };
    const results = surveyResults(saved, tally, 5, new Map([[2, [answer('很好', '+8613900000001')]]]));
    expect(results).toEqual({
      surveyId: saved.surveyId,
      name: '满意度',
      status: 'open',
      sent: 5,
      startedByKeyword: 1,
      reached: 6,
      respondents: 3,
      completed: 1,
      responseRate: 0.5,
      questions: [
        {
          kind: 'choice',
          number: 1,
          prompt: choice.prompt,
          answered: 3,
          skipped: 1,
          options: [
            { label: '1', text: '满意', count: 2 },
            { label: '2', text: '一般', count: 0 },
            { label: '3', text: '不满意', count: 1 },
          ],
        },
        {
          kind: 'rating',
          number: 2,
          prompt: rating.prompt,
          answered: 3,
          skipped: 0,
          average: 4.67,
          distribution: [0, 0, 0, 1, 2],
        },
        {
          kind: 'text',
          number: 3,
          prompt: text.prompt,
          answered: 1,
          skipped: 0,
          answers: [{ text: '很好', phone: '+8613900000001', answeredAt: '2026-06-01T10:00:00.000Z' }],
        },
      ],
    });
  });

  it('has a rate of 0 and no average before it reached anyone', () => {
    const results = surveyResults(saved, {}, 0, new Map());
    expect(results).toMatchObject({ reached: 0, responseRate: 0, respondents: 0 });
    expect(results.questions[1]).toMatchObject({ average: null, answered: 0 });
  });
});
