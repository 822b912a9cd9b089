import { expiryDate } from '../domain/ledger';
import { toMobileE164 } from '../domain/phone';
import { phoneProof } from '../domain/phone-proof';
import {
  capMonth,
  type ReferralProblem,
  type Reward,
  referralProblem,
  rewardKeys,
  rewardReasons,
  settlement,
} from '../domain/referrals';
import { dateIn } from '../domain/time';
import { logger } from '../log';
import type { Member } from '../schemas/member';
import type { Merchant } from '../schemas/merchant';
import type { Referral } from '../schemas/referral';
import type { LedgerStore } from '../store/ledger';
import type { MembersStore } from '../store/members';
import type { ReferralsStore } from '../store/referrals';
import { type ClaimDeps, claimBenefit } from './claim-benefit';

/**
 * Join gifts (开卡礼) and referral rewards (推荐有礼), whichever way a member joins (text, API, import):
 * each grant goes under a named idempotency key, so a retried join or a redelivered purchase event
 * grants nothing twice.
 */

export interface RewardDeps extends ClaimDeps {
  referrals: ReferralsStore;
  ledger: Pick<LedgerStore, 'post'>;
}

export interface JoinGiftDeps extends RewardDeps {
  /** The deployment's key for phones' proofs (shared/domain/phone-proof.ts). */
  phoneProofKey: string;
}

export interface ReferralDeps extends RewardDeps {
  members: Pick<MembersStore, 'contact' | 'byMemberId'>;
}

/** What a grant gave: the points posted and the benefit granted (its name), each when it went. */
export interface Granted {
  points?: number;
  benefit?: string;
}

/** Grants a reward's points and benefit to the member, once per key (the benefit's key ends in `:benefit`). */
export async function grantReward(
  reward: Reward,
  merchant: Merchant,
  member: Member,
  grant: { key: string; reason: string; at: Date },
  deps: RewardDeps,
): Promise<Granted> {
  const granted: Granted = {};
  const context = { merchantId: merchant.merchantId, memberId: member.memberId, key: grant.key };
  if (reward.points) {
    const today = dateIn(merchant.timeZone, grant.at);
    const expiresOn = expiryDate(today, merchant.loyalty.expiry);
    const outcome = await deps.ledger.post({
      merchantId: merchant.merchantId,
      member,
      posting: {
        book: 'points',
        type: 'earn',
        delta: reward.points,
        reason: grant.reason,
        ...(expiresOn ? { expiresOn } : {}),
      },
      idempotencyKey: grant.key,
      at: grant.at,
      year: today.slice(0, 4),
    });
    if (outcome.status === 'applied' || outcome.status === 'replayed') granted.points = reward.points;
    else logger.warn('reward points not granted', { ...context, reason: outcome.status });
  }
  if (reward.benefitCode) {
    const claim = await claimBenefit(
      {
        merchant,
        member,
        code: reward.benefitCode,
        idempotencyKey: `${grant.key}:benefit`,
        channel: 'reward',
        now: grant.at,
      },
      deps,
    );
    if (claim.ok) granted.benefit = claim.benefit.name;
    else logger.warn('reward benefit not granted', { ...context, reason: claim.reason });
  }
  return granted;
}

/**
 * The join gift, when the merchant sets one and the phone was never given one: the mark under the
 * phone's proof goes first, so a phone that left, or was erased, and joined again finds it.
 */
export async function giveJoinGift(
  merchant: Merchant,
  member: Member,
  deps: JoinGiftDeps,
): Promise<Granted | undefined> {
  const gift = merchant.loyalty.joinGift;
  if (!gift) return undefined;
  const at = new Date(member.joinedAt);
  const proof = phoneProof(deps.phoneProofKey, member.phone);
  const mark = await deps.referrals.markJoinGift(merchant.merchantId, proof, member.memberId, at);
  if (mark === 'given-before') return undefined;
  return grantReward(
    gift,
    merchant,
    member,
    { key: rewardKeys.joinGift(member.memberId), reason: rewardReasons.joinGift, at },
    deps,
  );
}

export type ReferralOutcome =
  | { status: 'recorded'; referrer: Member; granted?: Granted }
  | { status: 'refused'; problem: ReferralProblem };

/**
 * The referrer named at a join, as a current member who joined before the new one; undefined with the
 * reason when it cannot be recorded.
 */
