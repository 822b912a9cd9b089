import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CouponUse, couponAlphabet, couponCodeLength } from '../../../shared/domain/coupons';
import type { Benefit } from '../../../shared/schemas/benefit';
import { benefitsStore } from '../../../shared/store/benefits';
import { newMerchant, testEnv } from '../../support';

/** Coupons: the code each claim gets, and its redemption, once, on DynamoDB Local. */
const env = testEnv();
const benefits = benefitsStore(env.dynamo(), env.table('benefits'));
let merchantId: string;

beforeAll(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

const newBenefit = (validDays?: number, owner = merchantId) =>
  benefits.put(owner, {
    code: `C${randomUUID().slice(0, 8).toUpperCase().replace(/-/g, '')}`,
    name: '咖啡券',
    tiers: ['silver'],
    limit: 'once',
    ...(validDays ? { validDays } : {}),
  });

const claimAt = '2026-11-23T04:00:00.000Z';

async function claimed(benefit: Benefit, validUntil?: string, owner = merchantId, store = benefits) {
  const outcome = await store.claim({
    merchantId: owner,
    memberId: `mem-${randomUUID()}`,
    phone: '+8613800000001',
    benefit,
    period: 'ever',
    claimedAt: claimAt,
    ...(validUntil ? { validUntil } : {}),
    idempotencyKey: randomUUID(),
  });
  if (outcome.status !== 'granted') throw new Error(`not granted: ${outcome.status}`);
  return outcome.claim;
}

const use = (usedAt: string, name = '小王'): CouponUse => ({
  usedAt,
  usedBy: { kind: 'staff', id: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q', name },
  usedChannel: 'sms',
});

describe('coupon codes', () => {
  it('gives every claim a random code of the alphabet, found by the code', async () => {
    const benefit = await newBenefit(90);
    const claims = await Promise.all(
      Array.from({ length: 20 }, () => claimed(benefit, '2027-02-21T04:00:00.000Z')),
    );
    const codes = claims.map((claim) => claim.couponCode ?? '');
    expect(new Set(codes).size).toBe(20);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${couponAlphabet}]{${couponCodeLength}}$`));
    const [first] = claims;
    expect(await benefits.coupon(merchantId, first?.couponCode ?? '')).toMatchObject({
      couponCode: first?.couponCode,
      memberId: first?.memberId,
      phone: '+8613800000001',
      code: benefit.code,
      claimId: first?.claimId,
      validUntil: first?.validUntil,
    });
  });

  it('draws again when a new code is already one of the merchant’s', async () => {
    const benefit = await newBenefit();
    // The same bytes twice, then others: the second claim's first code is the first claim's.
    const draws = [2, 2, 3];
    const fixed = benefitsStore(env.dynamo(), env.table('benefits'), {
      random: (bytes) => bytes.fill(draws.length > 1 ? (draws.shift() as number) : (draws[0] as number)),
    });
    const first = await claimed(benefit, undefined, merchantId, fixed);
    const second = await claimed(benefit, undefined, merchantId, fixed);
    expect(first.couponCode).toBe('4'.repeat(couponCodeLength));
    expect(second.couponCode).toBe('5'.repeat(couponCodeLength));
  });
});

describe('redeeming a coupon', () => {
  it('uses it once: the claim says when, by whom and how, and the benefit counts it used', async () => {
    const benefit = await newBenefit();
    const claim = await claimed(benefit);
    const couponCode = claim.couponCode ?? '';
    const redeemed = await benefits.redeem({
      merchantId,
      couponCode,
      use: use('2026-11-24T02:00:00.000Z'),
      idempotencyKey: 'sms:first',
    });
    expect(redeemed).toMatchObject({ status: 'redeemed', coupon: { usedAt: '2026-11-24T02:00:00.000Z' } });

    const replayed = await benefits.redeem({
      merchantId,
      couponCode,
      use: use('2026-11-24T02:00:05.000Z'),
      idempotencyKey: 'sms:first',
    });
    expect(replayed).toMatchObject({ status: 'replayed', coupon: { usedAt: '2026-11-24T02:00:00.000Z' } });

    const again = await benefits.redeem({
      merchantId,
      couponCode,
      use: use('2026-11-24T03:00:00.000Z', '小李'),
      idempotencyKey: 'sms:second',
    });
    expect(again).toMatchObject({
      status: 'used',
      coupon: { usedAt: '2026-11-24T02:00:00.000Z', usedBy: { name: '小王' }, usedChannel: 'sms' },
    });

    const [stored] = await benefits.claims(merchantId, claim.memberId);
    expect(stored).toMatchObject({ usedAt: '2026-11-24T02:00:00.000Z', usedBy: { name: '小王' } });
    expect(await benefits.get(merchantId, benefit.code)).toMatchObject({ claimed: 1, used: 1 });
  });

  it('of two cashiers at the same moment, one redeems and the other is told it is used', async () => {
    const benefit = await newBenefit();
    const couponCode = (await claimed(benefit)).couponCode ?? '';
    const outcomes = await Promise.all(
      ['小王', '小李', '小张', '小赵'].map((name, i) =>
        benefits.redeem({
          merchantId,
          couponCode,
          use: use('2026-11-24T02:00:00.000Z', name),
          idempotencyKey: `sms:race-${i}`,
        }),
      ),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['redeemed', 'used', 'used', 'used']);
    const winner = outcomes.find((o) => o.status === 'redeemed');
    for (const loser of outcomes.filter((o) => o.status === 'used')) {
      expect(loser).toMatchObject({
        coupon: { usedBy: winner && 'coupon' in winner && winner.coupon.usedBy },
      });
    }
    expect((await benefits.get(merchantId, benefit.code))?.used).toBe(1);
  });

  it('refuses an expired coupon, an unknown code and another merchant’s code, changing nothing', async () => {
    const benefit = await newBenefit(1);
    const claim = await claimed(benefit, '2026-11-24T04:00:00.000Z');
    const couponCode = claim.couponCode ?? '';
    const late = await benefits.redeem({
      merchantId,
      couponCode,
      use: use('2026-11-24T04:00:00.000Z'),
      idempotencyKey: 'sms:late',
    });
    expect(late).toMatchObject({ status: 'expired', coupon: { validUntil: '2026-11-24T04:00:00.000Z' } });
    expect(late).not.toHaveProperty('coupon.usedAt');

    expect(
      await benefits.redeem({ merchantId, couponCode: 'ZZZZZZZZ', use: use(claimAt), idempotencyKey: 'k' }),
    ).toEqual({ status: 'unknown' });
    const other = (await newMerchant(env)).merchant.merchantId;
    expect(
      await benefits.redeem({ merchantId: other, couponCode, use: use(claimAt), idempotencyKey: 'k' }),
    ).toEqual({ status: 'unknown' });
    expect((await benefits.claims(merchantId, claim.memberId))[0]?.usedAt).toBeUndefined();
    expect((await benefits.get(merchantId, benefit.code))?.used).toBe(0);
  });
});
