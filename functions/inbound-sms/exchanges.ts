import { refusalText } from '../../shared/domain/benefits';
import type { Intent } from '../../shared/domain/keywords';
import { type ReplyContext, replies } from '../../shared/domain/replies';
import { dateIn } from '../../shared/domain/time';
import type { Merchant } from '../../shared/schemas/merchant';
import type { MembersStore } from '../../shared/store/members';
import {
  type ClaimDeps,
  type ClaimResult,
  claimBenefit,
  exchangeableBenefits,
} from '../../shared/use-cases/claim-benefit';
import type { Inbound } from './inbound';

export interface ExchangeInboundDeps extends ClaimDeps {
  members: Pick<MembersStore, 'contact'>;
}

/**
 * 兑换 / DH / EXCHANGE: alone, the gifts the member's points buy now; with a code, the exchange itself
 * (points, stock and claim in one transaction), keyed by the inbound message, so a text delivered
 * twice exchanges once and is answered alike.
 */
export async function answerExchange(
  intent: Extract<Intent, { kind: 'exchange' }>,
  { merchant, phone, reply, text, now }: Inbound,
  deps: ExchangeInboundDeps,
): Promise<string> {
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  if (!member || member.deletedAt)
    return refusalText('not-member', reply.lang, { merchantName: merchant.name });
  if (intent.unreadable) return replies.exchangeUnknown(reply);
  if (!intent.code) {
    const offers = await exchangeableBenefits(merchant, member, now, deps);
    return replies.exchangeable(reply, offers, member.points, merchant.signature);
  }
  const result = await claimBenefit(
    { merchant, member, code: intent.code, idempotencyKey: text.inboundMessageId, channel: 'sms', now },
    deps,
  );
  if (!result.ok) {
    if (result.reason === 'unknown-benefit') return replies.exchangeUnknown(reply);
    return refusalText(result.reason, reply.lang, {
      merchantName: merchant.name,
      benefit: result.benefit,
      balance: result.balance,
    });
  }
  return grantedReply(result, merchant, reply);
}

/**
 * The reply to a claim granted, by 领取 or 兑换: what it was, its coupon code and last day, and for an
 * exchange the points it took and the balance left. A free benefit is simply claimed.
 */
export function grantedReply(
  result: Extract<ClaimResult, { ok: true }>,
  merchant: Pick<Merchant, 'timeZone'>,
  reply: ReplyContext,
): string {
  const { claim, benefit } = result;
  const until = claim.validUntil && dateIn(merchant.timeZone, new Date(claim.validUntil));
  if (claim.pricePoints === undefined || !result.balances)
    return replies.claimed(reply, benefit.name, claim.value, until, claim.couponCode);
  return replies.exchanged(reply, {
    name: benefit.name,
    pricePoints: claim.pricePoints,
    balance: result.balances.points,
    value: claim.value,
    until,
    couponCode: claim.couponCode,
  });
}
