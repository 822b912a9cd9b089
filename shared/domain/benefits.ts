import type { Benefit, BenefitLimit, Claim, ClaimPeriod } from '../schemas/benefit';
import type { Lang } from './keywords';
import { isLeapYear } from './time';

/**
 * The period a claim made on `localDate` (the merchant's calendar date) counts against. The store
 * keys claims by it, so a second claim in the same period is refused there.
 */
export function claimPeriod(limit: BenefitLimit, localDate: string): ClaimPeriod {
  if (limit === 'once') return 'ever';
  return limit === 'yearly' ? localDate.slice(0, 4) : localDate.slice(0, 7);
}

export type EligibilityRefusal =
  | 'inactive'
  | 'tier'
  | 'birthday'
  | 'already-claimed'
  | 'out-of-stock'
  | 'insufficient-points';

export type Eligibility = { ok: true; value?: string } | { ok: false; reason: EligibilityRefusal };

export interface EligibilityInput {
  benefit: Pick<
    Benefit,
    'code' | 'active' | 'tiers' | 'valueByTier' | 'birthdayOnly' | 'limit' | 'stock' | 'pricePoints'
  >;
  /** `points`: the balance, which a benefit priced in points must cover. */
  member: { tier?: string; birthday?: string; points?: number };
  /** Today in the merchant's time zone, YYYY-MM-DD. */
  localDate: string;
  /** The member's claims, of any benefit. */
  claims: readonly Pick<Claim, 'code' | 'period' | 'idempotencyKey'>[];
  /** The request asking: a claim it made before is its own, to be answered again, not a second claim. */
  idempotencyKey?: string;
}

/**
 * Whether a claim of the benefit by the member would be granted now, and what it is worth at their
 * tier: the one rule behind both a claim and the list of what a member can claim, so the two never
 * disagree. The store checks the period and the stock again as it writes the claim, for claims racing.
 */
export function checkEligibility(input: EligibilityInput): Eligibility {
  const { benefit, member, localDate } = input;
  if (!benefit.active) return { ok: false, reason: 'inactive' };
  if (!isOpenTo(benefit, member.tier)) return { ok: false, reason: 'tier' };
  if (benefit.birthdayOnly && !(member.birthday && isBirthdayOn(member.birthday, localDate))) {
    return { ok: false, reason: 'birthday' };
  }
  const value = member.tier === undefined ? undefined : benefit.valueByTier?.[member.tier];
  const granted: Eligibility = value === undefined ? { ok: true } : { ok: true, value };
  const period = claimPeriod(benefit.limit, localDate);
  const earlier = input.claims.find((claim) => claim.code === benefit.code && claim.period === period);
  if (earlier)
    return earlier.idempotencyKey === input.idempotencyKey
      ? granted
      : { ok: false, reason: 'already-claimed' };
  if (benefit.stock === 0) return { ok: false, reason: 'out-of-stock' };
  if (benefit.pricePoints !== undefined && (member.points ?? 0) < benefit.pricePoints)
    return { ok: false, reason: 'insufficient-points' };
  return granted;
}

/** A benefit with no tiers named (only a priced one may have none) is open to every member, tier or not. */
export function isOpenTo(benefit: Pick<Benefit, 'tiers'>, tier: string | undefined): boolean {
  if (benefit.tiers.length === 0) return true;
  return tier !== undefined && benefit.tiers.includes(tier);
}

/**
 * Whether `localDate` is the member's birthday. Someone born on 29 February celebrates on
 * 28 February in common years: it keeps the day in their birth month, and the birthday SMS and
 * benefit then come before, not after, the day they would have had.
 */
export function isBirthdayOn(birthday: string, localDate: string): boolean {
  const monthDay = birthday.slice(5);
  if (monthDay === localDate.slice(5)) return true;
  return monthDay === '02-29' && localDate.slice(5) === '02-28' && !isLeapYear(Number(localDate.slice(0, 4)));
}

/** The end of a claim's validity: `validDays` whole days after it was claimed; none without `validDays`. */
export function validUntil(claimedAt: string, validDays?: number): string | undefined {
  if (validDays === undefined) return undefined;
  return new Date(Date.parse(claimedAt) + validDays * 86_400_000).toISOString();
}

