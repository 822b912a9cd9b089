import type {
  QuestionResult,
  Survey,
  SurveyAnswer,
  SurveyAnswerValue,
  SurveyProgress,
  SurveyQuestion,
  SurveyResults,
  SurveySession,
  SurveyTally,
} from '../schemas/survey';
import { type Intent, isExactKeyword, type Lang, normalizeText } from './keywords';
import { maxSignedTextLength, signedText, type TextSigning } from './sms-text';

/**
 * SMS surveys, pure: reading a member's answer, moving them through the questions, the texts they
 * get, and the results. Members type on phones in every input mode, so answers are read through
 * NFKC: full-width '１' and 'Ａ' and circled '①' and 'Ⓐ' are 1 and A.
 */

export type SurveyContent = Pick<Survey, 'intro' | 'questions' | 'thankYou'>;

/** Free text kept of an answer; a longer one is cut, and marked so. */
export const maxTextAnswerLength = 500;
/** What is kept of an answer not understood twice: enough to see what went wrong. */
const maxSkippedLength = 100;

/** The language of the texts the survey adds (numbering, hints): the merchant's own, Chinese first. */
export function surveyLang(survey: SurveyContent): Lang {
  const texts = [
    survey.intro,
    survey.thankYou,
    ...survey.questions.flatMap((q) => [q.prompt, ...(q.kind === 'choice' ? q.options : [])]),
  ];
  return texts.some((text) => /\p{Script=Han}/u.test(text)) ? 'zh' : 'en';
}

