import { readFileSync } from 'node:fs';
import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';

export type PhoneResult = { ok: true; phone: string } | { ok: false; reason: string };

const textCapable = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * libphonenumber-js's max metadata (every number type of every country), written by
 * scripts/phone-metadata.ts. A bundle does not hold it: the build puts the file beside the bundle
 * (infra/bundling.ts), where this URL points once bundled, so a cold start does not compile 150 kB.
 */
export const phoneMetadataFile = new URL('./phone-metadata.json', import.meta.url);

let maxMetadata: MetadataJson | undefined;

/** The metadata, read on the first phone number read. */
function metadata(): MetadataJson {
  maxMetadata ??= JSON.parse(readFileSync(phoneMetadataFile, 'utf8')) as MetadataJson;
  return maxMetadata;
}

/**
 * A member's phone as E.164, read in the merchant's default country. Texts can only reach
 * mobile numbers, so a valid landline is refused too.
 */
export function toMobileE164(raw: string, defaultCountry: string): PhoneResult {
  const text = raw.normalize('NFKC').trim();
  if (text.length === 0) return { ok: false, reason: 'phone is empty' };
  if (text.length > 32 || !/^\+?[\d\s\-().]+$/.test(text)) {
    return { ok: false, reason: 'phone may contain only digits, spaces, dashes and a leading +' };
  }
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode, metadata());
  if (!parsed?.isValid()) return { ok: false, reason: `${text} is not a valid phone number` };
  const type = parsed.getType();
  if (type && !textCapable.has(type)) return { ok: false, reason: `${text} is not a mobile number` };
  return { ok: true, phone: parsed.number };
}

/** A sender number (the merchant's long code or short code) in E.164 form. */
export const senderNumberPattern = /^\+[1-9]\d{3,14}$/;

/** Phones in logs keep the country code and the last four digits only. */
export function maskPhone(phone: string): string {
  return phone.length <= 7 ? '****' : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
