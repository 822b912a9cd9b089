import { refusalText } from '../../shared/domain/benefits';
import { appLang, appWordCandidates, listTag } from '../../shared/domain/keyword-app';
import { maskPhone } from '../../shared/domain/phone';
import { replies } from '../../shared/domain/replies';
import { memberTemplateValues, renderTemplate, type TemplateValues } from '../../shared/domain/templates';
import { dateIn } from '../../shared/domain/time';
import { logger } from '../../shared/log';
import type { KeywordApp } from '../../shared/schemas/keyword-app';
import type { Member } from '../../shared/schemas/member';
import type { KeywordAppsStore } from '../../shared/store/keyword-apps';
import type { MembersStore } from '../../shared/store/members';
import { type ClaimDeps, claimBenefit } from '../../shared/use-cases/claim-benefit';
import { grantedReply } from './exchanges';
import type { Handled, Inbound } from './inbound';
import { type SurveyInboundDeps, startSurvey } from './surveys';

export interface KeywordAppInboundDeps extends ClaimDeps, SurveyInboundDeps {
  keywordApps: Pick<KeywordAppsStore, 'appFor' | 'recordUse' | 'list'>;
  members: Pick<MembersStore, 'contact' | 'changeTags'>;
}

/**
 * A text no system keyword took, offered to the merchant's keyword apps: the enabled app owning its
 * first word (or, for Chinese, its first characters) counts the use and acts. Undefined when no
 * enabled app has the word, so the text gets the usual help reply. Every step may run again for a
 * text delivered twice: the use counts once, a tag is added once, a benefit is granted once per text.
 */
export async function runKeywordApp(
  inbound: Inbound,
  deps: KeywordAppInboundDeps,
): Promise<Handled | undefined> {
  const { text, merchant, phone, now } = inbound;
  const app = await deps.keywordApps.appFor(merchant.merchantId, appWordCandidates(text.messageBody));
  if (!app?.enabled) return undefined;
  await deps.keywordApps.recordUse(merchant.merchantId, app.appId, {
    inboundMessageId: text.inboundMessageId,
    phone,
    at: now,
  });
  const reply = { ...inbound.reply, lang: appLang(app, inbound.reply.lang) };
  return { as: 'keyword-app', reply: await runAction(app, { ...inbound, reply }, deps) };
}

/** Apps read for the help reply: two parts hold far fewer words than this. */
const appsListedInHelp = 50;

/** The words of the merchant's enabled apps, oldest app first: what the help reply lists after the system keywords. */
export async function appKeywords(merchantId: string, deps: Pick<KeywordAppInboundDeps, 'keywordApps'>) {
  const { apps } = await deps.keywordApps.list(merchantId, { limit: appsListedInHelp });
  return apps.filter((app) => app.enabled).map((app) => app.keyword);
}

/** Carries out the app's action and answers: the merchant's reply, or what the action says. */
async function runAction(
  app: KeywordApp,
  inbound: Inbound,
  deps: KeywordAppInboundDeps,
): Promise<string | undefined> {
  const { action } = app;
  if (action.kind === 'start-survey') return (await startSurvey(action.surveyId, inbound, deps)).reply;

  const { merchant, phone, reply, text, now } = inbound;
  const found = (await deps.members.contact(merchant.merchantId, phone)).member;
  const member = found?.deletedAt ? undefined : found;
  switch (action.kind) {
    case 'reply':
      return answer(app, inbound, member);
    case 'tag':
    case 'join-list':
      if (!member) return replies.notMember(reply);
      await addTag(action.kind === 'tag' ? action.tag : listTag(action.list), inbound, deps);
      return answer(app, inbound, member);
    case 'grant-benefit': {
      const result = await claimBenefit(
        { merchant, member, code: action.code, idempotencyKey: text.inboundMessageId, channel: 'sms', now },
        deps,
      );
      if (!result.ok) {
        return refusalText(result.reason, reply.lang, {
          merchantName: merchant.name,
          benefit: result.benefit,
          balance: result.balance,
        });
      }
      if (app.reply) return answer(app, inbound, member, { benefit: result.benefit.name });
      return grantedReply(result, merchant, reply);
    }
  }
}

/** The merchant's reply, filled in from the member (or, for someone not a member, the shop and date). */
function answer(app: KeywordApp, { merchant, now }: Inbound, member?: Member, extra: TemplateValues = {}) {
  if (!app.reply) return undefined;
  const values = memberTemplateValues(member, merchant, dateIn(merchant.timeZone, now));
  return renderTemplate(app.reply.text, { ...values, ...extra });
}

/**
 * Tags the member, on their tags as they are when written (a till may tag them at the same moment).
 * A member at the tag limit keeps their tags and still gets the reply: the merchant sees the missing
 * tag in the log, the member has done nothing wrong.
 */
async function addTag(tag: string, { merchant, phone, now }: Inbound, deps: KeywordAppInboundDeps) {
  const { status } = await deps.members.changeTags(merchant.merchantId, phone, { add: [tag] }, now);
  if (status !== 'updated' && status !== 'unchanged') {
    logger.warn('keyword app could not tag the member', { tag, phone: maskPhone(phone), outcome: status });
  }
}
