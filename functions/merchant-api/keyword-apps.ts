import { ulid } from 'ulidx';
import * as z from 'zod';
import { appClashReason, maxAliases, systemClash } from '../../shared/domain/keyword-app';
import { foldKeyword } from '../../shared/domain/keywords';
import { signedText, textBilling } from '../../shared/domain/sms-text';
import { renderTemplate } from '../../shared/domain/templates';
import {
  type AppAction,
  type AppReply,
  type AppReplyInput,
  type KeywordApp,
  keywordAppPatchSchema,
  keywordAppSchema,
  newKeywordAppSchema,
  patchedKeywordAppSchema,
} from '../../shared/schemas/keyword-app';
import type { Merchant } from '../../shared/schemas/merchant';
import type { BenefitsStore } from '../../shared/store/benefits';
import type { KeywordAppsStore, WordTaken } from '../../shared/store/keyword-apps';
import type { SurveysStore } from '../../shared/store/surveys';
import type { TemplatesStore } from '../../shared/store/templates';
import {
  HttpError,
  json,
  pageQuery,
  parseBody,
  parseQuery,
  type Request,
  type Response,
  refusedInput,
} from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';

/**
 * Keyword apps: the merchant's own words (VIP, 会员日) and what texting them does. The system
 * keywords (积分, 注册, 退订, 反馈 …) and the merchant's opt-out words cannot be taken, nor one
 * app's word by another; a refusal names the word and what has it.
 */

export interface KeywordAppRoutesDeps {
  keywordApps: KeywordAppsStore;
  templates: Pick<TemplatesStore, 'get'>;
  benefits: Pick<BenefitsStore, 'get'>;
  surveys: Pick<SurveysStore, 'get'>;
  clock: () => Date;
}

export { keywordAppPatchSchema, newKeywordAppSchema };

const appIdSchema = keywordAppSchema.shape.appId;
export const keywordAppsQuerySchema = z.strictObject(pageQuery(appIdSchema, 50));

const appViewSchema = keywordAppSchema.omit({ merchantId: true });
const appAnswerSchema = z.object({ app: appViewSchema });
const appsPageSchema = z.object({ apps: z.array(appViewSchema), cursor: appIdSchema.optional() });

const viewOf = ({ merchantId: _tenant, ...app }: KeywordApp) => app;

const notFound = () => new HttpError(404, 'keyword_app_not_found', 'no keyword app with this id');

function appIdIn(request: Request): string | undefined {
  const appId = appIdSchema.safeParse(request.pathParameters?.appId);
  return appId.success ? appId.data : undefined;
}

function refusal(status: number, code: string, path: string, message: string) {
  return new HttpError(status, code, `${path}: ${message}`, [{ path, message }]);
}

/** Where a word sits in the body: `keyword` or `aliases.<i>`. */
function pathOf(word: string, { keyword, aliases }: Pick<KeywordApp, 'keyword' | 'aliases'>): string {
  const folded = foldKeyword(word);
  if (foldKeyword(keyword) === folded) return 'keyword';
  return `aliases.${aliases.findIndex((alias) => foldKeyword(alias) === folded)}`;
}

/** Words the system reads are refused before anything is written. */
function refuseSystemWords(
  app: Pick<KeywordApp, 'keyword' | 'aliases'>,
  merchant: Merchant,
  known: string[] = [],
) {
  const added = [app.keyword, ...app.aliases].filter((word) => !known.includes(foldKeyword(word)));
  const clash = systemClash(added, { optOutKeywords: merchant.sending.optOutKeywords });
  if (clash) throw refusal(409, 'keyword_taken', pathOf(clash.word, app), clash.reason);
}

function wordTaken({ word, owner }: WordTaken, app: Pick<KeywordApp, 'keyword' | 'aliases'>) {
  return refusal(409, 'keyword_taken', pathOf(word, app), appClashReason(word, owner));
}

/** The reply as saved: a template's text is copied, and must fit a text once signed. */
async function savedReply(
  input: AppReplyInput,
  merchant: Merchant,
  deps: KeywordAppRoutesDeps,
): Promise<AppReply> {
  let reply: AppReply;
  if ('templateId' in input) {
    const template = await deps.templates.get(merchant.merchantId, input.templateId);
    if (!template)
      throw refusal(400, 'invalid_body', 'reply.templateId', `you have no template ${input.templateId}`);
    reply = { text: template.body, templateId: template.templateId };
  } else reply = { text: input.text };
  const sent = signedText(renderTemplate(reply.text, {}), {
    signature: merchant.signature,
    unsubscribeLine: merchant.sending.unsubscribeLine,
    category: 'service',
  });
  const { length, tooLong } = textBilling(sent);
  if (tooLong) {
    const message = `the reply as sent is ${length} characters with your signature; carriers refuse more than 500`;
    throw refusal(400, 'text_too_long', 'reply', message);
  }
  return reply;
}

