import type { Audience } from '../../shared/domain/audience';
import { campaignMessageId, isHeldOut, oneOffAt, runIdOf } from '../../shared/domain/campaign';
import { campaignCategory } from '../../shared/domain/reach';
import { windowDecision } from '../../shared/domain/send-window';
import { openingText, surveySession, surveyTextKind } from '../../shared/domain/survey';
import { memberTemplateValues, renderTemplate } from '../../shared/domain/templates';
import { dateIn } from '../../shared/domain/time';
import { count, metricNames } from '../../shared/metrics';
import type { OutboundQueue } from '../../shared/queue/outbound-queue';
import type { CampaignScheduler } from '../../shared/scheduler/campaign-scheduler';
import type { Campaign, CampaignInvocation } from '../../shared/schemas/campaign';
import type { Member } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import type { OutboundSms } from '../../shared/schemas/sms';
import type { Survey } from '../../shared/schemas/survey';
import type { Template } from '../../shared/schemas/template';
import type { AudienceReader } from '../../shared/store/audience-members';
import type { AudiencesStore } from '../../shared/store/audiences';
import type { CampaignsStore } from '../../shared/store/campaigns';
import type { DirectoryStore } from '../../shared/store/directory';
import type { ConsentReader } from '../../shared/store/members';
import type { SurveysStore } from '../../shared/store/surveys';
import type { TemplatesStore } from '../../shared/store/templates';
import { reachOfPage } from '../../shared/use-cases/audience-reach';

export interface FanoutDeps {
  campaigns: Pick<CampaignsStore, 'get' | 'startRun' | 'advance' | 'wait' | 'abandonRun' | 'closeRun'>;
  directory: Pick<DirectoryStore, 'merchant'>;
  templates: Pick<TemplatesStore, 'get'>;
  surveys: Pick<SurveysStore, 'get' | 'openSessions'>;
  audiences: Pick<AudiencesStore, 'get'>;
  members: Pick<AudienceReader, 'page'>;
  /** Read for a service campaign only: its stats count the texts that go to members without marketing consent. */
  consents: ConsentReader;
  outbound: Pick<OutboundQueue, 'enqueueMany'>;
  clock: () => Date;
  /** Members read and queued per checkpoint: a crash repeats at most this many texts' enqueues. */
  pageSize: number;
}

export type FanoutOutcome =
  | { outcome: 'completed'; runId: string; pages: number; targeted: number; heldOut: number }
  | { outcome: 'continues'; runId: string; at: string; reason: keyof typeof waitingReasons }
  | { outcome: 'stopped'; runId: string; reason: string }
  | { outcome: 'skipped'; reason: string };

/** Why a run stops to go on later, in the merchant's words. */
const waitingReasons = {
  'marketing hours': 'outside the marketing hours in your sending settings',
  'out of time': 'the run goes on in a new invocation',
} as const;

/** Members per page as deployed: 50 SendMessageBatch requests, and a checkpoint, per page. */
export const fanoutPageSize = 500;

/** SendMessageBatch requests of a page in flight at once (each takes ten texts). */
const enqueueStreams = 5;

/** Time left when the fan-out stops and continues in a new invocation: a page with its enqueues takes far less. */
export const safetyMarginMs = 30_000;

/**
 * One invocation of a campaign run: starts the run (or continues it from its checkpoint), then queues
 * the audience a page at a time, each page checkpointed with what it counted. It stops, to be continued
 * by a one-off schedule of its own, when the Lambda's time runs short or the merchant's marketing hours
 * begin; it stops for good when the campaign is paused or cancelled (it re-reads the campaign every
 * page) or when another invocation has moved the checkpoint on.
 */
