import { ulid } from 'ulidx';
import { eventOf, memberConsentChanged, memberRegistered, restoreOf } from '../../events';
import { proofText } from '../../shared/domain/consent';
import type { Intent } from '../../shared/domain/keywords';
import { type JoinReward, type ReferralNote, replies } from '../../shared/domain/replies';
import { entryTier } from '../../shared/domain/tiers';
import { type MarketingConsent, type Member, memberSchema } from '../../shared/schemas/member';
import type { MembersStore } from '../../shared/store/members';
import type { ReferralsStore } from '../../shared/store/referrals';
import {
  findReferrer,
  giveJoinGift,
  type JoinGiftDeps,
  type ReferralDeps,
  recordReferral,
} from '../../shared/use-cases/member-rewards';
import type { Inbound } from './inbound';

export interface JoinInboundDeps extends Omit<ReferralDeps, 'members'>, JoinGiftDeps {
  members: MembersStore;
  referrals: ReferralsStore;
}

/**
 * 注册 (JOIN): the phone joins, or a deleted member comes back. A first join is given the merchant's
 * join gift (once per phone ever) and records the referrer named after 推荐, when that is a member who
 * joined before; the welcome says what was given, and why a referral was not recorded. A text
 * delivered again (the member already joined by it) writes nothing again and grants nothing twice.
 */
export async function answerJoin(
  intent: Extract<Intent, { kind: 'join' }>,
  inbound: Inbound,
  deps: JoinInboundDeps,
): Promise<string> {
  const { merchant, phone, reply, text, now } = inbound;
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  const current = member?.deletedAt ? undefined : member;
  if (current && current.joinRef !== text.inboundMessageId) return replies.alreadyMember(reply);
  const joined: Member =
    current ??
    memberSchema.parse({
      merchantId: merchant.merchantId,
      memberId: ulid(now.getTime()),
      phone,
      name: intent.name,
      birthday: intent.birthday,
      joinedAt: now.toISOString(),
      joinChannel: 'sms' as const,
      tier: entryTier(merchant.loyalty.tiers),
      earnedTier: entryTier(merchant.loyalty.tiers),
      joinRef: text.inboundMessageId,
      points: 0,
    });
  // Joining by text is the customer's own act, and the welcome tells them how to opt out: it opts
  // them in, unless they chose before (an earlier TD stands). A deleted member joining again is
  // restored with their history, under the same rule.
  // The events are committed with the member and the opt-in, in the outbox; a repeated text
  // (the member already joined by it) writes nothing again.
  const created = current
    ? undefined
    : await deps.members.create(joined, consentByText(inbound, 'subscribed', 'join'), {
        registered: eventOf(memberRegistered, {
          eventId: `register:${text.inboundMessageId}`,
          merchantId: merchant.merchantId,
          memberId: joined.memberId,
          channel: 'sms',
          joinedAt: joined.joinedAt,
        }),
        restored: (back) => restoreOf(back, 'sms', now.toISOString()),
        optedIn: consentChanged(inbound, 'subscribed'),
      });
  if (created?.status === 'exists') return replies.alreadyMember(reply);
  if (created?.status === 'restored') {
    const welcome = replies.welcomeBack(reply, created.member.name);
    return intent.referrer === undefined ? welcome : welcome + replies.referral(reply, { note: 'not-new' });
  }
  const gifts: JoinReward[] = [];
  const gift = await giveJoinGift(merchant, joined, deps);
  if (gift && (gift.points || gift.benefit)) gifts.push({ kind: 'join-gift', ...gift });
  const note =
    intent.referrer === undefined ? undefined : await referralOf(intent.referrer, joined, inbound, deps);
  if (note?.granted && (note.granted.points || note.granted.benefit))
    gifts.push({ kind: 'referral', ...note.granted });
  return (
    replies.welcome(reply, joined.name) +
    replies.joinRewards(reply, gifts) +
    (note ? replies.referral(reply, note.note) : '')
  );
}

/** Records the referrer written after 推荐, or says why not; what the new member was given at once. */
async function referralOf(
  written: string,
  joined: Member,
  { merchant }: Inbound,
  deps: JoinInboundDeps,
): Promise<{ note: ReferralNote; granted?: { points?: number; benefit?: string } }> {
  if (written === '') return { note: { note: 'unreadable' } };
  const found = await findReferrer(merchant, joined, written, deps);
  if ('problem' in found) {
    const { problem } = found;
    return problem === 'unreadable' || problem === 'self'
      ? { note: { note: problem } }
      : { note: { note: problem, phone: written } };
  }
  const outcome = await recordReferral(merchant, joined, found.referrer, 'sms', deps);
  const settings = merchant.loyalty.referrals;
  const pending = settings?.when !== 'join' && Boolean(settings?.referrer || settings?.newMember);
  return {
    note: { note: pending ? 'recorded-pending' : 'recorded', phone: found.referrer.phone },
    ...(outcome.status === 'recorded' && outcome.granted ? { granted: outcome.granted } : {}),
  };
}

/** A consent change the customer made by text: the text itself is the proof. */
export function consentByText(
  { text, now }: Inbound,
  status: MarketingConsent['status'],
  keyword: string,
  campaignId?: string,
): MarketingConsent {
  return {
    status,
    changedAt: now.toISOString(),
    channel: 'sms-keyword',
    source: proofText(text.messageBody),
    ref: text.inboundMessageId,
    keyword,
    ...(campaignId ? { campaignId } : {}),
  };
}

/** The event of a consent change made by text. */
export const consentChanged = ({ text, merchant, phone, now }: Inbound, status: MarketingConsent['status']) =>
  eventOf(memberConsentChanged, {
    eventId: `consent:${text.inboundMessageId}`,
    merchantId: merchant.merchantId,
    phone,
    status,
    channel: 'sms-keyword',
    changedAt: now.toISOString(),
  });
