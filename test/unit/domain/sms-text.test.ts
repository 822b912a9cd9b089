import { describe, expect, it } from 'vitest';
import { signedText, textBilling } from '../../../shared/domain/sms-text';

const signature = '【测试商户】';
const unsubscribeLine = '回复TD退订';
const marketing = { signature, unsubscribeLine, category: 'marketing' } as const;

/** A marketing text whose signed form (signature + body + a space + unsubscribe line) is `total` characters. */
const signedOfLength = (total: number) =>
  signedText('积'.repeat(total - signature.length - 1 - unsubscribeLine.length), marketing);

describe('signed texts as carriers bill them', () => {
  it.each([
    [69, 1],
    [70, 1],
    [71, 2],
    [133, 2],
    [134, 2],
    [135, 3],
    [500, 8],
  ])('%i UCS-2 characters, signature and unsubscribe line included, are %i part(s)', (total, parts) => {
    const text = signedOfLength(total);
    expect(text.startsWith(signature) && text.endsWith(unsubscribeLine)).toBe(true);
    expect(textBilling(text)).toEqual({
      encoding: 'UCS-2',
      units: total,
      segments: parts,
      length: total,
      tooLong: false,
    });
  });

  it('refuses a text of 501 characters', () => {
    expect(textBilling(signedOfLength(501))).toMatchObject({ length: 501, tooLong: true });
  });

  it.each([
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
  ])('bills %i GSM-7 characters (a text without Chinese) as %i part(s)', (length, parts) => {
    expect(textBilling('a'.repeat(length))).toMatchObject({ encoding: 'GSM-7', segments: parts });
  });

  it('makes every signed text UCS-2: the 【】 of the signature are not GSM-7', () => {
    const text = signedText('Your points: 120', { ...marketing, category: 'service' });
    expect(textBilling(text)).toMatchObject({ encoding: 'UCS-2', length: 22, segments: 1 });
  });

  it('counts an emoji as two characters toward the 500', () => {
    expect(textBilling(`${signedOfLength(499)}😀`)).toMatchObject({ length: 501, tooLong: true });
  });

  it('sets the unsubscribe line apart from the text, unless the text ends its sentence', () => {
    expect(signedText('全场八折', marketing)).toBe(`${signature}全场八折 回复TD退订`);
    expect(signedText('Sale 20% off', marketing)).toBe(`${signature}Sale 20% off 回复TD退订`);
    for (const end of ['。', '！', '？', '!', '.', '，', '…', ' ', '\n']) {
      expect(signedText(`全场八折${end}`, marketing)).toBe(`${signature}全场八折${end}回复TD退订`);
    }
    expect(signedText('Sale', { ...marketing, unsubscribeLine: ' Reply STOP to opt out' })).toBe(
      `${signature}Sale Reply STOP to opt out`,
    );
  });

  it('adds the signature and the unsubscribe line once, and no unsubscribe line to service texts', () => {
    expect(signedText(`${signature}周末八折，回复TD退订`, marketing)).toBe(
      `${signature}周末八折，回复TD退订`,
    );
    expect(signedText('周末八折', marketing)).toBe(`${signature}周末八折 ${unsubscribeLine}`);
    expect(signedText('您的积分为120分', { ...marketing, category: 'service' })).toBe(
      `${signature}您的积分为120分`,
    );
  });
});
