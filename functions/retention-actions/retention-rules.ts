import type * as z from 'zod';
import type { churnZoneChanged } from '../../events';
import { expiryDate } from '../../shared/domain/ledger';
import { type RetentionDecision, retentionDecision } from '../../shared/domain/retention';
import { memberTemplateValues, renderTemplate } from '../../shared/domain/templates';
import { dateIn } from '../../shared/domain/time';
import { logger } from '../../shared/log';
import type { OutboundQueue } from '../../shared/queue/outbound-queue';
import type { Member } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import type { MemberActivity, RetentionRule, RetentionTarget } from '../../shared/schemas/retention';
import type { OutboundSms } from '../../shared/schemas/sms';
import type { Template } from '../../shared/schemas/template';
import type { ActivityStore } from '../../shared/store/activity';
import type { DirectoryStore } from '../../shared/store/directory';
import type { LedgerStore } from '../../shared/store/ledger';
import type { RetentionStore } from '../../shared/store/retention';
import type { TemplatesStore } from '../../shared/store/templates';
import { type ClaimDeps, claimBenefit } from '../../shared/use-cases/claim-benefit';

export type ZoneChange = z.infer<typeof churnZoneChanged.detail>;

export interface RetentionActionDeps extends ClaimDeps {
  directory: Pick<DirectoryStore, 'merchant'>;
  retention: Pick<RetentionStore, 'activeRulesFor'>;
  activity: Pick<ActivityStore, 'update'>;
  templates: Pick<TemplatesStore, 'get'>;
  ledger: Pick<LedgerStore, 'post'>;
  outbound: Pick<OutboundQueue, 'enqueue'>;
  clock: () => Date;
}

export type RuleOutcome =
  /** Texted, and granted what the rule grants. */
  | 'treated'
  /** Recorded as held out: nothing sent or granted. */
  | 'held-out'
  /** The rule acted on the member within its cool-down. */
  | 'cooling-down'
  | 'no-template'
  /** The member left (deleted) since the scoring run. */
  | 'no-member';

/**
 * The merchant's active retention rules for the zone a member just entered, each once per event and
 * at most once per cool-down. The target (treated or held out) is recorded on the member first; a
 * redelivered event finds it and finishes the same work under the same ids: the grant is keyed
 * `retention:<rule>:<member>:<target time>` and the text's send-once id is built the same way.
 */
export async function applyRetentionRules(
  change: ZoneChange,
  deps: RetentionActionDeps,
): Promise<{ ruleId: string; outcome: RuleOutcome }[]> {
  const { to } = change;
  if (to === 'green' || to === 'white') return [];
  const merchant = await deps.directory.merchant(change.merchantId);
  if (!merchant) {
    logger.warn('zone change for no merchant', { merchantId: change.merchantId });
    return [];
  }
  const outcomes: { ruleId: string; outcome: RuleOutcome }[] = [];
  for (const rule of await deps.retention.activeRulesFor(merchant.merchantId, to)) {
    const outcome = await applyRule(rule, change, merchant, deps);
    logger.info('retention rule', {
      merchantId: merchant.merchantId,
      ruleId: rule.ruleId,
      eventId: change.eventId,
      outcome,
    });
    outcomes.push({ ruleId: rule.ruleId, outcome });
  }
  return outcomes;
}

async function applyRule(
  rule: RetentionRule,
  change: ZoneChange,
  merchant: Merchant,
  deps: RetentionActionDeps,
): Promise<RuleOutcome> {
  // Checked before a target is recorded: a member the rule could not text does not count as treated.
  const template = await deps.templates.get(merchant.merchantId, rule.templateId);
  if (!template) return 'no-template';
  const now = deps.clock();
  const decide = (member: Member): RetentionDecision =>
    retentionDecision(member.activity?.targets ?? [], rule, member, change.eventId, now);
  const member = await deps.activity.update(merchant.merchantId, change.phone, (current) => {
    if (current.memberId !== change.memberId) return undefined;
    const decision = decide(current);
    return decision.kind === 'target' ? withTarget(current.activity, decision.target) : undefined;
  });
  if (!member || member.memberId !== change.memberId) return 'no-member';
  // Decided again on the member as written: a target just recorded reads as this event's repeat.
  const decision = decide(member);
  if (decision.kind === 'cooling-down') return 'cooling-down';
  const { target } = decision;
  if (target.group === 'holdout') return 'held-out';
  const granted = await grant(rule, target, member, merchant, deps);
  await deps.outbound.enqueue(retentionText(rule, target, template, granted, merchant));
  return 'treated';
}

/** The facts with one more target; the version is the store's to move. */
function withTarget(activity: MemberActivity | undefined, target: RetentionTarget): MemberActivity {
  return {
    version: activity?.version ?? 0,
    days: activity?.days ?? {},
    ...(activity?.lastActiveAt ? { lastActiveAt: activity.lastActiveAt } : {}),
    targets: [...(activity?.targets ?? []), target],
  };
}

/**
 * The rule's bonus points or benefit, once per target whatever the redeliveries. Dated at the target's
 * time, so a repeat asks for exactly what the first attempt did. The member as the text shows them:
 * with the points just granted.
 */
async function grant(
  rule: RetentionRule,
  target: RetentionTarget,
  member: Member,
  merchant: Merchant,
  deps: RetentionActionDeps,
): Promise<Member> {
  if (!rule.grant) return member;
  const key = `retention:${rule.ruleId}:${member.memberId}:${target.at}`;
  const at = new Date(target.at);
  const today = dateIn(merchant.timeZone, at);
  const context = { merchantId: merchant.merchantId, ruleId: rule.ruleId, memberId: member.memberId };
  if (rule.grant.kind === 'benefit') {
    const claim = await claimBenefit(
      { merchant, member, code: rule.grant.code, idempotencyKey: key, channel: 'retention', now: at },
      deps,
    );
    if (!claim.ok) logger.warn('retention benefit not granted', { ...context, reason: claim.reason });
    return member;
  }
  const expiresOn = expiryDate(today, merchant.loyalty.expiry);
  const outcome = await deps.ledger.post({
    merchantId: merchant.merchantId,
    member,
    posting: {
      book: 'points',
      type: 'earn',
      delta: rule.grant.points,
      reason: `retention: ${rule.name}`,
      ...(expiresOn ? { expiresOn } : {}),
    },
    idempotencyKey: key,
    at,
    year: today.slice(0, 4),
  });
  if (outcome.status !== 'applied' && outcome.status !== 'replayed') {
    logger.warn('retention points not granted', { ...context, reason: outcome.status });
    return member;
  }
  // Its `points.earned` is committed with it, in the outbox (shared/store/outbox.ts).
  return { ...member, points: outcome.balances.points };
}

/** A marketing text from the merchant's template: its category and registration rules apply at send time. */
function retentionText(
  rule: RetentionRule,
  target: RetentionTarget,
  template: Template,
  member: Member,
  merchant: Merchant,
): OutboundSms {
  const date = dateIn(merchant.timeZone, new Date(target.at));
  return {
    messageId: `retention#${rule.ruleId}#${member.memberId}#${target.at}`,
    merchantId: merchant.merchantId,
    to: member.phone,
    body: renderTemplate(template.body, memberTemplateValues(member, merchant, date)),
    category: 'marketing',
    template: template.templateId,
  };
}
