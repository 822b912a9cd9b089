import { createHmac } from 'node:crypto';

/**
 * A phone as it is kept once its owner's personal data is erased (PIPL art. 47): an HMAC-SHA256 of the
 * phone under a key only the deployment holds. The books (ledger entries, balances) and the proof of
 * consent stay under it, so the merchant can still show what a number agreed to when asked about that
 * number, yet nobody reading the tables can turn it back into the number: without the key, the
 * 10^11 mobile numbers cannot be tried against it. Counters keyed by a phone (send caps) use it too.
 */
export const phoneProofPrefix = 'hmac:';

export function phoneProof(key: string, phone: string): string {
  return `${phoneProofPrefix}${createHmac('sha256', key).update(phone).digest('base64url')}`;
}

/** Whether a stored phone is already a proof (erasing twice finds it so). */
export const isPhoneProof = (value: string) => value.startsWith(phoneProofPrefix);

/**
 * A text kept for its proof, not its words: the member's own text that gave or withdrew consent is
 * replaced by its HMAC, so a copy of the text (from the carrier, or the member) can still be matched.
 */
export function textProof(key: string, text: string): string {
  return `${phoneProofPrefix}${createHmac('sha256', key).update(`text:${text}`).digest('base64url')}`;
}

/** What stands where a member's free text (a ticket, an answer, a survey reply) was erased. */
export const erasedText = '[erased]';

/**
 * The key the local runtime and tests use. Deployed functions get theirs from a secret the stack
 * generates (infra/constructs/functions.ts); nothing deployed reads this one.
 */
export const localPhoneProofKey = 'mcrm-local-phone-proof-key-not-for-production';

/** One member's erasure: their phone's proof, and how their texts are kept (as proofs). */
export interface Pseudonyms {
  phone: string;
  proof: string;
  text(text: string): string;
}

export function pseudonymsOf(key: string, phone: string): Pseudonyms {
  return { phone, proof: phoneProof(key, phone), text: (text) => textProof(key, text) };
}
