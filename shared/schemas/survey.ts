import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { merchantIdSchema } from './merchant';

/**
 * An SMS survey: an intro, ordered questions (a single choice answered by number or letter, a 1–5
 * rating, free text) and a thank-you. It reaches members by campaign (the campaign's content is the
 * survey instead of a template) or by a merchant keyword app that starts it. Each member's progress,
 * answers and the survey's counters are kept in the Engagement table (shared/store/surveys.ts).
 */

/** A ULID, so a merchant's surveys sort by creation time. */
export const surveyIdSchema = lazySchema(() =>
  z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'survey id: 26 characters, as POST /v1/surveys gave it'),
);

export const maxSurveyQuestions = 10;
/** Options A to I: letters further on would reach N, R and T, which opt the member out. */
export const maxChoiceOptions = 9;
export const maxPromptLength = 200;
export const maxOptionLength = 40;
export const defaultExpiresAfterDays = 7;
export const maxExpiresAfterDays = 30;
/** Campaigns one survey may go out with: the results add up each one's texts sent. */
export const maxSurveyCampaigns = 50;

const prompt = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'prompt: what to ask')
    .max(maxPromptLength, `prompt: at most ${maxPromptLength} characters`),
);

const choiceQuestionSchema = lazySchema(() =>
  z.strictObject({
    kind: z.literal('choice'),
    prompt,
    options: z
      .array(
        z
          .string()
          .trim()
          .min(1, 'option: give it a text')
          .max(maxOptionLength, `option: at most ${maxOptionLength} characters`),
      )
      .min(2, 'options: at least 2')
      .max(maxChoiceOptions, `options: at most ${maxChoiceOptions}`)
      .refine(
        (options) =>
          new Set(options.map((option) => option.normalize('NFKC').toUpperCase())).size === options.length,
        'options: each must differ, since a member may answer with its text',
      ),
    /** How the options are numbered in the text: 1, 2, 3 or A, B, C. Members may answer either way. */
    labels: z.enum(['numbers', 'letters']).default('numbers'),
  }),
);

export const surveyQuestionSchema = lazySchema(() =>
  z.discriminatedUnion(
    'kind',
    [
      choiceQuestionSchema,
      /** 1 to 5, 5 the best. */
      z.strictObject({ kind: z.literal('rating'), prompt }),
      z.strictObject({ kind: z.literal('text'), prompt }),
    ],
    { error: 'question: kind is choice, rating or text' },
  ),
);
export type SurveyQuestion = z.infer<typeof surveyQuestionSchema>;

const surveyFieldsSchema = lazySchema(() =>
  z.strictObject({
    name: z.string().trim().min(1, 'name: give the survey a name').max(60, 'name: at most 60 characters'),
    /** Sent before the first question: who asks and why. */
    intro: z.string().trim().min(1, 'intro: say who asks and why').max(300, 'intro: at most 300 characters'),
    questions: z
      .array(surveyQuestionSchema)
      .min(1, 'questions: at least 1')
      .max(maxSurveyQuestions, `questions: at most ${maxSurveyQuestions}`),
    thankYou: z
      .string()
      .trim()
      .min(1, 'thankYou: the text a member gets after the last answer')
      .max(300, 'thankYou: at most 300 characters'),
    /** How long a member may answer, from when the survey was sent to them or they started it. */
    expiresAfterDays: z
      .int('expiresAfterDays: a whole number of days')
      .min(1, 'expiresAfterDays: at least 1')
      .max(maxExpiresAfterDays, `expiresAfterDays: at most ${maxExpiresAfterDays}`)
      .default(defaultExpiresAfterDays),
  }),
);

/** `POST /v1/surveys`. */
export const newSurveySchema = lazySchema(() =>
  surveyFieldsSchema.extend({
    /**
     * The new survey's id, made by the client (a ULID): a repeated request with it creates the survey
     * once and answers it again.
     */
    surveyId: surveyIdSchema.optional(),
  }),
);
export type NewSurvey = z.infer<typeof newSurveySchema>;

export const surveySchema = lazySchema(() =>
  surveyFieldsSchema.extend({
    merchantId: merchantIdSchema,
    surveyId: surveyIdSchema,
    /** `closed` is final: no more answers are taken, and no campaign may send it. */
    status: z.enum(['open', 'closed']),
    /** The campaigns that send it, for the response rate's denominator (their texts sent). */
    campaignIds: z.array(z.string()).max(maxSurveyCampaigns).default([]),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().optional(),
  }),
);
export type Survey = z.infer<typeof surveySchema>;

/** The survey a phone is answering now: the one sent to it or started by it last. */
export const surveySessionSchema = lazySchema(() =>
  z.object({
    surveyId: surveyIdSchema,
    openedAt: z.iso.datetime(),
    /** Texts after this are not answers any more. */
    expiresAt: z.iso.datetime(),
    /** The campaign that sent it; absent when the member started it by keyword. */
    campaignId: z.string().optional(),
  }),
);
export type SurveySession = z.infer<typeof surveySessionSchema>;

