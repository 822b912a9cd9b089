import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimState } from '../../../shared/domain/benefits';
import {
  couponAlphabet,
  couponCodeLength,
  minutesLeftInWindow,
  newCouponCode,
  readCouponCode,
  redemptionWindow,
} from '../../../shared/domain/coupons';

const code = new RegExp(`^[${couponAlphabet}]{${couponCodeLength}}$`);

describe('coupon codes', () => {
  it('leave out the characters people confuse', () => {
    for (const lookAlike of ['0', 'O', '1', 'I', 'L']) expect(couponAlphabet).not.toContain(lookAlike);
    expect(new Set(couponAlphabet).size).toBe(couponAlphabet.length);
    expect(couponCodeLength).toBeGreaterThanOrEqual(8);
  });

  it('are drawn from whatever random bytes come, without bias: bytes past the last multiple are drawn again', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (seed) => {
        if (seed.every((byte) => byte >= 248)) {
          expect(() => newCouponCode((bytes) => bytes.fill(seed[0] as number))).toThrow(/no usable bytes/);
          return;
        }
        let at = 0;
        const drawn = newCouponCode((bytes) => bytes.map(() => seed[at++ % seed.length] as number));
        expect(drawn).toMatch(code);
      }),
      { numRuns: 200 },
    );
    // 248 and above would favour the first characters; they are skipped.
    const draws = [255, 248, 0, 30, 31];
    let at = 0;
    expect(newCouponCode((bytes) => bytes.map(() => draws[at++ % draws.length] as number))).toBe('2Z22Z22Z');
  });

  it('differ from one draw to the next', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newCouponCode()));
    expect(codes.size).toBe(1000);
    for (const drawn of codes) expect(drawn).toMatch(code);
  });

  it('are read as people type them, and never guessed from a look-alike', () => {
    expect(readCouponCode('k7mw3qxr')).toBe('K7MW3QXR');
    expect(readCouponCode('ｋ７ｍｗ－３ｑｘｒ')).toBe('K7MW3QXR');
    expect(readCouponCode(' K7MW 3QXR ')).toBe('K7MW3QXR');
    for (const text of [
      'K7MW3QX0',
      'K7MW3QXO',
      'K7MW3QX1',
      'K7MW3QXI',
      'K7MW3QXL',
      'K7MW3QX',
      'K7MW3QXRR',
      '',
    ])
      expect(readCouponCode(text), text).toBeUndefined();
  });
});

describe('a claim’s state', () => {
  const until = '2026-08-15T10:30:00.000Z';
  it('is used once redeemed, whatever its end; else active up to its end', () => {
    expect(
      claimState({ validUntil: until, usedAt: '2026-08-01T00:00:00.000Z' }, new Date('2026-09-01')),
    ).toBe('used');
    expect(claimState({ validUntil: until }, new Date('2026-08-15T10:29:59.999Z'))).toBe('active');
    expect(claimState({ validUntil: until }, new Date(until))).toBe('expired');
  });
});

describe('failed redemptions', () => {
  it('are counted in windows of 10 minutes', () => {
    const at = new Date('2026-11-23T08:03:30.000Z');
    expect(redemptionWindow(at)).toBe(redemptionWindow(new Date('2026-11-23T08:00:00.000Z')));
    expect(redemptionWindow(at)).not.toBe(redemptionWindow(new Date('2026-11-23T08:10:00.000Z')));
    expect(minutesLeftInWindow(at)).toBe(7);
    expect(minutesLeftInWindow(new Date('2026-11-23T08:09:59.000Z'))).toBe(1);
  });
});
