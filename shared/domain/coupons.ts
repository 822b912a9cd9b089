import * as z from 'zod';
import { redemptionChannelSchema } from '../../events/vocabulary';
import { lazySchema } from '../lazy-schema';

/**
 * Coupons: every benefit claim carries a redemption code the member shows at the counter, used once
 * (核销). A cashier reads it out or types it, so the alphabet leaves out the characters people
 * confuse: 0 and O, 1, I and L. Codes are random, never derived from ids, so one code tells nothing
 * about another; with 31 characters, 8 of them give 31^8 ≈ 8.5 × 10^11 codes, and failed attempts by
 * text are limited per staff phone (`failedRedemptionLimit`), so guessing one is hopeless.
 */
export const couponAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const couponCodeLength = 8;

export const couponCodeSchema = lazySchema(() =>
  z
    .string()
    .regex(
      new RegExp(`^[${couponAlphabet}]{${couponCodeLength}}$`),
      `coupon code: ${couponCodeLength} characters of ${couponAlphabet} (no 0, O, 1, I or L)`,
    ),
);

/** Random bytes, filled in place: `crypto.getRandomValues` in production, fixed bytes in tests. */
export type RandomBytes = (bytes: Uint8Array) => Uint8Array;

const cryptoRandom: RandomBytes = (bytes) => globalThis.crypto.getRandomValues(bytes);

/**
 * A new random code. Each character is drawn without bias: bytes of 248 or more (past the last whole
 * multiple of 31) are thrown away and drawn again. A source that keeps giving only such bytes is
 * broken, and is said to be rather than drawn from for ever.
 */
export function newCouponCode(random: RandomBytes = cryptoRandom): string {
  const unbiasedBelow = 256 - (256 % couponAlphabet.length);
  let code = '';
  for (let round = 0; round < 100 && code.length < couponCodeLength; round++) {
    for (const byte of random(new Uint8Array(couponCodeLength * 2))) {
      if (byte < unbiasedBelow && code.length < couponCodeLength)
        code += couponAlphabet[byte % couponAlphabet.length];
    }
  }
  if (code.length < couponCodeLength) throw new Error('the random source gives no usable bytes');
  return code;
}

/**
 * A code as someone typed it, folded: full-width forms, lower case, and the spaces and dashes people
 * put in to read it in groups (`abcd-efgh`, `ＡＢＣＤ ＥＦＧＨ`). Undefined when what is left cannot be a
 * code, so a typo is answered with the format, never looked up.
 */
export function readCouponCode(text: string): string | undefined {
  const folded = text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-–—_.·]/gu, '');
  return couponCodeSchema.safeParse(folded).success ? folded : undefined;
}

export { redemptionChannelSchema };
export type RedemptionChannel = z.infer<typeof redemptionChannelSchema>;

/** Who redeemed a coupon: a member of staff (by name when it was done) or an API key. */
export const redeemerSchema = lazySchema(() =>
  z.object({
    kind: z.enum(['staff', 'api-key']),
    /** The staff id, or the API key's id. */
    id: z.string(),
    name: z.string().optional(),
    /** The store (门店) it was used at: the staff member's, or the one an API call named. */
    storeId: z.string().optional(),
  }),
);
export type Redeemer = z.infer<typeof redeemerSchema>;

/** A coupon's use, kept on the coupon and on the claim it came with. */
export const couponUseSchema = lazySchema(() =>
  z.object({
    usedAt: z.iso.datetime(),
    usedBy: redeemerSchema,
    usedChannel: redemptionChannelSchema,
  }),
);
export type CouponUse = z.infer<typeof couponUseSchema>;

/**
 * Why a coupon was not redeemed. `unknown` covers another merchant's codes as well: a shop learns
 * nothing about codes that are not its own.
 */
export type RedemptionRefusal = 'unknown' | 'used' | 'expired';

/** Failed redemptions by text one staff phone may make in a window, so codes cannot be guessed by SMS. */
export const failedRedemptionLimit = 10;
export const failedRedemptionWindowMinutes = 10;

/** The window `at` falls in: failed attempts are counted per staff phone and window. */
export function redemptionWindow(at: Date): number {
  return Math.floor(at.getTime() / (failedRedemptionWindowMinutes * 60_000));
}

/** Whole minutes until the window `at` falls in closes (at least 1). */
export function minutesLeftInWindow(at: Date): number {
  const windowMs = failedRedemptionWindowMinutes * 60_000;
  const end = (redemptionWindow(at) + 1) * windowMs;
  return Math.max(1, Math.ceil((end - at.getTime()) / 60_000));
}
