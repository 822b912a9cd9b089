import { ulid } from 'ulidx';
import * as z from 'zod';
import { maxSignedTextLength } from '../../shared/domain/sms-text';
import { surveyResults, surveyTextTooLong } from '../../shared/domain/survey';
import type { Merchant } from '../../shared/schemas/merchant';
import {
  maxExpiresAfterDays,
  type NewSurvey,
  newSurveySchema,
  type Survey,
  surveyIdSchema,
  surveyResultsSchema,
  surveySchema,
} from '../../shared/schemas/survey';
import type { CampaignsStore } from '../../shared/store/campaigns';
import type { SurveysStore } from '../../shared/store/surveys';
import { HttpError, json, pageQuery, parseBody, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';

/**
 * Surveys: created here, sent by a campaign (`surveyId` instead of `templateId`) or started by a
 * keyword app, answered by text (functions/inbound-sms/surveys.ts), closed, and their results.
 */

export interface SurveyRoutesDeps {
  surveys: SurveysStore;
  /** The texts each campaign sending a survey sent: the response rate's denominator. */
  campaigns: Pick<CampaignsStore, 'stats'>;
  clock: () => Date;
}

export { newSurveySchema };

export const surveysQuerySchema = z.strictObject(pageQuery(surveyIdSchema, 20));

const surveyViewSchema = surveySchema.omit({ merchantId: true });
const oneSurveySchema = z.object({ survey: surveyViewSchema });
const surveysPageSchema = z.object({
  surveys: z.array(surveyViewSchema),
  cursor: surveyIdSchema.optional(),
});
const resultsAnswerSchema = z.object({ results: surveyResultsSchema });

/** Free-text answers the results show per question, newest first. */
const textAnswersShown = 100;

const viewOf = ({ merchantId: _tenant, ...survey }: Survey) => survey;
const notFound = () => new HttpError(404, 'survey_not_found', 'no survey with this id');

/** The survey in the path; another merchant's is not found. */
async function surveyIn(request: Request, merchant: Merchant, deps: SurveyRoutesDeps): Promise<Survey> {
  const surveyId = surveyIdSchema.safeParse(request.pathParameters?.surveyId);
  const survey = surveyId.success && (await deps.surveys.get(merchant.merchantId, surveyId.data));
  if (!survey) throw notFound();
  return survey;
}

/** What a member is sent: a repeat under one client id must ask the same, or it is another survey. */
const contentOf = (survey: NewSurvey | Survey) =>
  JSON.stringify([survey.name, survey.intro, survey.questions, survey.thankYou, survey.expiresAfterDays]);

/**
 * `POST /v1/surveys`. Every text the survey may send is measured as sent, signed (and the opening,
 * which a campaign sends as marketing, with the unsubscribe line): one over the carriers' limit is
 * refused, naming the field to shorten. With the client's `surveyId`, a repeat creates nothing more
 * and answers the survey created (200); the id already holding another survey is refused (409).
 */
export async function createSurvey(
  request: Request,
  merchant: Merchant,
  deps: SurveyRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, newSurveySchema);
  const tooLong = surveyTextTooLong(body, {
    signature: merchant.signature,
    unsubscribeLine: merchant.sending.unsubscribeLine,
  });
  if (tooLong) {
    const added = tooLong.category === 'marketing' ? 'signature and unsubscribe line' : 'signature';
    const message = `${tooLong.text} is ${tooLong.length} characters with your ${added}; carriers refuse more than ${maxSignedTextLength}`;
    throw new HttpError(400, 'text_too_long', `${tooLong.path}: ${message}`, [
      { path: tooLong.path, message },
    ]);
  }
  const now = deps.clock();
  const survey: Survey = {
    ...body,
    merchantId: merchant.merchantId,
    surveyId: body.surveyId ?? ulid(now.getTime()),
    status: 'open',
    campaignIds: [],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  if (await deps.surveys.create(survey)) {
    return json(201, { survey: viewOf(survey) } satisfies z.infer<typeof oneSurveySchema>);
  }
  const saved = await deps.surveys.get(merchant.merchantId, survey.surveyId);
  if (!saved || contentOf(saved) !== contentOf(survey)) {
    throw new HttpError(409, 'survey_exists', `surveyId: ${survey.surveyId} is another survey`, [
      { path: 'surveyId', message: `${survey.surveyId} is another survey` },
    ]);
  }
  return json(200, { survey: viewOf(saved) } satisfies z.infer<typeof oneSurveySchema>);
}

/** `GET /v1/surveys`: newest first. */
export async function listSurveys(
  request: Request,
  merchant: Merchant,
  deps: SurveyRoutesDeps,
): Promise<Response> {
  const page = await deps.surveys.list(merchant.merchantId, parseQuery(request, surveysQuerySchema));
  return json(200, {
    surveys: page.surveys.map(viewOf),
    cursor: page.cursor,
  } satisfies z.infer<typeof surveysPageSchema>);
}

/** `GET /v1/surveys/{surveyId}`. */
export async function getSurvey(
  request: Request,
  merchant: Merchant,
  deps: SurveyRoutesDeps,
): Promise<Response> {
  const survey = await surveyIn(request, merchant, deps);
  return json(200, { survey: viewOf(survey) } satisfies z.infer<typeof oneSurveySchema>);
}

/** `POST /v1/surveys/{surveyId}/close`: final; closing a closed survey answers it as it is. */
export async function closeSurvey(
  request: Request,
  merchant: Merchant,
  deps: SurveyRoutesDeps,
): Promise<Response> {
  const { surveyId } = await surveyIn(request, merchant, deps);
  const closed = await deps.surveys.close(merchant.merchantId, surveyId, deps.clock());
  if (!closed) throw notFound();
  return json(200, { survey: viewOf(closed) } satisfies z.infer<typeof oneSurveySchema>);
}

/** `GET /v1/surveys/{surveyId}/results`: as counted so far. */
export async function getSurveyResults(
  request: Request,
  merchant: Merchant,
  deps: SurveyRoutesDeps,
): Promise<Response> {
  const survey = await surveyIn(request, merchant, deps);
  const { merchantId, surveyId } = survey;
  const textQuestions = [...survey.questions.entries()].filter(([, q]) => q.kind === 'text').map(([i]) => i);
  const [tally, stats, texts] = await Promise.all([
    deps.surveys.tally(merchantId, surveyId),
    Promise.all(survey.campaignIds.map((campaignId) => deps.campaigns.stats(merchantId, campaignId))),
    Promise.all(
      textQuestions.map(
        async (i) => [i, await deps.surveys.answers(merchantId, surveyId, i, textAnswersShown)] as const,
      ),
    ),
  ]);
  const sent = stats.reduce((sum, counts) => sum + (counts.sent ?? 0), 0);
  return json(200, {
    results: surveyResults(survey, tally, sent, new Map(texts)),
  } satisfies z.infer<typeof resultsAnswerSchema>);
}

const surveyPath = { surveyId: 'The id `POST /v1/surveys` answered with' };
const noSurvey = 'There is no survey with the id';

export const surveyRouteDocs: RouteDocsFor<'/v1/surveys'> = {
  'POST /v1/surveys': {
    summary: 'Create a survey',
    description:
      'An intro, up to 10 questions (`choice`: 2 to 9 options, answered by number, letter or the ' +
      "option's text; `rating`: 1 to 5; `text`: free text, up to 500 characters kept) and a thank-you. " +
      'Send it with a campaign (`surveyId` instead of `templateId`), or start it with a keyword app. ' +
      `A member may answer for \`expiresAfterDays\` (7 by default, at most ${maxExpiresAfterDays}) after ` +
      'it reached them. An answer not understood is asked again once with a hint; a second one is ' +
      'recorded as skipped and the next question follows. Each request creates a new survey, unless it ' +
      'carries the `surveyId` of one already created: then that survey is answered again, and nothing ' +
      'more is created.',
    body: newSurveySchema,
    responses: {
      201: { description: 'The survey, open', body: oneSurveySchema },
      200: { description: 'The survey created before under the same `surveyId`', body: oneSurveySchema },
    },
    errors: {
      400: anyOf(
        invalidBody,
        'a text the survey sends would be over 500 characters once signed (the `path` names the field to shorten)',
      ),
      409: 'The `surveyId` already names another survey',
    },
  },
  'GET /v1/surveys': {
    summary: 'List surveys',
    description: 'Your surveys, newest first. Pass the `cursor` of a page to get the next one.',
    query: surveysQuerySchema,
    responses: { 200: { description: 'A page of surveys', body: surveysPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/surveys/{surveyId}': {
    summary: 'A survey',
    description: 'Its questions and texts, whether it is open, and the campaigns that send it.',
    pathParameters: surveyPath,
    responses: { 200: { description: 'The survey', body: oneSurveySchema } },
    errors: { 404: noSurvey },
  },
  'POST /v1/surveys/{surveyId}/close': {
    summary: 'Close a survey',
    description:
      'No more answers are taken (texts go to your keywords again), keyword apps starting it say it ' +
      'has ended, and campaigns sending it stop at their next run. Final; closing it again changes nothing.',
    pathParameters: surveyPath,
    responses: { 200: { description: 'The survey, closed', body: oneSurveySchema } },
    errors: { 404: noSurvey },
  },
  'GET /v1/surveys/{surveyId}/results': {
    summary: "A survey's results",
    description:
      'Members it reached (texts its campaigns sent, and members who started it by keyword), members who ' +
      'answered at least one question and the response rate over those reached, members who completed ' +
      `it; per question the count of each option, the rating average and spread, the latest ${textAnswersShown} ` +
      'free-text answers, and answers skipped after two tries.',
    pathParameters: surveyPath,
    responses: { 200: { description: 'The results so far', body: resultsAnswerSchema } },
    errors: { 404: noSurvey },
  },
};