export async function findReferrer(
  merchant: Merchant,
  joiner: { phone: string; joinedAt: string },
  written: string,
  deps: Pick<ReferralDeps, 'members'>,
): Promise<{ referrer: Member } | { problem: ReferralProblem }> {
  const phone = toMobileE164(written, merchant.defaultCountry);
  if (!phone.ok) return { problem: 'unreadable' };
  const { member } =
    phone.phone === joiner.phone
      ? { member: undefined }
      : await deps.members.contact(merchant.merchantId, phone.phone);
  const problem = referralProblem(joiner, phone.phone, member);
  if (problem || !member) return { problem: problem ?? 'not-member' };
  return { referrer: member };
}

/**
 * Records that `referrer` brought `member` (once per new member) and, when the merchant rewards at
 * join, settles it at once: what the new member was given then comes back, for the welcome.
 */
export async function recordReferral(
  merchant: Merchant,
  member: Member,
  referrer: Member,
  channel: Referral['channel'],
  deps: ReferralDeps,
): Promise<ReferralOutcome> {
  await deps.referrals.record({
    merchantId: merchant.merchantId,
    newMemberId: member.memberId,
    referrerMemberId: referrer.memberId,
    referredAt: member.joinedAt,
    channel,
    status: 'pending',
  });
  if (merchant.loyalty.referrals?.when !== 'join') return { status: 'recorded', referrer };
  const granted = await settleReferral(merchant, member.memberId, new Date(member.joinedAt), deps, member);
  return { status: 'recorded', referrer, ...(granted ? { granted } : {}) };
}

/**
 * Settles the new member's referral, if it is pending (or was settled and its grants may not all have
 * gone: a redelivery grants again under the same keys, so nothing twice): the referrer's reward counts
 * toward the month's cap of `at`. Answers what the new member was given. `joined`: the new member as
 * just written, when known (the member-id index may not show them yet).
 */
export async function settleReferral(
  merchant: Merchant,
  newMemberId: string,
  at: Date,
  deps: ReferralDeps,
  joined?: Member,
): Promise<Granted | undefined> {
  const referral = await deps.referrals.get(merchant.merchantId, newMemberId);
  if (!referral) return undefined;
  const settled = referral.status === 'pending' ? await settle(merchant, referral, at, deps) : referral;
  if (!settled) return undefined;
  const reason = { at: new Date(settled.settledAt ?? at.toISOString()) };
  let granted: Granted | undefined;
  if (settled.newMemberReward) {
    const member = joined ?? (await deps.members.byMemberId(merchant.merchantId, newMemberId));
    if (member && !member.deletedAt)
      granted = await grantReward(
        settled.newMemberReward,
        merchant,
        member,
        { key: rewardKeys.referral(newMemberId, 'new-member'), reason: rewardReasons.newMember, ...reason },
        deps,
      );
  }
  if (settled.referrerReward) {
    const referrer = await deps.members.byMemberId(merchant.merchantId, settled.referrerMemberId);
    if (referrer && !referrer.deletedAt)
      await grantReward(
        settled.referrerReward,
        merchant,
        referrer,
        {
          key: rewardKeys.referral(newMemberId, 'referrer'),
          reason: rewardReasons.referrer(newMemberId),
          ...reason,
        },
        deps,
      );
  }
  return granted;
}

/** Decides the pending referral's rewards and writes them, the cap counted; the referral as settled. */
async function settle(
  merchant: Merchant,
  referral: Referral,
  at: Date,
  deps: ReferralDeps,
): Promise<Referral | undefined> {
  const settings = merchant.loyalty.referrals;
  const limit = settings?.monthlyCapPerReferrer;
  const decided = settlement(settings, true);
  const cap =
    decided.referrer && limit
      ? { referrerMemberId: referral.referrerMemberId, month: capMonth(merchant.timeZone, at), limit }
      : undefined;
  let outcome = await deps.referrals.settle(merchant.merchantId, referral.newMemberId, decided, at, cap);
  if (outcome.status === 'over-cap')
    outcome = await deps.referrals.settle(
      merchant.merchantId,
      referral.newMemberId,
      settlement(settings, false),
      at,
    );
  if (outcome.status === 'settled' || outcome.status === 'already-settled') return outcome.referral;
  return undefined;
}
