import { eventOf } from '../../events/catalog';
import { tierChanged } from '../../events/tier-changed';
import type { Lang } from '../domain/keywords';
import { replies } from '../domain/replies';
import {
  countsThisYear,
  evaluateTier,
  type TierEvaluationKind,
  tierName,
  yearlyScore,
} from '../domain/tiers';
import { dateIn } from '../domain/time';
import type { OutboundQueue } from '../queue/outbound-queue';
import type { Member } from '../schemas/member';
import type { Merchant } from '../schemas/merchant';
import type { TiersStore } from '../store/tiers';

export interface TierDeps {
  tiers: TiersStore;
  outbound: OutboundQueue;
}

export type TierOutcome = { status: 'unchanged' | 'changed'; tier: string } | { status: 'conflict' };

/** The language a merchant's own texts go out in. */
export const merchantLang = (merchant: Merchant): Lang => (merchant.defaultCountry === 'CN' ? 'zh' : 'en');

/**
 * Evaluates one member's tier and writes the result. The score is last calendar year's spend
 * plus tenure; the monthly run also counts this year's spend so far, so a member who spends a
 * lot early in the year is upgraded then and not only next January. `runId` names the run
 * (e.g. `yearly:2027`): a repeated run writes its event and texts under the same ids.
 */
export async function applyTierEvaluation(
  input: {
    merchant: Merchant;
    member: Member;
    kind: TierEvaluationKind;
    now: Date;
    runId: string;
    tierPackage?: { tier: string; endsAt: string };
  },
  deps: TierDeps,
): Promise<TierOutcome> {
  const { merchant, member, kind, now } = input;
  const today = dateIn(merchant.timeZone, now);
  const year = Number(today.slice(0, 4));
  const lastYear = member.spendByYear[String(year - 1)] ?? 0;
  const spend = countsThisYear(kind) ? Math.max(lastYear, member.spendByYear[String(year)] ?? 0) : lastYear;
  const score = yearlyScore({
    spendCentsLastYear: spend,
    joinedOn: dateIn(merchant.timeZone, new Date(member.joinedAt)),
    on: today,
  });
  const tierPackage = kind === 'package-ended' ? undefined : (input.tierPackage ?? member.tierPackage);
  const result = evaluateTier({
    kind,
    table: merchant.loyalty.tiers,
    current: { tier: member.tier, earnedTier: member.earnedTier },
    score,
    tierPackage,
    now: now.toISOString(),
  });
  const packageChanged = tierPackage?.endsAt !== member.tierPackage?.endsAt;
  if (result.tier === member.tier && result.earnedTier === member.earnedTier && !packageChanged) {
    return { status: 'unchanged', tier: result.tier };
  }
  // A change of tier is told in the outbox, committed with the write.
  const written = await deps.tiers.set(
    member,
    { tier: result.tier, earnedTier: result.earnedTier, tierPackage },
    now,
    result.change === 'none'
      ? []
      : [
          eventOf(tierChanged, {
            eventId: `tier:${input.runId}:${member.memberId}`,
            merchantId: merchant.merchantId,
            memberId: member.memberId,
            from: member.tier,
            to: result.tier,
            earnedTier: result.earnedTier,
            change: result.change,
            cause: kind,
            at: now.toISOString(),
          }),
        ],
  );
  if (!written) return { status: 'conflict' };
  // A member's first tier is no news, nor is a new tier in place of one the merchant removed; an
  // upgrade is, and it is about their own account (a service text).
  const wasInTable = tierName(member.tier, merchant.loyalty.tiers) !== undefined;
  if (result.change === 'upgrade' && wasInTable) {
    const name = tierName(result.tier, merchant.loyalty.tiers) ?? result.tier;
    await deps.outbound.enqueue({
      messageId: `tier:${input.runId}:${member.memberId}`,
      merchantId: merchant.merchantId,
      to: member.phone,
      body: replies.tierUpgraded({ lang: merchantLang(merchant), merchantName: merchant.name }, name),
      category: 'service',
    });
  }
  return { status: 'changed', tier: result.tier };
}