const edges =
  /^[\s"'“”‘’「」『』()（）[\]【】<>《》#]+|[\s"'“”‘’「」『』()（）[\]【】<>《》.!?,;:~。！？，；：、…]+$/gu;
const chineseDigits = '一二三四五六七八九';

/** The answer without spaces, quotes, brackets or trailing punctuation: "（B）。" is B. */
const bare = (text: string) => normalizeText(text).replace(edges, '');

/** 1 to 99 as typed, or 一 to 九. */
function ordinal(word: string): number | undefined {
  if (/^\d{1,2}$/.test(word)) return Number(word);
  const index = word.length === 1 ? chineseDigits.indexOf(word) : -1;
  return index >= 0 ? index + 1 : undefined;
}

/** A question's option label as members see it: 1, 2, 3 or A, B, C. */
export function optionLabel(question: Extract<SurveyQuestion, { kind: 'choice' }>, option: number): string {
  return question.labels === 'letters' ? String.fromCharCode(65 + option) : String(option + 1);
}

/**
 * The answer the text gives, or undefined when it gives none. A choice by number, letter (either,
 * whatever the labels) or the option's own text, optionally after 选/选项/option; a rating 1–5 as a
 * digit, 一 to 五, with 分/星/stars after it, or as ★★★; free text as written, up to 500 characters.
 */
export function readAnswer(question: SurveyQuestion, text: string): SurveyAnswerValue | undefined {
  switch (question.kind) {
    case 'text': {
      const written = text.trim();
      if (!written) return undefined;
      if (written.length <= maxTextAnswerLength) return { kind: 'text', text: written };
      return { kind: 'text', text: written.slice(0, maxTextAnswerLength), truncated: true };
    }
    case 'rating': {
      const word = bare(text)
        .replace(/^(?:打|评|给)/u, '')
        .replace(/\s*(?:分|颗星|星|stars?|points?)$/iu, '');
      if (/^★{1,5}$/u.test(word)) return { kind: 'rating', rating: word.length };
      const rating = ordinal(word);
      return rating && rating <= 5 ? { kind: 'rating', rating } : undefined;
    }
    case 'choice': {
      const word = bare(text).toUpperCase();
      const byText = question.options.findIndex((option) => bare(option).toUpperCase() === word);
      if (byText >= 0) return { kind: 'choice', option: byText };
      const key = word.replace(/^(?:选项?|OPTION|NO\.?)\s*/u, '').replace(edges, '');
      const chosen = /^[A-Z]$/.test(key) ? key.charCodeAt(0) - 64 : ordinal(key);
      return chosen && chosen <= question.options.length ? { kind: 'choice', option: chosen - 1 } : undefined;
    }
  }
}

/**
 * The survey opened for a phone at `openedAt` (sent by a campaign, or started by keyword): its texts
 * are answers for `expiresAfterDays`.
 */
export function surveySession(
  survey: Pick<Survey, 'surveyId' | 'expiresAfterDays'>,
  openedAt: Date,
  campaignId?: string,
): SurveySession {
  return {
    surveyId: survey.surveyId,
    openedAt: openedAt.toISOString(),
    expiresAt: new Date(openedAt.getTime() + survey.expiresAfterDays * 86_400_000).toISOString(),
    ...(campaignId ? { campaignId } : {}),
  };
}

/** The part of a member's progress the next move depends on. */
export type SurveyState = Pick<SurveyProgress, 'step' | 'reasked' | 'answered' | 'last'>;

export const startState: SurveyState = { step: 0, reasked: false, answered: 0, last: 'started' };

export type SurveyMove =
  /**
   * A system keyword (积分, 帮助 …) while a choice or rating waits, or as the whole text where free text
   * is asked for: the keyword acts, the question stays open.
   */
  | { kind: 'not-an-answer' }
  | {
      kind: 'move';
      state: SurveyState;
      /** The answer to store: understood, or skipped after a second try. */
      answer?: { question: number; value: SurveyAnswerValue };
      /** The survey's counters it moves. */
      counts: SurveyTally;
    };

/** Whether the text read as one of the system keywords rather than as nothing in particular. */
const isKeyword = (intent: Intent) => intent.kind !== 'unknown' && intent.kind !== 'too-long';

/**
 * What a member's text does to their progress. An answer not understood is re-asked once with a
 * hint; a second one is recorded as skipped (with what they wrote) and the survey goes on, so a
 * member stuck on one question still reaches the others.
 */
export function takeText(
  survey: SurveyContent,
  state: SurveyState,
  text: string,
  intent: Intent,
): SurveyMove {
  const question = survey.questions[state.step];
  if (!question) return { kind: 'not-an-answer' };
  // Free text takes anything, but a text of just 积分 or 帮助 asks for it: it is no answer to keep.
  if (question.kind === 'text' && isExactKeyword(text)) return { kind: 'not-an-answer' };
  const value = readAnswer(question, text);
  if (value) return advance(survey, state, value);
  if (isKeyword(intent)) return { kind: 'not-an-answer' };
  if (!state.reasked)
    return { kind: 'move', state: { ...state, reasked: true, last: 'reasked' }, counts: {} };
  return advance(survey, state, { kind: 'skipped', wrote: text.trim().slice(0, maxSkippedLength) });
}

function advance(survey: SurveyContent, state: SurveyState, value: SurveyAnswerValue): SurveyMove {
  const step = state.step + 1;
  const answered = value.kind === 'skipped' ? state.answered : state.answered + 1;
  return {
    kind: 'move',
    state: { step, reasked: false, answered, last: value.kind === 'skipped' ? 'skipped' : 'answered' },
    answer: { question: state.step, value },
    counts: {
      ...answerCounts(state.step, value),
      ...(state.answered === 0 && answered === 1 ? { respondents: 1 } : {}),
      ...(step === survey.questions.length ? { completed: 1 } : {}),
    },
  };
}

/** The counter an answer moves (see `SurveyTally`). */
export function answerCounts(question: number, value: SurveyAnswerValue): SurveyTally {
  switch (value.kind) {
    case 'choice':
      return { [`q${question}.option${value.option}`]: 1 };
    case 'rating':
      return { [`q${question}.rating${value.rating}`]: 1 };
    case 'text':
      return { [`q${question}.text`]: 1 };
    case 'skipped':
      return { [`q${question}.skipped`]: 1 };
  }
}

const words = {
  zh: {
    // Each ends a sentence: a marketing text's unsubscribe line may follow.
    numbers: '回复序号作答。',
    letters: '回复字母作答。',
    rating: '回复1-5打分，5分最满意。',
    text: '请直接回复您的想法。',
    sorry: '抱歉，没看懂您的回复',
    hint: {
      numbers: (n: number) => `请回复1-${n}的序号。`,
      letters: (last: string) => `请回复A-${last}的字母。`,
      rating: '请回复1-5的整数。',
      text: '请回复文字。',
    },
    lastTry: '（再看不懂将跳过本题）。',
    skipped: '本题已跳过。',
    alreadyDone: '您已完成本问卷，感谢参与！',
    ended: '该问卷已结束，感谢关注！',
  },
  en: {
    numbers: 'Reply with a number.',
    letters: 'Reply with a letter.',
    rating: 'Reply 1-5 (5 is best).',
    text: 'Reply in your own words.',
    sorry: 'Sorry, we could not read that.',
    hint: {
      numbers: (n: number) => `Please reply with a number from 1 to ${n}.`,
      letters: (last: string) => `Please reply with a letter from A to ${last}.`,
      rating: 'Please reply with a whole number from 1 to 5.',
      text: 'Please reply with some text.',
    },
    lastTry: " If we still can't, we'll skip this question.",
    skipped: 'We skipped that question.',
    alreadyDone: 'You have already answered this survey. Thank you!',
    ended: 'This survey has ended. Thank you!',
  },
} as const;

/** Texts that belong to no question: the survey already answered, or ended. */
export const surveyNotices = (lang: Lang) => ({
  alreadyDone: words[lang].alreadyDone,
  ended: words[lang].ended,
});

/**
 * Question `index` as sent: numbered when there are several, its options, how to answer; re-asked,
 * the hint says how instead, so the text does not say it twice.
 */
export function questionText(survey: SurveyContent, index: number, reasked = false): string {
  const lang = surveyLang(survey);
  const w = words[lang];
  const question = survey.questions[index];
  if (!question) throw new RangeError(`the survey has no question ${index + 1}`);
  const count = survey.questions.length;
  const numbered =
    count === 1 ? '' : lang === 'zh' ? `（${index + 1}/${count}）` : `(${index + 1}/${count}) `;
  const lines = [`${numbered}${question.prompt}`];
  if (question.kind === 'choice') {
    const gap = lang === 'zh' ? '.' : '. ';
    lines.push(...question.options.map((option, i) => `${optionLabel(question, i)}${gap}${option}`));
  }
  lines.push(
    reasked ? hint(survey, question) : w[question.kind === 'choice' ? question.labels : question.kind],
  );
  return lines.join('\n');
}

function hint(survey: SurveyContent, question: SurveyQuestion): string {
  const w = words[surveyLang(survey)];
  if (question.kind !== 'choice') return w.hint[question.kind];
  if (question.labels === 'letters')
    return w.hint.letters(optionLabel(question, question.options.length - 1));
  return w.hint.numbers(question.options.length);
}

/**
 * The reply to the member's last text, from where it left them: the intro and a question, the next
 * question, the hint, or the thank-you. The same progress always gives the same text, so a text
 * handled again is answered as it was the first time.
 */
export function replyFor(survey: SurveyContent, state: Pick<SurveyState, 'step' | 'last'>): string {
  const w = words[surveyLang(survey)];
  const question = survey.questions[state.step];
  if (!question) return state.last === 'skipped' ? `${w.skipped}${survey.thankYou}` : survey.thankYou;
  const asked = questionText(survey, state.step);
  switch (state.last) {
    case 'started':
      return `${survey.intro}\n${asked}`;
    case 'answered':
      return asked;
    case 'reasked':
      return `${w.sorry}${w.lastTry}\n${questionText(survey, state.step, true)}`;
    case 'skipped':
      return `${w.skipped}\n${asked}`;
  }
}

/** The text a campaign sends: the intro and the first question. */
export const openingText = (survey: SurveyContent) => replyFor(survey, { step: 0, last: 'started' });

/**
 * What a survey's campaign text is made from, in an outbound text's `template`: carriers cap texts
 * per number and template, and it is no merchant template (whose ids never hold ':').
 */
export const surveyTextKind = (surveyId: string) => `survey:${surveyId}`;

export interface SurveyTextProblem {
  /** The field to shorten. */
  path: string;
  /** Which text, in the merchant's words. */
  text: string;
  /** Its length as sent, signed. */
  length: number;
  category: TextSigning['category'];
}

/**
 * The first text of the survey that would be over the carriers' 500 characters as sent: the opening
 * as a campaign sends it (a marketing text, with the unsubscribe line), every question as asked,
 * re-asked with its hint or after a skip, and as resumed by keyword with the intro (service texts),
 * and the thank-you. Undefined when every one fits.
 */
export function surveyTextTooLong(
  survey: SurveyContent,
  signing: Omit<TextSigning, 'category'>,
): SurveyTextProblem | undefined {
  const check = (problem: Omit<SurveyTextProblem, 'length'>, body: string) => {
    const length = signedText(body, { ...signing, category: problem.category }).length;
    return length > maxSignedTextLength ? { ...problem, length } : undefined;
  };
  const opening = check(
    { path: 'intro', text: 'the intro with question 1, as a campaign sends it', category: 'marketing' },
    openingText(survey),
  );
  if (opening) return opening;
  for (const [i] of survey.questions.entries()) {
    const variants = [
      [`questions.${i}`, `question ${i + 1} re-asked with its hint`, 'reasked'],
      [`questions.${i}`, `question ${i + 1} after a skipped one`, 'skipped'],
      ['intro', `the intro with question ${i + 1}, as sent when a member starts the survey again`, 'started'],
    ] as const;
    for (const [path, text, last] of variants) {
      const problem = check({ path, text, category: 'service' }, replyFor(survey, { step: i, last }));
      if (problem) return problem;
    }
  }
  return check(
    { path: 'thankYou', text: 'the thank-you after a skipped question', category: 'service' },
    replyFor(survey, { step: survey.questions.length, last: 'skipped' }),
  );
}

const ratio = (part: number, whole: number, decimals: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 10 ** decimals) / 10 ** decimals;

/**
 * The survey's results from its counters: the response rate over the members it reached (texts its
 * campaigns sent and members who started it by keyword), per option counts, rating averages and the
 * free-text answers given (`textAnswers`, by question index, newest first).
 */
export function surveyResults(
  survey: Survey,
  tally: SurveyTally,
  sent: number,
  textAnswers: ReadonlyMap<number, SurveyAnswer[]>,
): SurveyResults {
  const count = (name: string) => tally[name] ?? 0;
  const startedByKeyword = count('started');
  const reached = sent + startedByKeyword;
  const respondents = count('respondents');
  const questions = survey.questions.map((question, i) => questionResult(question, i, count, textAnswers));
  return {
    surveyId: survey.surveyId,
    name: survey.name,
    status: survey.status,
    sent,
    startedByKeyword,
    reached,
    respondents,
    completed: count('completed'),
    responseRate: ratio(respondents, reached, 4),
    questions,
  };
}

function questionResult(
  question: SurveyQuestion,
  i: number,
  count: (name: string) => number,
  textAnswers: ReadonlyMap<number, SurveyAnswer[]>,
): QuestionResult {
  const base = { number: i + 1, prompt: question.prompt, skipped: count(`q${i}.skipped`) };
  switch (question.kind) {
    case 'choice': {
      const options = question.options.map((text, j) => ({
        label: optionLabel(question, j),
        text,
        count: count(`q${i}.option${j}`),
      }));
      const answered = options.reduce((sum, option) => sum + option.count, 0);
      return { kind: 'choice', ...base, answered, options };
    }
    case 'rating': {
      const distribution = [1, 2, 3, 4, 5].map((rating) => count(`q${i}.rating${rating}`));
      const answered = distribution.reduce((sum, n) => sum + n, 0);
      const total = distribution.reduce((sum, n, k) => sum + n * (k + 1), 0);
      const average = answered === 0 ? null : ratio(total, answered, 2);
      return { kind: 'rating', ...base, answered, average, distribution };
    }
    case 'text': {
      const answers = (textAnswers.get(i) ?? []).flatMap(({ value, phone, answeredAt }) =>
        value.kind === 'text'
          ? [{ text: value.text, phone, answeredAt, ...(value.truncated ? { truncated: true } : {}) }]
          : [],
      );
      return { kind: 'text', ...base, answered: count(`q${i}.text`), answers };
    }
  }
}