export async function fanOut(
  invocation: CampaignInvocation,
  remainingMs: () => number,
  scheduler: Pick<CampaignScheduler, 'continueRun' | 'cancel'>,
  deps: FanoutDeps,
): Promise<FanoutOutcome> {
  const { merchantId, campaignId } = invocation;
  const runId = runIdOf(invocation.runId ?? invocation.scheduledTime);
  const merchant = await deps.directory.merchant(merchantId);
  if (!merchant) return { outcome: 'skipped', reason: 'no such merchant' };
  const start = await deps.campaigns.startRun(merchantId, campaignId, runId, deps.clock());
  if (!start) return { outcome: 'skipped', reason: 'no such campaign' };
  if (!start.started) {
    // A late duplicate of the invocation that completed the run: the campaign may not have been closed.
    if (start.finished) await deps.campaigns.closeRun(merchantId, campaignId, runId, deps.clock());
    return { outcome: 'skipped', reason: start.reason };
  }
  let run = start.run;
  const campaign = await deps.campaigns.get(merchantId, campaignId);
  if (!campaign) return { outcome: 'skipped', reason: 'no such campaign' };
  // A one-off's run, once started, needs nothing to start it: its schedule is gone when it was what
  // fired; when the merchant API's event started the run, it would fire a duplicate a minute later.
  if (!invocation.runId && campaign.schedule.kind !== 'recurring')
    await scheduler.cancel(merchantId, campaignId);
  const sources = await sourcesOf(campaign, deps);
  if (typeof sources === 'string') {
    await deps.campaigns.abandonRun(merchantId, campaignId, runId, sources, deps.clock());
    await deps.campaigns.closeRun(merchantId, campaignId, runId, deps.clock());
    return { outcome: 'stopped', runId, reason: sources };
  }
  const textOf = textsFor(campaign, merchant, sources.content, runId);

  const continueAt = async (at: Date, reason: keyof typeof waitingReasons): Promise<FanoutOutcome> => {
    await scheduler.continueRun({ merchantId, campaignId, runId, at });
    // The merchant sees why nothing is going out: a run waiting for the morning is not stuck.
    await deps.campaigns.wait(merchantId, campaignId, runId, { reason: waitingReasons[reason], until: at });
    return { outcome: 'continues', runId, at: at.toISOString(), reason };
  };
  for (;;) {
    const now = deps.clock();
    if (remainingMs() < safetyMarginMs) return continueAt(oneOffAt(now), 'out of time');
    // A campaign is a bulk send: whatever its category, it waits for the window rather than texting at night.
    const window = windowDecision(now, merchant.timeZone, merchant.sending.marketingHours);
    if (!window.send) return continueAt(oneOffAt(now, new Date(window.notBefore)), 'marketing hours');
    const current = await deps.campaigns.get(merchantId, campaignId);
    if (current?.status !== 'running' || current.currentRun !== runId) {
      return { outcome: 'stopped', runId, reason: `the campaign is ${current?.status ?? 'gone'}` };
    }

    const page = await deps.members.page(merchantId, sources.audience, {
      cursor: run.cursor,
      pageSize: deps.pageSize,
      now,
      timeZone: merchant.timeZone,
    });
    const targets = page.members.filter((m) => !isHeldOut(campaignId, m.memberId, campaign.holdoutPercent));
    const texts = targets.map(textOf);
    const heldOut = page.members.length - targets.length;
    // A survey is opened for each member before their text is queued, so no reply can come before
    // the survey it answers. Opening it here rather than at the member's first reply (finding the
    // campaign text they got) keeps a later campaign's text from hiding it, for one small write per
    // member. Members without marketing consent, whose texts send-sms holds back, get one too:
    // inbound-sms takes no answer from them (functions/inbound-sms/surveys.ts).
    if (sources.content.kind === 'survey') {
      const session = surveySession(sources.content.survey, now, campaignId);
      await deps.surveys.openSessions(
        merchantId,
        texts.map((text) => ({ phone: text.to, ...session })),
      );
    }
    // A page's requests in a few parallel streams: the page is checkpointed once all are accepted.
    const perStream = Math.ceil(texts.length / enqueueStreams / 10) * 10;
    await Promise.all(
      Array.from({ length: enqueueStreams }, (_, i) =>
        deps.outbound.enqueueMany(texts.slice(i * perStream, (i + 1) * perStream)),
      ),
    );
    const serviceNotices =
      texts[0]?.category === 'service'
        ? (await reachOfPage(merchant, targets, 'service', deps.consents)).filter(
            (r) => r === 'service-notice',
          ).length
        : 0;
    const progress = { cursor: page.cursor, targeted: texts.length, heldOut, serviceNotices };
    const next = await deps.campaigns.advance(merchantId, campaignId, run, progress, deps.clock());
    // The texts just queued carry the ids the other invocation queued: send-sms sends each once.
    if (!next) return { outcome: 'stopped', runId, reason: 'another invocation moved the checkpoint on' };
    // Counted once the checkpoint moved past the page: a page queued again after a crash counts once.
    count(metricNames.campaignMembersQueued, {}, texts.length);
    run = next;
    if (run.status === 'completed') {
      await deps.campaigns.closeRun(merchantId, campaignId, runId, deps.clock());
      return { outcome: 'completed', runId, pages: run.pages, targeted: run.targeted, heldOut: run.heldOut };
    }
  }
}

