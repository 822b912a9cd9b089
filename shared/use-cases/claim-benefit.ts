import { benefitClaimed } from '../../events/benefit-claimed';
import { eventOf } from '../../events/catalog';
import type { EventPublisher } from '../bus/publisher';
import { type ClaimRefusal, checkEligibility, claimPeriod, claimState, validUntil } from '../domain/benefits';
import { dateIn } from '../domain/time';
import type { Benefit, Claim } from '../schemas/benefit';
import type { Member } from '../schemas/member';
import type { Merchant } from '../schemas/merchant';
import type { BenefitsStore } from '../store/benefits';

export interface ClaimDeps {
  benefits: BenefitsStore;
  events: EventPublisher;
}

export type ClaimResult =
  | { ok: true; claim: Claim; benefit: Benefit; replayed: boolean }
  | { ok: false; reason: ClaimRefusal; benefit?: Benefit };

/**
 * The benefits a claim by the member would be granted now, by the rule the claim itself applies: what
 * the claim keyword without a code lists.
 */
export async function claimableBenefits(
  merchant: Merchant,
  member: Member,
  now: Date,
  deps: Pick<ClaimDeps, 'benefits'>,
): Promise<Benefit[]> {
  const [catalog, claims] = await Promise.all([
    deps.benefits.list(merchant.merchantId),
    deps.benefits.claims(merchant.merchantId, member.memberId),
  ]);
  const localDate = dateIn(merchant.timeZone, now);
  return catalog.filter((benefit) => checkEligibility({ benefit, member, localDate, claims }).ok);
}

/** A coupon as the member and staff are told of it: the benefit's name, the code, its last day. */
export interface CouponLine {
  name: string;
  couponCode: string;
  /** The last day it can be used, in the merchant's calendar. */
  until?: string;
}

/**
 * The member's coupons they can use now, newest first: what the customer's 券 and the staff's CX
 * list. Claims made before coupons had codes are left out: there is nothing to show at the counter.
 */
export async function activeCoupons(
  merchant: Merchant,
  member: Pick<Member, 'memberId'>,
  now: Date,
  deps: { benefits: Pick<BenefitsStore, 'claims' | 'list'> },
): Promise<CouponLine[]> {
  const [claims, catalog] = await Promise.all([
    deps.benefits.claims(merchant.merchantId, member.memberId),
    deps.benefits.list(merchant.merchantId),
  ]);
  const names = new Map(catalog.map((benefit) => [benefit.code, benefit.name]));
  return claims.flatMap((claim) =>
    claim.couponCode && claimState(claim, now) === 'active'
      ? [
          {
            name: names.get(claim.code) ?? claim.code,
            couponCode: claim.couponCode,
            ...(claim.validUntil ? { until: dateIn(merchant.timeZone, new Date(claim.validUntil)) } : {}),
          },
        ]
      : [],
  );
}

/**
 * A member claims a benefit, by SMS or through the API: the rules are checked in the merchant's
 * time zone, then the store grants it at most once per period and never beyond its stock.
 * `idempotencyKey` (the inbound message or the API idempotency key) makes a retry answer as before.
 */
export async function claimBenefit(
  input: {
    merchant: Merchant;
    member?: Member;
    code: string;
    idempotencyKey: string;
    channel: 'sms' | 'merchant-api' | 'retention';
    now: Date;
  },
  deps: ClaimDeps,
): Promise<ClaimResult> {
  const { merchant, member, now } = input;
  const benefit = await deps.benefits.get(merchant.merchantId, input.code.toUpperCase());
  if (!member || member.deletedAt) return { ok: false, reason: 'not-member', benefit };
  if (!benefit) return { ok: false, reason: 'unknown-benefit' };
  const localDate = dateIn(merchant.timeZone, now);
  const claims = await deps.benefits.claims(merchant.merchantId, member.memberId);
  const eligibility = checkEligibility({
    benefit,
    member,
    localDate,
    claims,
    idempotencyKey: input.idempotencyKey,
  });
  if (!eligibility.ok) return { ok: false, reason: eligibility.reason, benefit };

  const claimedAt = now.toISOString();
  const outcome = await deps.benefits.claim({
    merchantId: merchant.merchantId,
    memberId: member.memberId,
    phone: member.phone,
    benefit,
    period: claimPeriod(benefit.limit, localDate),
    claimedAt,
    validUntil: validUntil(claimedAt, benefit.validDays),
    value: eligibility.value,
    idempotencyKey: input.idempotencyKey,
  });
  switch (outcome.status) {
    case 'granted':
    case 'replayed': {
      const { claim } = outcome;
      await deps.events.publish(
        eventOf(benefitClaimed, {
          eventId: `claim:${claim.claimId}`,
          merchantId: merchant.merchantId,
          memberId: member.memberId,
          code: claim.code,
          claimId: claim.claimId,
          period: claim.period,
          value: claim.value,
          validUntil: claim.validUntil,
          channel: input.channel,
          claimedAt: claim.claimedAt,
        }),
      );
      return { ok: true, claim, benefit, replayed: outcome.status === 'replayed' };
    }
    case 'already-claimed':
      return { ok: false, reason: 'already-claimed', benefit };
    case 'out-of-stock':
    case 'inactive':
    case 'unknown-benefit':
      return { ok: false, reason: outcome.status, benefit };
  }
}
