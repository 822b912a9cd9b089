import type { Contact } from '../schemas/member';

/** Why a marketing text may not go to a phone now; undefined when it may. */
export type MarketingRefusal = 'no-consent' | 'opted-out' | 'complaint';

/**
 * Marketing needs a current opt-in: a phone that never opted in gets none, and one that opted out
 * gets none until it opts in again. A complaint holds marketing back even from a subscriber until
 * a person at the merchant has dealt with it and cleared it.
 */
export function marketingRefusal(contact: Contact): MarketingRefusal | undefined {
  if (contact.marketing?.status === 'unsubscribed') return 'opted-out';
  if (contact.suppression) return 'complaint';
  if (contact.marketing?.status !== 'subscribed') return 'no-consent';
  return undefined;
}

/**
 * Why consent stops this text: marketing needs a current opt-in; a service text the merchant chose
 * to hold back from opted-out members (`respectOptOut`) is stopped by an opt-out only; other service
 * texts always go.
 */
export function consentRefusal(
  text: { category: 'service' | 'marketing'; respectOptOut?: boolean },
  contact: Contact,
): MarketingRefusal | undefined {
  if (text.category === 'marketing') return marketingRefusal(contact);
  if (!text.respectOptOut) return undefined;
  return contact.marketing?.status === 'unsubscribed' ? 'opted-out' : undefined;
}

/** The longest text kept as proof with a consent change or a complaint (their schemas' limit). */
export const maxProofLength = 200;

/**
 * The customer's text as kept for proof: its first 200 characters, never cut through an emoji, whose
 * half alone is not text at all (UTF-8, which stores and queues carry, has no form for it).
 */
export function proofText(text: string): string {
  const kept = text.slice(0, maxProofLength);
  return /[\uD800-\uDBFF]$/.test(kept) ? kept.slice(0, -1) : kept;
}
