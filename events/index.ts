import { memberConsentChanged } from './member-consent-changed';
import { memberRegistered } from './member-registered';
import { pointsEarned } from './points-earned';

export { type DomainEvent, eventOf } from './catalog';
export { memberConsentChanged, memberRegistered, pointsEarned };

/** Every event type the system publishes. */
export const eventCatalog = [memberRegistered, memberConsentChanged, pointsEarned];