/** What a campaign sends: a template, or a survey's intro and first question. */
type Content = { kind: 'template'; template: Template } | { kind: 'survey'; survey: Survey };

/** What the campaign sends and the audience it names, or why the run cannot go on. */
async function sourcesOf(
  campaign: Campaign,
  deps: Pick<FanoutDeps, 'templates' | 'surveys' | 'audiences'>,
): Promise<{ content: Content; audience: Audience } | string> {
  const content = await contentOf(campaign, deps);
  if (typeof content === 'string') return content;
  if ('definition' in campaign.audience) return { content, audience: campaign.audience.definition };
  const saved = await deps.audiences.get(campaign.merchantId, campaign.audience.audienceId);
  if (!saved) return `the audience ${campaign.audience.audienceId} was deleted`;
  return { content, audience: saved.definition };
}

async function contentOf(
  campaign: Campaign,
  deps: Pick<FanoutDeps, 'templates' | 'surveys'>,
): Promise<Content | string> {
  if (campaign.surveyId) {
    const survey = await deps.surveys.get(campaign.merchantId, campaign.surveyId);
    if (survey?.status !== 'open') return `the survey ${campaign.surveyId} was closed`;
    return { kind: 'survey', survey };
  }
  const template =
    campaign.templateId && (await deps.templates.get(campaign.merchantId, campaign.templateId));
  if (!template) return `the template ${campaign.templateId} was deleted`;
  return { kind: 'template', template };
}

/** Each member's text under the run's send-once id. */
function textsFor(campaign: Campaign, merchant: Merchant, content: Content, runId: string) {
  const made = madeFrom(content, merchant, dateIn(merchant.timeZone, new Date(runId)));
  return (member: Member): OutboundSms => ({
    messageId: campaignMessageId(campaign.campaignId, runId, member.memberId),
    merchantId: campaign.merchantId,
    to: member.phone,
    campaignId: campaign.campaignId,
    ...made(member),
  });
}

/**
 * A member's text from the campaign's content: the template rendered with their values on the run's
 * date, or the survey's opening, the same for all and marketing.
 */
function madeFrom(content: Content, merchant: Merchant, date: string) {
  if (content.kind === 'survey') {
    const { survey } = content;
    const opening = {
      body: openingText(survey),
      category: 'marketing' as const,
      template: surveyTextKind(survey.surveyId),
    };
    return () => opening;
  }
  const { template } = content;
  const category = campaignCategory(template, merchant.signature);
  return (member: Member) => ({
    body: renderTemplate(template.body, memberTemplateValues(member, merchant, date)),
    category,
    template: template.templateId,
  });
}
