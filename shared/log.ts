import { Logger } from '@aws-lambda-powertools/logger';
import { maskPhone } from './domain/phone';

/**
 * A phone number inside any text: E.164 (`+` and 7 to 15 digits) or a national number of 10 to 15
 * digits, standing alone rather than inside an id (a ULID, a UUID's last group, `order-1001`).
 */
const phoneLike = /(?<![\w-])(?:\+\d{7,15}|\d{10,15})(?![\w-])/g;

/** Every phone number in the text, masked as `maskPhone` masks one. */
export function maskPhonesIn(text: string): string {
  return text.replace(phoneLike, maskPhone);
}

/**
 * Structured JSON logs (service name and level from POWERTOOLS_* variables). Call sites log ids
 * and `maskPhone(phone)`, never a member's phone or name; as a second line of defence, every string
 * written (the message, any field, an error's message and stack) has its phone numbers masked, so a
 * phone that reaches a log through an error message or a nested record is masked too.
 */
export const logger = new Logger({
  jsonReplacerFn: (_key, value) => (typeof value === 'string' ? maskPhonesIn(value) : value),
});
