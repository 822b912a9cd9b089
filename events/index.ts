import { benefitClaimed } from './benefit-claimed';
import { ledgerEvents } from './ledger';
import { memberConsentChanged } from './member-consent-changed';
import { memberDeleted } from './member-deleted';
import { memberRegistered } from './member-registered';
import { memberUpdated } from './member-updated';

export { type DomainEvent, eventOf } from './catalog';
export * from './ledger';
export { benefitClaimed, memberConsentChanged, memberDeleted, memberRegistered, memberUpdated };

/** Every event type the system publishes. */
export const eventCatalog = [
  memberRegistered,
  memberUpdated,
  memberDeleted,
  memberConsentChanged,
  ...Object.values(ledgerEvents),
  benefitClaimed,
];
