import type { Contact } from '../schemas/member';

/** Why a marketing text may not go to a phone now; undefined when it may. */
export type MarketingRefusal = 'no-consent' | 'opted-out';

/**
 * Marketing needs a current opt-in: a phone that never opted in gets none, and one that opted out
 * gets none until it opts in again.
 */
export function marketingRefusal(contact: Contact): MarketingRefusal | undefined {
  if (contact.marketing?.status === 'unsubscribed') return 'opted-out';
  if (contact.marketing?.status !== 'subscribed') return 'no-consent';
  return undefined;
}
