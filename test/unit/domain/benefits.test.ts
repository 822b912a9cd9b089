import { describe, expect, it } from 'vitest';
import {
  checkEligibility,
  claimPeriod,
  claimState,
  isBirthdayOn,
  refusalText,
  validUntil,
} from '../../../shared/domain/benefits';
import { type Benefit, benefitInputSchema, benefitSchema } from '../../../shared/schemas/benefit';

const emergency: Benefit = benefitSchema.parse({
  code: 'SOS72',
  name: '紧急服务',
  tiers: ['diamond', 'platinum', 'gold', 'silver'],
  valueByTier: { diamond: '72h', platinum: '72h', gold: '72h', silver: '48h' },
  limit: 'monthly',
});
const birthdayGift: Benefit = benefitSchema.parse({
  code: 'BDAY',
  name: '生日礼',
  tiers: ['gold'],
  limit: 'yearly',
  birthdayOnly: true,
});

describe('claimPeriod', () => {
  it.each([
    ['once', '2026-05-17', 'ever'],
    ['yearly', '2026-05-17', '2026'],
    ['monthly', '2026-05-17', '2026-05'],
    ['monthly', '2026-12-31', '2026-12'],
  ] as const)('%s on %s → %s', (limit, localDate, period) => {
    expect(claimPeriod(limit, localDate)).toBe(period);
  });
});

describe('checkEligibility', () => {
  it.each([
    ['gold', { ok: true, value: '72h' }],
    ['silver', { ok: true, value: '48h' }],
    ['bronze', { ok: false, reason: 'tier' }],
    [undefined, { ok: false, reason: 'tier' }],
  ])('tier %s → %j', (tier, eligibility) => {
    expect(
      checkEligibility({ claims: [], benefit: emergency, member: { tier }, localDate: '2026-05-17' }),
    ).toEqual(eligibility);
  });

  it('grants without a value when the benefit has none for the tier', () => {
    expect(
      checkEligibility({
        claims: [],
        benefit: { ...emergency, valueByTier: undefined },
        member: { tier: 'gold' },
        localDate: '2026-05-17',
      }),
    ).toEqual({ ok: true });
  });

  it('refuses an inactive benefit before anything else', () => {
    expect(
      checkEligibility({
        claims: [],
        benefit: { ...emergency, active: false },
        member: { tier: 'bronze' },
        localDate: '2026-05-17',
      }),
    ).toEqual({ ok: false, reason: 'inactive' });
  });

  it.each([
    ['on the day', '1990-05-17', '2026-05-17', true],
    ['the day before', '1990-05-17', '2026-05-16', false],
    ['the day after', '1990-05-17', '2026-05-18', false],
    ['29 Feb in a leap year, on 29 Feb', '2000-02-29', '2028-02-29', true],
    ['29 Feb in a leap year, not on 28 Feb', '2000-02-29', '2028-02-28', false],
    ['29 Feb in a common year, on 28 Feb', '2000-02-29', '2026-02-28', true],
    ['29 Feb in a common year, not on 1 Mar', '2000-02-29', '2026-03-01', false],
    ['29 Feb in 2100 (not a leap year), on 28 Feb', '2000-02-29', '2100-02-28', true],
    ['28 Feb birthday, not on 29 Feb', '1990-02-28', '2028-02-29', false],
  ])('birthday-only, %s → %s', (_case, birthday, localDate, ok) => {
    const eligibility = checkEligibility({
      claims: [],
      benefit: birthdayGift,
      member: { tier: 'gold', birthday },
      localDate,
    });
    expect(eligibility).toEqual(ok ? { ok: true } : { ok: false, reason: 'birthday' });
    expect(isBirthdayOn(birthday, localDate)).toBe(ok);
  });

  it('refuses a birthday-only benefit to a member without a birthday', () => {
    expect(
      checkEligibility({
        claims: [],
        benefit: birthdayGift,
        member: { tier: 'gold' },
        localDate: '2026-05-17',
      }),
    ).toEqual({
      ok: false,
      reason: 'birthday',
    });
  });

  it('checks the tier before the birthday', () => {
    expect(
      checkEligibility({
        claims: [],
        benefit: birthdayGift,
        member: { tier: 'silver', birthday: '1990-05-17' },
        localDate: '2026-05-17',
      }),
    ).toEqual({ ok: false, reason: 'tier' });
  });
});

