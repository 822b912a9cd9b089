import type { Contact } from '../schemas/member';
import type { Template } from '../schemas/template';
import { consentRefusal, type MarketingRefusal } from './consent';
import { toMobileE164 } from './phone';

/**
 * Whom a campaign's texts reach, by the rules send-sms applies as it sends them: what a preview
 * counts and a campaign run reports, so the merchant sees before sending what the send will do.
 */

/** Why a template's text would not pass as registered with the provider; undefined when it would. */
export function registrationProblem(
  template: Pick<Template, 'templateId' | 'registration'>,
  signature: string,
): string | undefined {
  const { templateId, registration } = template;
  if (!registration) return `${templateId} is not registered with the provider`;
  if (registration.status !== 'approved') return `${templateId} is ${registration.status}, not approved`;
  if (registration.signature !== signature) {
    return `${templateId} was approved for ${registration.signature}, not ${signature}`;
  }
  return undefined;
}

/**
 * How a campaign's texts go. A campaign is bulk sending, so it is marketing, and needs each member's
 * opt-in, unless its template is a service template the provider registered and approved as one under
 * the merchant's signature: calling a template `service` is not enough to text members who never
 * opted in. A survey's opening is always marketing.
 */
export function campaignCategory(
  template: Pick<Template, 'templateId' | 'category' | 'registration'> | undefined,
  signature: string,
): 'marketing' | 'service' {
  if (template?.category !== 'service') return 'marketing';
  return registrationProblem(template, signature) === undefined ? 'service' : 'marketing';
}

/**
 * What becomes of a campaign text to a phone: `reachable`; `service-notice`, reachable though the
 * phone has no marketing consent, the text being a registered service notice; or why it is not sent.
 */
export type Reach = 'reachable' | 'service-notice' | MarketingRefusal | 'invalid-number';

export function recipientReach(
  phone: string,
  contact: Pick<Contact, 'marketing' | 'suppression'>,
  category: 'marketing' | 'service',
  country: string,
): Reach {
  if (!toMobileE164(phone, country).ok) return 'invalid-number';
  const refusal = consentRefusal({ category }, contact);
  if (refusal) return refusal;
  return category === 'service' && consentRefusal({ category: 'marketing' }, contact)
    ? 'service-notice'
    : 'reachable';
}
