import { ulid } from 'ulidx';
import type * as z from 'zod';
import { signedText } from '../../shared/domain/sms-text';
import { openingText, surveyTextKind } from '../../shared/domain/survey';
import { memberTemplateValues, renderTemplate } from '../../shared/domain/templates';
import { dateIn } from '../../shared/domain/time';
import type { Campaign } from '../../shared/schemas/campaign';
import type { Merchant } from '../../shared/schemas/merchant';
import type { OutboundSms } from '../../shared/schemas/sms';
import type { CampaignStats } from '../../shared/store/campaign-stats';
import type { campaignStatsAnswerSchema, campaignTestAnswerSchema } from './campaign-docs';
import { type CampaignRoutesDeps, campaignIn, progressOf, refused } from './campaigns';
import { json, type Request, type Response } from './http';

/** A campaign's test send, and its outcomes as counted. */

/**
 * `POST /v1/campaigns/{campaignId}/test`: the text, as members will read it (with the unsubscribe
 * line of a marketing text), to the campaign's test phones now. Test phones are staff, not the
 * audience: the texts go as service texts, past consent, caps and marketing hours, and without the
 * campaign's id, so they count in no stats. Each call sends again, under ids of its own.
 */
export async function testCampaign(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const campaign = await campaignIn(request, merchant, deps);
  if (campaign.testPhones.length === 0) {
    throw refused('the campaign has no testPhones; create it with the phones to send tests to');
  }
  const now = deps.clock();
  const content = await testContent(campaign, merchant, now, deps);
  const { signature, sending } = merchant;
  const signing = { signature, unsubscribeLine: sending.unsubscribeLine, category: content.category };
  // send-sms signs it; the signature is taken off again so it is not there twice.
  const body = signedText(content.body, signing).slice(signature.length);
  const testId = ulid(now.getTime());
  const texts: OutboundSms[] = campaign.testPhones.map((to) => ({
    messageId: `campaign-test#${campaign.campaignId}#${testId}#${to}`,
    merchantId: merchant.merchantId,
    to,
    body,
    category: 'service',
    template: content.template,
  }));
  await deps.outbound.enqueueMany(texts);
  return json(202, {
    test: { testId, texts: texts.map(({ to, messageId }) => ({ to, messageId, body })) },
  } satisfies z.infer<typeof campaignTestAnswerSchema>);
}

/** The campaign's text as a member without values of their own reads it, before signing. */
async function testContent(
  campaign: Campaign,
  merchant: Merchant,
  now: Date,
  deps: CampaignRoutesDeps,
): Promise<Pick<OutboundSms, 'body' | 'category'> & { template: string }> {
  if (campaign.surveyId) {
    const survey = await deps.surveys.get(merchant.merchantId, campaign.surveyId);
    if (!survey) throw refused(`the campaign's survey ${campaign.surveyId} is gone`);
    return { body: openingText(survey), category: 'marketing', template: surveyTextKind(survey.surveyId) };
  }
  const template =
    campaign.templateId && (await deps.templates.get(merchant.merchantId, campaign.templateId));
  if (!template) throw refused(`the campaign's template ${campaign.templateId} was deleted`);
  const values = memberTemplateValues(undefined, merchant, dateIn(merchant.timeZone, now));
  return {
    body: renderTemplate(template.body, values),
    category: template.category,
    template: template.templateId,
  };
}

/** Counters named `<prefix><reason>`, by reason, with their total. */
function reasons(stats: CampaignStats, prefix: string) {
  const found = Object.entries(stats).filter(([name]) => name.startsWith(prefix));
  return {
    total: found.reduce((sum, [, count]) => sum + count, 0),
    byReason: Object.fromEntries(found.map(([name, count]) => [name.slice(prefix.length), count])),
  };
}

/** Minutes of sending the stats show the pace of: the latest that sent any. */
export const minutesShown = 60;

/** `GET /v1/campaigns/{campaignId}/stats`: every run's outcomes together, as they are counted. */
export async function getCampaignStats(
  request: Request,
  merchant: Merchant,
  deps: CampaignRoutesDeps,
): Promise<Response> {
  const campaign = await campaignIn(request, merchant, deps);
  const [stats, sentPerMinute] = await Promise.all([
    deps.campaigns.stats(merchant.merchantId, campaign.campaignId),
    deps.campaigns.sentPerMinute(merchant.merchantId, campaign.campaignId, minutesShown),
  ]);
  const count = (name: string) => stats[name] ?? 0;
  return json(200, {
    stats: {
      ...progressOf(campaign, deps.clock()),
      targeted: count('targeted'),
      heldOut: count('heldOut'),
      serviceNotices: count('serviceNotices'),
      sent: count('sent'),
      delivered: count('delivered'),
      failed: count('failed'),
      segments: count('segments'),
      optOuts: count('optOuts'),
      complaints: count('complaints'),
      suppressed: reasons(stats, 'suppressed.'),
      held: reasons(stats, 'held.'),
      released: count('released'),
      expired: reasons(stats, 'expired.'),
      sentPerMinute,
    },
  } satisfies z.infer<typeof campaignStatsAnswerSchema>);
}