export const claimStates = ['active', 'used', 'expired'] as const;
export type ClaimState = (typeof claimStates)[number];

/**
 * A claim is `used` once its coupon was redeemed; until then it is usable up to, but not including,
 * its `validUntil` instant.
 */
export function claimState(claim: Pick<Claim, 'validUntil' | 'usedAt'>, now: Date): ClaimState {
  if (claim.usedAt !== undefined) return 'used';
  if (claim.validUntil === undefined) return 'active';
  return now.getTime() < Date.parse(claim.validUntil) ? 'active' : 'expired';
}

/** Every reason a claim can be refused: by the rules above, or by the store. */
export type ClaimRefusal = EligibilityRefusal | 'unknown-benefit' | 'not-member' | 'key-reused';

export interface RefusalContext {
  merchantName: string;
  /** The benefit asked for, when it is known. */
  benefit?: Pick<Benefit, 'name' | 'limit' | 'tiers' | 'pricePoints'>;
  /** The member's points balance, for a refusal of a benefit priced in points. */
  balance?: number;
}

/** The reply to a refused claim: short, friendly, and what the member can do next. */
export function refusalText(reason: ClaimRefusal, lang: Lang, context: RefusalContext): string {
  const { benefit, merchantName } = context;
  const zhName = benefit ? `「${benefit.name}」` : '该权益';
  const enName = benefit ? `"${benefit.name}"` : 'This benefit';
  const tiers = benefit?.tiers.join('/');
  const texts: Record<ClaimRefusal, Record<Lang, string>> = {
    inactive: {
      zh: `${zhName}已停止领取，敬请关注${merchantName}的其他会员权益。`,
      en: `${enName} is no longer available. Watch for other ${merchantName} member benefits.`,
    },
    tier: {
      zh: `${zhName}仅限${tiers ?? '指定等级'}会员领取。回复"积分"查看您的等级。`,
      en: `${enName} is for ${tiers ?? 'selected'}-tier members only. Reply POINTS to see your tier.`,
    },
    birthday: {
      zh: `${zhName}仅限会员生日当天领取。如未登记生日，请联系${merchantName}补充。`,
      en: `${enName} can be claimed only on your birthday. If we do not have your birthday yet, ask ${merchantName} to add it.`,
    },
    'already-claimed': alreadyClaimed(benefit?.limit, zhName, enName),
    'out-of-stock': {
      zh: `${zhName}已领完，敬请期待下次活动。`,
      en: `${enName} has run out. Watch for the next one!`,
    },
    'insufficient-points': {
      zh: `${zhName}需${benefit?.pricePoints ?? ''}积分，您当前积分${context.balance ?? 0}分，积分不足。回复"兑换"查看可兑换的礼品。`,
      en: `${enName} takes ${benefit?.pricePoints ?? ''} points and your balance is ${context.balance ?? 0}. Reply EXCHANGE to see what you can exchange.`,
    },
    'unknown-benefit': {
      zh: '未找到该权益，请核对权益代码后重新发送"领取 代码"。',
      en: 'We could not find that benefit. Check the code and send CLAIM and the code again.',
    },
    'key-reused': {
      zh: '该请求编号已用于另一次兑换，未做任何更改。',
      en: 'This idempotency key was already used for another exchange; nothing was changed.',
    },
    'not-member': {
      zh: `您还不是${merchantName}会员，回复"注册 姓名"加入后即可领取。`,
      en: `Join ${merchantName} rewards first: reply JOIN and your name, then claim again.`,
    },
  };
  return texts[reason][lang];
}

function alreadyClaimed(
  limit: BenefitLimit | undefined,
  zhName: string,
  enName: string,
): Record<Lang, string> {
  if (limit === 'monthly') {
    return {
      zh: `${zhName}本月已领取，下月可再领。`,
      en: `${enName} was already claimed this month; claim again next month.`,
    };
  }
  if (limit === 'yearly') {
    return {
      zh: `${zhName}今年已领取，明年可再领。`,
      en: `${enName} was already claimed this year; claim again next year.`,
    };
  }
  return {
    zh: `${zhName}每位会员限领一次，您已领取过。`,
    en: `${enName} can be claimed once per member, and you already have it.`,
  };
}