/**
 * What a member's last text did, so the reply to it can be given again: `started` (intro and question),
 * `answered` (the next question), `reasked` (the hint), `skipped` (a second answer not understood).
 */
export const surveyTurnSchema = lazySchema(() => z.enum(['started', 'answered', 'reasked', 'skipped']));
export type SurveyTurn = z.infer<typeof surveyTurnSchema>;

/** Where a member is in a survey. */
export const surveyProgressSchema = lazySchema(() =>
  z.object({
    surveyId: surveyIdSchema,
    phone: z.string(),
    /** The question waiting for an answer (0 the first); the number of questions once completed. */
    step: z.int().nonnegative(),
    /** The waiting question was re-asked once already: the next answer not understood skips it. */
    reasked: z.boolean(),
    last: surveyTurnSchema,
    /** Questions answered (not skipped). */
    answered: z.int().nonnegative(),
    /** Moves by one with each write: a write is made only on the progress it was decided on. */
    version: z.int().positive(),
    /** The text that made the last move: the same text handled again gets the same reply, and moves nothing. */
    lastInboundId: z.string().optional(),
    via: z.enum(['campaign', 'keyword']),
    startedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().optional(),
  }),
);
export type SurveyProgress = z.infer<typeof surveyProgressSchema>;

/** An answer as understood: an option (0 the first), a rating, a text, or skipped after two tries. */
export const surveyAnswerValueSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('choice'), option: z.int().nonnegative() }),
    z.object({ kind: z.literal('rating'), rating: z.int().min(1).max(5) }),
    /** `truncated`: the member wrote more than is kept. */
    z.object({ kind: z.literal('text'), text: z.string(), truncated: z.boolean().optional() }),
    /** What the member wrote the second time, as far as it is kept. */
    z.object({ kind: z.literal('skipped'), wrote: z.string() }),
  ]),
);
export type SurveyAnswerValue = z.infer<typeof surveyAnswerValueSchema>;

export const surveyAnswerSchema = lazySchema(() =>
  z.object({
    surveyId: surveyIdSchema,
    phone: z.string(),
    /** 0 the first question. */
    question: z.int().nonnegative(),
    value: surveyAnswerValueSchema,
    inboundMessageId: z.string(),
    answeredAt: z.iso.datetime(),
  }),
);
export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;

/**
 * A survey's counters (see `answerCounts` in shared/domain/survey.ts): `started` (by keyword),
 * `respondents`, `completed`, and per question `q<i>.option<j>`, `q<i>.rating<k>`, `q<i>.text`,
 * `q<i>.skipped`. Counters never moved are absent.
 */
export type SurveyTally = Record<string, number>;

const questionResultBase = () => ({
  /** 1 the first question, as members saw it numbered. */
  number: z.int().positive(),
  prompt: z.string(),
  /** Members whose answer was understood. */
  answered: z.int().nonnegative(),
  /** Members whose answer was not understood twice, and who went on to the next question. */
  skipped: z.int().nonnegative(),
});

export const questionResultSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('choice'),
      ...questionResultBase(),
      /** In the survey's order: its label as members saw it (1 or A), its text, and how many chose it. */
      options: z.array(z.object({ label: z.string(), text: z.string(), count: z.int().nonnegative() })),
    }),
    z.object({
      kind: z.literal('rating'),
      ...questionResultBase(),
      /** Two decimals; null before the first rating. */
      average: z.number().nullable(),
      /** How many rated 1, 2, 3, 4 and 5. */
      distribution: z.array(z.int().nonnegative()).length(5),
    }),
    z.object({
      kind: z.literal('text'),
      ...questionResultBase(),
      /** The latest answers, newest first (`answered` counts them all). */
      answers: z.array(
        z.object({
          text: z.string(),
          phone: z.string(),
          answeredAt: z.iso.datetime(),
          truncated: z.boolean().optional(),
        }),
      ),
    }),
  ]),
);
export type QuestionResult = z.infer<typeof questionResultSchema>;

export const surveyResultsSchema = lazySchema(() =>
  z.object({
    surveyId: surveyIdSchema,
    name: z.string(),
    status: surveySchema.shape.status,
    /** Texts of the survey sent by its campaigns (their `sent`). */
    sent: z.int().nonnegative(),
    /** Members who started it by keyword. */
    startedByKeyword: z.int().nonnegative(),
    /** Members it reached: `sent` + `startedByKeyword`, the response rate's denominator. */
    reached: z.int().nonnegative(),
    /** Members who answered at least one question. */
    respondents: z.int().nonnegative(),
    /** Members who went through to the last question (answered or skipped). */
    completed: z.int().nonnegative(),
    /** `respondents` / `reached`, 0 to 1 with four decimals; 0 while it reached no one. */
    responseRate: z.number(),
    questions: z.array(questionResultSchema),
  }),
);
export type SurveyResults = z.infer<typeof surveyResultsSchema>;
