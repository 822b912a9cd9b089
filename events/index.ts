import { benefitChanged } from './benefit-changed';
import { benefitClaimed } from './benefit-claimed';
import { ledgerEvents } from './ledger';
import { memberConsentChanged } from './member-consent-changed';
import { memberDeleted } from './member-deleted';
import { memberRegistered } from './member-registered';
import { memberUpdated } from './member-updated';
import { tierChanged } from './tier-changed';

export { type DomainEvent, eventOf } from './catalog';
export * from './ledger';
export {
  benefitChanged,
  benefitClaimed,
  memberConsentChanged,
  memberDeleted,
  memberRegistered,
  memberUpdated,
  tierChanged,
};

/** Every event type the system publishes. */
export const eventCatalog = [
  memberRegistered,
  memberUpdated,
  memberDeleted,
  memberConsentChanged,
  ...Object.values(ledgerEvents),
  benefitChanged,
  benefitClaimed,
  tierChanged,
];
