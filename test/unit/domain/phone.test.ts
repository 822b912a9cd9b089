import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { maskPhone, phoneMetadataFile, toMobileE164 } from '../../../shared/domain/phone';

describe('toMobileE164', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['8613800138000', '+8613800138000'],
    ['１３８００１３８０００', '+8613800138000'],
    ['138-0013-8000', '+8613800138000'],
    ['+14255550182', '+14255550182'],
  ])('%j → %s', (raw, phone) => {
    expect(toMobileE164(raw, 'CN')).toEqual({ ok: true, phone });
  });

  it.each([
    ['', 'phone is empty'],
    ['abc', 'phone may contain only digits, spaces, dashes and a leading +'],
    ['12345', '12345 is not a valid phone number'],
    ['+861069000000', '+861069000000 is not a mobile number'],
    ['1'.repeat(40), 'phone may contain only digits, spaces, dashes and a leading +'],
  ])('%j is refused: %s', (raw, reason) => {
    expect(toMobileE164(raw, 'CN')).toEqual({ ok: false, reason });
  });
});

describe('maskPhone', () => {
  it('keeps the country code and the last four digits', () => {
    expect(maskPhone('+8613800138000')).toBe('+86****8000');
  });
});

describe('the phone metadata', () => {
  it('is the max metadata of the libphonenumber-js installed (after an upgrade: npx tsx scripts/phone-metadata.ts)', () => {
    const installed = createRequire(import.meta.url).resolve('libphonenumber-js/metadata.max.json');
    expect(JSON.parse(readFileSync(phoneMetadataFile, 'utf8'))).toEqual(
      JSON.parse(readFileSync(installed, 'utf8')),
    );
  });
});
