import { marketingRefusal } from '../../shared/domain/consent';
import type { Intent } from '../../shared/domain/keywords';
import {
  replyFor,
  type SurveyState,
  startState,
  surveyLang,
  surveyNotices,
  surveySession,
  takeText,
} from '../../shared/domain/survey';
import {
  type Survey,
  type SurveyProgress,
  type SurveySession,
  surveyIdSchema,
} from '../../shared/schemas/survey';
import type { MembersStore } from '../../shared/store/members';
import type { SurveysStore } from '../../shared/store/surveys';
import type { Handled, Inbound } from './inbound';

/**
 * Surveys by text: a member's replies to the survey open for their phone (sent by a campaign, or
 * started by a keyword app) are read as answers, stored once each, and answered with the next
 * question, a hint or the thank-you.
 */

export interface SurveyInboundDeps {
  surveys: Pick<SurveysStore, 'get' | 'session' | 'progress' | 'saveTurn' | 'openSessions'>;
  members: Pick<MembersStore, 'contact'>;
}

/** Two texts of one member handled at once: the loser reads the progress again and decides again. */
const attempts = 3;

/** The member's progress kept changing under the text; the text fails and is handled again later. */
export class SurveyBusyError extends Error {
  constructor(surveyId: string) {
    super(`survey ${surveyId}: the member's progress kept changing while a text was being taken`);
    this.name = 'SurveyBusyError';
  }
}

const answered = (survey: Survey, state: Pick<SurveyState, 'step' | 'last'>): Handled => ({
  as: 'survey-answer',
  reply: replyFor(survey, state),
});

/** The member's progress after `state`, moved by this text. */
function progressAfter(
  survey: Survey,
  from: SurveyProgress | undefined,
  state: SurveyState,
  { phone, now, text }: Inbound,
  session: SurveySession,
): SurveyProgress {
  return {
    surveyId: survey.surveyId,
    phone,
    ...state,
    version: (from?.version ?? 0) + 1,
    lastInboundId: text.inboundMessageId,
    via: from?.via ?? (session.campaignId ? 'campaign' : 'keyword'),
    startedAt: from?.startedAt ?? session.openedAt,
    updatedAt: now.toISOString(),
    ...(state.step >= survey.questions.length ? { completedAt: now.toISOString() } : {}),
  };
}

/**
 * The text as an answer to the phone's open survey, or undefined when it is not one: no survey is
 * open (none, expired, closed, completed), or a system keyword came while a choice or rating waits.
 * The same text handled twice gets the same reply and stores nothing more: each move is written on
 * condition that the progress is as it was read, and the progress remembers the text that moved it.
 */
export async function answerSurvey(
  intent: Intent,
  inbound: Inbound,
  deps: SurveyInboundDeps,
): Promise<Handled | undefined> {
  const { merchant, phone, now, text } = inbound;
  const { merchantId } = merchant;
  const session = await deps.surveys.session(merchantId, phone);
  if (!session || Date.parse(session.expiresAt) <= now.getTime()) return undefined;
  const [survey, found] = await Promise.all([
    deps.surveys.get(merchantId, session.surveyId),
    deps.surveys.progress(merchantId, session.surveyId, phone),
  ]);
  if (survey?.status !== 'open') return undefined;
  // A campaign opens its survey for every member it queues the text to, before send-sms checks
  // consent: a phone that takes no marketing never got it, and its texts are no answers.
  if (!found && session.campaignId) {
    if (marketingRefusal(await deps.members.contact(merchantId, phone))) return undefined;
  }
  let progress = found;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (progress?.lastInboundId === text.inboundMessageId) return answered(survey, progress);
    if (progress?.completedAt) return undefined;
    const move = takeText(survey, progress ?? startState, text.messageBody, intent);
    if (move.kind === 'not-an-answer') return undefined;
    const to = progressAfter(survey, progress, move.state, inbound, session);
    const answer = move.answer && {
      surveyId: survey.surveyId,
      phone,
      ...move.answer,
      inboundMessageId: text.inboundMessageId,
      answeredAt: now.toISOString(),
    };
    const saved = await deps.surveys.saveTurn({
      merchantId,
      from: progress,
      to,
      answer,
      counts: move.counts,
    });
    if (saved) return answered(survey, to);
    progress = await deps.surveys.progress(merchantId, survey.surveyId, phone);
  }
  throw new SurveyBusyError(survey.surveyId);
}

/**
 * Opens the survey for the phone (a keyword app's `start-survey`) and replies with the intro and the
 * question to answer: the first, or where the member left off. A member who completed it is thanked
 * again; a survey closed or unknown is said to have ended.
 */
export async function startSurvey(
  surveyId: string,
  inbound: Inbound,
  deps: SurveyInboundDeps,
): Promise<Handled> {
  const { merchant, phone, now, reply } = inbound;
  const { merchantId } = merchant;
  const survey = surveyIdSchema.safeParse(surveyId).success
    ? await deps.surveys.get(merchantId, surveyId)
    : undefined;
  const taken = (answer: string): Handled => ({ as: 'keyword-app', reply: answer });
  if (survey?.status !== 'open') return taken(surveyNotices(survey ? surveyLang(survey) : reply.lang).ended);
  const session = surveySession(survey, now);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const progress = await deps.surveys.progress(merchantId, surveyId, phone);
    if (progress?.completedAt) return taken(surveyNotices(surveyLang(survey)).alreadyDone);
    if (progress) {
      await deps.surveys.openSessions(merchantId, [{ phone, ...session }]);
      return taken(replyFor(survey, { step: progress.step, last: 'started' }));
    }
    const to = progressAfter(survey, undefined, startState, inbound, session);
    if (await deps.surveys.saveTurn({ merchantId, to, counts: { started: 1 }, session })) {
      return taken(replyFor(survey, to));
    }
  }
  throw new SurveyBusyError(surveyId);
}