describe('checkEligibility: claims and stock', () => {
  const may = { benefit: emergency, member: { tier: 'gold' }, localDate: '2026-05-17' };
  const claim = (period: string, idempotencyKey = 'sms-1') => ({ code: 'SOS72', period, idempotencyKey });

  it('refuses a second claim in the period, not one in another period or of another benefit', () => {
    expect(checkEligibility({ ...may, claims: [claim('2026-05')] })).toEqual({
      ok: false,
      reason: 'already-claimed',
    });
    expect(
      checkEligibility({ ...may, claims: [claim('2026-04'), { ...claim('2026-05'), code: 'BDAY' }] }),
    ).toEqual({ ok: true, value: '72h' });
  });

  it("lets the request that made the period's claim ask again, to be answered as before, even once the stock is gone", () => {
    const soldOut = { ...may, benefit: { ...emergency, stock: 0 } };
    expect(checkEligibility({ ...soldOut, claims: [claim('2026-05')], idempotencyKey: 'sms-1' })).toEqual({
      ok: true,
      value: '72h',
    });
    expect(checkEligibility({ ...soldOut, claims: [] })).toEqual({ ok: false, reason: 'out-of-stock' });
  });
});

describe('validity', () => {
  it('ends validDays whole days after the claim', () => {
    expect(validUntil('2026-05-17T10:30:00.000Z', 90)).toBe('2026-08-15T10:30:00.000Z');
  });

  it('has no end without validDays', () => {
    expect(validUntil('2026-05-17T10:30:00.000Z')).toBeUndefined();
  });

  it('is active up to, not including, validUntil', () => {
    const claim = { validUntil: '2026-08-15T10:30:00.000Z' };
    expect(claimState(claim, new Date('2026-08-15T10:29:59.999Z'))).toBe('active');
    expect(claimState(claim, new Date('2026-08-15T10:30:00.000Z'))).toBe('expired');
  });

  it('never expires without validUntil', () => {
    expect(claimState({}, new Date('2099-01-01T00:00:00Z'))).toBe('active');
  });
});

describe('refusalText', () => {
  const context = {
    merchantName: '星辰通信',
    benefit: { name: '生日礼', limit: 'monthly' as const, tiers: ['gold'] },
  };

  it('tells a member who already claimed when to come back', () => {
    expect(refusalText('already-claimed', 'zh', { merchantName: '星辰通信' })).toBe(
      '该权益每位会员限领一次，您已领取过。',
    );
    expect(refusalText('already-claimed', 'zh', context)).toBe('「生日礼」本月已领取，下月可再领。');
    expect(refusalText('already-claimed', 'en', context)).toBe(
      '"生日礼" was already claimed this month; claim again next month.',
    );
  });

  it('points a non-member to joining and a wrong tier to the points keyword', () => {
    expect(refusalText('not-member', 'zh', context)).toBe(
      '您还不是星辰通信会员，回复"注册 姓名"加入后即可领取。',
    );
    expect(refusalText('tier', 'en', context)).toContain('Reply POINTS');
  });

  it.each([
    'inactive',
    'tier',
    'birthday',
    'already-claimed',
    'out-of-stock',
    'unknown-benefit',
    'not-member',
  ] as const)('has a short text for %s in both languages', (reason) => {
    for (const lang of ['zh', 'en'] as const) {
      const text = refusalText(reason, lang, context);
      // One SMS holds 70 Chinese characters; the merchant's signature still has to fit.
      expect(text.length).toBeLessThanOrEqual(lang === 'zh' ? 60 : 140);
    }
  });
});