/** A benefit to grant must be one of the merchant's and still given out; a survey, one of theirs still open. */
async function checkAction(action: AppAction, merchant: Merchant, deps: KeywordAppRoutesDeps) {
  if (action.kind === 'grant-benefit') {
    const benefit = await deps.benefits.get(merchant.merchantId, action.code);
    if (!benefit) throw refusal(400, 'invalid_body', 'action.code', `you have no benefit ${action.code}`);
    if (!benefit.active)
      throw refusal(400, 'invalid_body', 'action.code', `the benefit ${action.code} is stopped`);
  }
  if (action.kind === 'start-survey') {
    const survey = await deps.surveys.get(merchant.merchantId, action.surveyId);
    if (!survey)
      throw refusal(400, 'invalid_body', 'action.surveyId', `you have no survey ${action.surveyId}`);
    if (survey.status !== 'open') {
      throw refusal(400, 'invalid_body', 'action.surveyId', `the survey ${action.surveyId} is closed`);
    }
  }
}

/**
 * `POST /v1/keyword-apps`. Takes no idempotency key: a retry finds its words taken by the app the
 * first request made, and the refusal (409) names that app.
 */
export async function createKeywordApp(
  request: Request,
  merchant: Merchant,
  deps: KeywordAppRoutesDeps,
): Promise<Response> {
  const { reply: replyInput, ...fields } = parseBody(request, newKeywordAppSchema);
  refuseSystemWords(fields, merchant);
  await checkAction(fields.action, merchant, deps);
  const reply = replyInput && (await savedReply(replyInput, merchant, deps));
  const now = deps.clock();
  const app: KeywordApp = {
    ...fields,
    ...(reply ? { reply } : {}),
    merchantId: merchant.merchantId,
    appId: ulid(now.getTime()),
    uses: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const outcome = await deps.keywordApps.create(app);
  if (outcome.status === 'word-taken') throw wordTaken(outcome, app);
  if (outcome.status === 'conflict') {
    throw new HttpError(
      409,
      'conflict',
      'another app took or freed these words at the same moment; try again',
    );
  }
  return json(201, { app: viewOf(outcome.app) } satisfies z.infer<typeof appAnswerSchema>);
}

/** `GET /v1/keyword-apps`: oldest first, a page at a time. */
export async function listKeywordApps(
  request: Request,
  merchant: Merchant,
  deps: KeywordAppRoutesDeps,
): Promise<Response> {
  const page = await deps.keywordApps.list(merchant.merchantId, parseQuery(request, keywordAppsQuerySchema));
  const answer: z.infer<typeof appsPageSchema> = { apps: page.apps.map(viewOf), cursor: page.cursor };
  return json(200, answer);
}

/** `GET /v1/keyword-apps/{appId}`, with its use count. */
export async function getKeywordApp(
  request: Request,
  merchant: Merchant,
  deps: KeywordAppRoutesDeps,
): Promise<Response> {
  const appId = appIdIn(request);
  const app = appId && (await deps.keywordApps.get(merchant.merchantId, appId));
  if (!app) throw notFound();
  return json(200, { app: viewOf(app) } satisfies z.infer<typeof appAnswerSchema>);
}

/**
 * `PATCH /v1/keyword-apps/{appId}`: the fields sent replace the app's; the result is checked as a new
 * app is. Its use count stays.
 */
export async function updateKeywordApp(
  request: Request,
  merchant: Merchant,
  deps: KeywordAppRoutesDeps,
): Promise<Response> {
  const appId = appIdIn(request);
  const { reply: replyInput, ...fields } = parseBody(request, keywordAppPatchSchema);
  if (!appId) throw notFound();
  if (fields.action) await checkAction(fields.action, merchant, deps);
  const reply = replyInput && (await savedReply(replyInput, merchant, deps));
  const now = deps.clock().toISOString();
  let next: KeywordApp | undefined;
  const outcome = await deps.keywordApps.update(merchant.merchantId, appId, (current) => {
    const { reply: currentReply, ...rest } = current;
    const kept = replyInput === null ? undefined : (reply ?? currentReply);
    const patched = patchedKeywordAppSchema.safeParse({
      ...rest,
      ...fields,
      ...(kept ? { reply: kept } : {}),
      updatedAt: now,
    });
    if (!patched.success) throw refusedInput('invalid_body', patched.error.issues, '(body)');
    refuseSystemWords(patched.data, merchant, [current.keyword, ...current.aliases].map(foldKeyword));
    next = patched.data;
    return patched.data;
  });
  switch (outcome.status) {
    case 'not-found':
      throw notFound();
    case 'word-taken':
      throw wordTaken(outcome, next ?? { keyword: '', aliases: [] });
    case 'conflict':
      throw new HttpError(409, 'conflict', 'the app was changed at the same moment; read it and try again');
    case 'saved':
      return json(200, { app: viewOf(outcome.app) } satisfies z.infer<typeof appAnswerSchema>);
  }
}

/** `DELETE /v1/keyword-apps/{appId}`: its words are free for other apps at once. */
export async function deleteKeywordApp(
  request: Request,
  merchant: Merchant,
  deps: KeywordAppRoutesDeps,
): Promise<Response> {
  const appId = appIdIn(request);
  const deleted = appId && (await deps.keywordApps.delete(merchant.merchantId, appId));
  if (!deleted) throw notFound();
  return json(200, { app: viewOf(deleted) } satisfies z.infer<typeof appAnswerSchema>);
}

const app = { appId: 'The id `POST /v1/keyword-apps` answered with' };
const noApp = 'There is no keyword app with the id';
const wordRefused =
  'A keyword or alias is a system keyword (积分, 注册, 退订, 反馈 …), starts with a Chinese one, is one of ' +
  'your opt-out words, or belongs to another of your apps: the refusal names the word and what has it';
const actionRefused =
  'the template, benefit or survey named is not one of yours, or the benefit is stopped or the survey closed';

export const keywordAppRouteDocs: RouteDocsFor<'/v1/keyword-apps'> = {
  'POST /v1/keyword-apps': {
    summary: 'Create a keyword app',
    description:
      'A word of yours (`keyword`, plus up to ' +
      `${maxAliases} \`aliases\`), Chinese or English, that members text to: get a reply (\`reply\`), be ` +
      'tagged (`tag`), join a list (`join-list`: the tag `list:<name>`, for audiences and member ' +
      'listings), be granted a benefit (`grant-benefit`) or start a survey (`start-survey`). Case and ' +
      'width do not matter (ＶＩＰ and vip are VIP); a Chinese word also matches at the start of a text ' +
      '(会员日抽奖). The reply is a `text` with {{placeholders}} or a template (`templateId`, copied ' +
      'when saved). Takes no idempotency key: a retry is refused because its words are taken.',
    body: newKeywordAppSchema,
    responses: { 201: { description: 'The app, answering texts now if enabled', body: appAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, actionRefused, 'the reply as sent would be over 500 characters'),
      409: wordRefused,
    },
  },
  'GET /v1/keyword-apps': {
    summary: 'List keyword apps',
    description: 'Your keyword apps, oldest first, with how often each was used. Pass `cursor` to read on.',
    query: keywordAppsQuerySchema,
    responses: { 200: { description: 'A page of apps', body: appsPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/keyword-apps/{appId}': {
    summary: 'A keyword app',
    description: 'Its words, action, reply, whether it is enabled, and `uses`: texts it answered, each once.',
    pathParameters: app,
    responses: { 200: { description: 'The app', body: appAnswerSchema } },
    errors: { 404: noApp },
  },
  'PATCH /v1/keyword-apps/{appId}': {
    summary: 'Change or disable a keyword app',
    description:
      "The fields sent replace the app's (`reply: null` removes the reply). `enabled: false` stops it " +
      'answering: its texts get the usual help reply, and its words stay reserved until you delete it.',
    pathParameters: app,
    body: keywordAppPatchSchema,
    responses: { 200: { description: 'The app as changed', body: appAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, actionRefused, 'the action and reply no longer go together'),
      404: noApp,
      409: wordRefused,
    },
  },
  'DELETE /v1/keyword-apps/{appId}': {
    summary: 'Delete a keyword app',
    description: 'Its words are free again at once; texts of them get the usual help reply.',
    pathParameters: app,
    responses: {
      200: { description: 'The app as it was', body: appAnswerSchema },
    },
    errors: { 404: noApp },
  },
};
