import { benefitClaimed } from '../../events/benefit-claimed';
import { eventOf } from '../../events/catalog';
import { type ClaimRefusal, checkEligibility, claimPeriod, claimState, validUntil } from '../domain/benefits';
import type { Balances } from '../domain/ledger';
import type { ExchangeOffer } from '../domain/replies';
import { dateIn } from '../domain/time';
import type { Benefit, Claim } from '../schemas/benefit';
import type { Member } from '../schemas/member';
import type { Merchant } from '../schemas/merchant';
import type { BenefitsStore } from '../store/benefits';
import type { ExchangesStore } from '../store/exchanges';
import type { Entry } from '../store/ledger';

export interface ClaimDeps {
  benefits: BenefitsStore;
  exchanges: ExchangesStore;
}

export type ClaimResult =
  /** `entry` and `balances`: the points an exchange took, and the balances it left. */
  | { ok: true; claim: Claim; benefit: Benefit; replayed: boolean; entry?: Entry; balances?: Balances }
  /** `balance`: the member's points, for a refusal of a benefit priced in points. */
  | { ok: false; reason: ClaimRefusal; benefit?: Benefit; balance?: number };

/**
 * The benefits a claim by the member would be granted now, by the rule the claim itself applies: what
 * the claim keyword without a code lists (the free ones), and 兑换 (those priced in points).
 */
export async function claimableBenefits(
  merchant: Merchant,
  member: Member,
  now: Date,
  deps: Pick<ClaimDeps, 'benefits'>,
  { priced = false }: { priced?: boolean } = {},
): Promise<Benefit[]> {
  const [catalog, claims] = await Promise.all([
    deps.benefits.list(merchant.merchantId),
    deps.benefits.claims(merchant.merchantId, member.memberId),
  ]);
  const localDate = dateIn(merchant.timeZone, now);
  return catalog.filter(
    (benefit) =>
      (benefit.pricePoints !== undefined) === priced &&
      checkEligibility({ benefit, member, localDate, claims }).ok,
  );
}

/**
 * The benefits priced in points the member can exchange now (eligible, in stock, and their points
 * cover the price), cheapest first, with the points they would have left: what 兑换 alone lists and
 * `GET /v1/members/{phone}/exchangeable` answers.
 */
export async function exchangeableBenefits(
  merchant: Merchant,
  member: Member,
  now: Date,
  deps: Pick<ClaimDeps, 'benefits'>,
): Promise<(ExchangeOffer & { benefit: Benefit })[]> {
  const priced = (await claimableBenefits(merchant, member, now, deps, { priced: true })).flatMap(
    (benefit) => (benefit.pricePoints === undefined ? [] : [{ benefit, pricePoints: benefit.pricePoints }]),
  );
  return priced
    .sort((a, b) => a.pricePoints - b.pricePoints || a.benefit.code.localeCompare(b.benefit.code))
    .map(({ benefit, pricePoints }) => ({
      benefit,
      code: benefit.code,
      name: benefit.name,
      pricePoints,
      pointsAfter: member.points - pricePoints,
    }));
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
 * time zone, then the store grants it at most once per period and never beyond its stock. A benefit
 * priced in points is an exchange (积分兑换): the points go in the claim's own transaction, so a
 * refusal takes nothing. `idempotencyKey` (the inbound message or the API idempotency key) makes a
 * retry answer as before.
 */
export async function claimBenefit(input: ClaimInput, deps: ClaimDeps): Promise<ClaimResult> {
  const { merchant, member } = input;
  const benefit = await deps.benefits.get(merchant.merchantId, input.code.toUpperCase());
  if (!member || member.deletedAt) return { ok: false, reason: 'not-member', benefit };
  if (!benefit) return { ok: false, reason: 'unknown-benefit' };
  return claimOf(benefit, input, deps, 0);
}

export interface ClaimInput {
  merchant: Merchant;
  member?: Member;
  code: string;
  idempotencyKey: string;
  /** `reward`: a join gift or a referral reward (shared/use-cases/member-rewards.ts). */
  channel: 'sms' | 'merchant-api' | 'retention' | 'reward';
  now: Date;
}

/** Rounds of a claim whose benefit's price the merchant changed while it was being claimed. */
const priceRounds = 3;

async function claimOf(
  benefit: Benefit,
  input: ClaimInput,
  deps: ClaimDeps,
  round: number,
): Promise<ClaimResult> {
  const { merchant, now } = input;
  const member = input.member as Member;
  const localDate = dateIn(merchant.timeZone, now);
  const claims = await deps.benefits.claims(merchant.merchantId, member.memberId);
  const eligibility = checkEligibility({
    benefit,
    member,
    localDate,
    claims,
    idempotencyKey: input.idempotencyKey,
  });
  if (!eligibility.ok) return { ok: false, reason: eligibility.reason, benefit, balance: member.points };

  const claimedAt = now.toISOString();
  const request = {
    merchantId: merchant.merchantId,
    memberId: member.memberId,
    phone: member.phone,
    benefit,
    period: claimPeriod(benefit.limit, localDate),
    claimedAt,
    validUntil: validUntil(claimedAt, benefit.validDays),
    value: eligibility.value,
    idempotencyKey: input.idempotencyKey,
    // Committed with the claim, in the outbox: a retry (replayed) writes neither again.
    events: (claim: Claim) => [
      eventOf(benefitClaimed, {
        eventId: `claim:${claim.claimId}`,
        merchantId: merchant.merchantId,
        memberId: member.memberId,
        code: claim.code,
        claimId: claim.claimId,
        period: claim.period,
        value: claim.value,
        validUntil: claim.validUntil,
        pricePoints: claim.pricePoints,
        channel: input.channel,
        claimedAt: claim.claimedAt,
      }),
    ],
  };
  const outcome =
    benefit.pricePoints === undefined
      ? await deps.benefits.claim(request)
      : await deps.exchanges.exchange({
          ...request,
          pricePoints: benefit.pricePoints,
          at: now,
          year: localDate.slice(0, 4),
        });
  switch (outcome.status) {
    case 'granted':
    case 'replayed': {
      const { claim } = outcome;
      // The claim's event, and the points paid (an exchange's redemption), reach the bus from the
      // outbox, written with the claim.
      const paid = 'entry' in outcome ? { entry: outcome.entry, balances: outcome.balances } : undefined;
      return { ok: true, claim, benefit, replayed: outcome.status === 'replayed', ...paid };
    }
    case 'price-changed':
      if (round + 1 >= priceRounds) throw new Error(`the price of ${benefit.code} keeps changing`);
      return claimOf(outcome.benefit, input, deps, round + 1);
    case 'insufficient':
      return { ok: false, reason: 'insufficient-points', benefit, balance: outcome.balance };
    case 'no-member':
      return { ok: false, reason: 'not-member', benefit };
    case 'conflict':
      return { ok: false, reason: 'key-reused', benefit };
    case 'already-claimed':
      return { ok: false, reason: 'already-claimed', benefit };
    case 'out-of-stock':
    case 'inactive':
    case 'unknown-benefit':
      return { ok: false, reason: outcome.status, benefit };
  }
}