describe('benefit schemas', () => {
  const input = {
    code: 'ROAM90',
    name: 'Roaming pack',
    tiers: ['gold', 'silver'],
    valueByTier: { gold: '10GB', silver: '5GB' },
    limit: 'yearly',
    validDays: 90,
    stock: 100,
  };

  it('accepts a catalog entry and makes it active by default', () => {
    expect(benefitInputSchema.parse(input).active).toBe(true);
  });

  it('refuses a value for a tier that is not eligible', () => {
    const result = benefitInputSchema.safeParse({ ...input, valueByTier: { diamond: '20GB' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['valueByTier', 'diamond'],
      message: 'valueByTier names diamond, which is not one of the eligible tiers',
    });
    expect(benefitSchema.safeParse({ ...input, valueByTier: { diamond: '20GB' } }).success).toBe(false);
  });

  it.each(['roam90', 'R', 'ROAM-90', 'A'.repeat(21), 'ROAM 90'])('refuses the code %j', (code) => {
    const result = benefitInputSchema.safeParse({ ...input, code });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['code']);
  });

  it.each([
    ['no tiers (and no price)', { tiers: [] }],
    ['validDays 0', { validDays: 0 }],
    ['validDays over ten years', { validDays: 3651 }],
    ['negative stock', { stock: -1 }],
    ['fractional stock', { stock: 1.5 }],
    ['an unknown limit', { limit: 'weekly' }],
    ['a server-set field', { claimed: 3 }],
  ])('refuses %s', (_case, change) => {
    expect(benefitInputSchema.safeParse({ ...input, ...change }).success).toBe(false);
  });

  it('takes stock null as "unlimited from now on"', () => {
    expect(benefitInputSchema.parse({ ...input, stock: null }).stock).toBeNull();
  });
});

describe('benefits priced in points (积分兑换)', () => {
  const umbrella: Benefit = benefitSchema.parse({
    code: 'UMB',
    name: '雨伞',
    tiers: [],
    pricePoints: 300,
    limit: 'monthly',
  });
  const check = (member: { tier?: string; points?: number }, benefit: Benefit = umbrella) =>
    checkEligibility({ claims: [], benefit, member, localDate: '2026-05-17' });

  it('is open to every member, tier or none, when it names no tiers, and needs the points', () => {
    expect(check({ tier: 'silver', points: 300 })).toEqual({ ok: true });
    expect(check({ points: 1000 })).toEqual({ ok: true });
    expect(check({ tier: 'gold', points: 299 })).toEqual({ ok: false, reason: 'insufficient-points' });
    expect(check({ tier: 'gold' })).toEqual({ ok: false, reason: 'insufficient-points' });
  });

  it('keeps its tiers when it names them, and tells the tier before the points', () => {
    const goldOnly = { ...umbrella, tiers: ['gold'] };
    expect(check({ tier: 'silver', points: 10 }, goldOnly)).toEqual({ ok: false, reason: 'tier' });
    expect(check({ tier: 'gold', points: 300 }, goldOnly)).toEqual({ ok: true });
    expect(check({ tier: 'gold', points: 300 }, { ...goldOnly, stock: 0 })).toEqual({
      ok: false,
      reason: 'out-of-stock',
    });
  });

  it('says what it costs and what the member has when the points fall short', () => {
    const context = { merchantName: '咖啡馆', benefit: umbrella, balance: 120 };
    expect(refusalText('insufficient-points', 'zh', context)).toBe(
      '「雨伞」需300积分，您当前积分120分，积分不足。回复"兑换"查看可兑换的礼品。',
    );
    expect(refusalText('insufficient-points', 'en', context)).toContain(
      'takes 300 points and your balance is 120',
    );
  });

  it.each([
    ['0', 0],
    ['a negative price', -5],
    ['a fraction', 12.5],
    ['more than a ledger operation moves', 1_000_001],
    ['a string', '300'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('refuses %s as a price, at the field', (_case, pricePoints) => {
    const result = benefitInputSchema.safeParse({
      code: 'UMB',
      name: '雨伞',
      tiers: ['gold'],
      limit: 'once',
      pricePoints,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['pricePoints']);
  });

  it('refuses no tiers without a price, and takes value per tier for any tier when open to all', () => {
    const free = benefitInputSchema.safeParse({ code: 'UMB', name: '雨伞', tiers: [], limit: 'once' });
    expect(free.error?.issues[0]).toMatchObject({ path: ['tiers'] });
    const open = benefitInputSchema.parse({
      code: 'UMB',
      name: '雨伞',
      tiers: [],
      pricePoints: 1_000_000,
      limit: 'once',
      valueByTier: { gold: '大号' },
    });
    expect(open).toMatchObject({ pricePoints: 1_000_000, tiers: [] });
    expect(
      checkEligibility({
        claims: [],
        benefit: benefitSchema.parse(open),
        member: { tier: 'gold', points: 1_000_000 },
        localDate: '2026-05-17',
      }),
    ).toEqual({ ok: true, value: '大号' });
  });
});
