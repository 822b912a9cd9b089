import { eventOf } from '../../events/catalog';
import { couponRedeemed } from '../../events/coupon-redeemed';
import type { Redeemer, RedemptionChannel, RedemptionRefusal } from '../domain/coupons';
import { replies } from '../domain/replies';
import { minuteIn } from '../domain/time';
import type { OutboundQueue } from '../queue/outbound-queue';
import type { Benefit, Coupon } from '../schemas/benefit';
import type { Merchant } from '../schemas/merchant';
import type { BenefitsStore } from '../store/benefits';

export interface RedeemDeps {
  benefits: Pick<BenefitsStore, 'redeem' | 'get'>;
  outbound: OutboundQueue;
}

export type RedeemResult =
  | { ok: true; coupon: Coupon & { usedAt: string }; benefit?: Benefit; replayed: boolean }
  /** `coupon` for a used or expired one: when, by whom and how it was used, or when it ended. */
  | { ok: false; reason: RedemptionRefusal; coupon?: Coupon };

/**
 * Uses a member's coupon (核销), by a staff command, in the console or through the API: once,
 * whoever else tries the same code at the same moment. `idempotencyKey` (the inbound message or the
 * API's key) makes a retry answer as the first try did. A redemption commits `coupon.redeemed` to
 * the outbox with the coupon's use and, when the merchant sends these notices, tells the member by a
 * service text, on a retry too, under the same id: the first try may have stopped before it.
 */
export async function redeemCoupon(
  input: {
    merchant: Merchant;
    couponCode: string;
    by: Redeemer;
    channel: RedemptionChannel;
    idempotencyKey: string;
    now: Date;
  },
  deps: RedeemDeps,
): Promise<RedeemResult> {
  const { merchant, couponCode, by, channel, now } = input;
  const outcome = await deps.benefits.redeem({
    merchantId: merchant.merchantId,
    couponCode,
    use: { usedAt: now.toISOString(), usedBy: by, usedChannel: channel },
    idempotencyKey: input.idempotencyKey,
    // Committed with the redemption, in the outbox: a retry (replayed) writes neither again.
    events: (used) => [
      eventOf(couponRedeemed, {
        eventId: `coupon:${used.couponCode}`,
        merchantId: merchant.merchantId,
        memberId: used.memberId,
        couponCode: used.couponCode,
        code: used.code,
        claimId: used.claimId,
        channel,
        by: { kind: by.kind, id: by.id },
        ...(by.storeId ? { storeId: by.storeId } : {}),
        redeemedAt: used.usedAt,
      }),
    ],
  });
  if (outcome.status === 'unknown') return { ok: false, reason: 'unknown' };
  if (outcome.status === 'used' || outcome.status === 'expired')
    return { ok: false, reason: outcome.status, coupon: outcome.coupon };

  const coupon = outcome.coupon as Coupon & { usedAt: string };
  const benefit = await deps.benefits.get(merchant.merchantId, coupon.code);
  if (merchant.loyalty.memberNotices.redeem) {
    await deps.outbound.enqueue({
      messageId: `notice:${merchant.merchantId}:coupon:${coupon.couponCode}`,
      merchantId: merchant.merchantId,
      to: coupon.phone,
      body: replies.redeemNotice(
        { lang: 'zh', merchantName: merchant.name },
        benefit?.name ?? coupon.code,
        coupon.couponCode,
        minuteIn(merchant.timeZone, new Date(coupon.usedAt)),
      ),
      category: 'service',
      template: 'notice:coupon-redeemed',
    });
  }
  return { ok: true, coupon, benefit, replayed: outcome.status === 'replayed' };
}
