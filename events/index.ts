import { benefitChanged } from './benefit-changed';
import { benefitClaimed } from './benefit-claimed';
import { campaignRunRequested } from './campaign-run-requested';
import { churnZoneChanged } from './churn-zone-changed';
import { countCardRefunded, countCardSold, countCardUsed } from './count-cards';
import { couponRedeemed } from './coupon-redeemed';
import { ledgerEvents } from './ledger';
import { memberComplained } from './member-complained';
import { memberConsentChanged } from './member-consent-changed';
import { memberDeleted } from './member-deleted';
import { memberRegistered } from './member-registered';
import { memberRestored, restoreOf } from './member-restored';
import { memberUpdated } from './member-updated';
import { smsReceived } from './sms-received';
import { tierChanged } from './tier-changed';

export { type DomainEvent, eventOf } from './catalog';
export * from './ledger';
export {
  benefitChanged,
  benefitClaimed,
  campaignRunRequested,
  churnZoneChanged,
  countCardRefunded,
  countCardSold,
  countCardUsed,
  couponRedeemed,
  memberComplained,
  memberConsentChanged,
  memberDeleted,
  memberRegistered,
  memberRestored,
  memberUpdated,
  restoreOf,
  smsReceived,
  tierChanged,
};

/** Every event type the system publishes. */
export const eventCatalog = [
  memberRegistered,
  memberUpdated,
  memberDeleted,
  memberRestored,
  memberConsentChanged,
  ...Object.values(ledgerEvents),
  benefitChanged,
  benefitClaimed,
  couponRedeemed,
  countCardSold,
  countCardUsed,
  countCardRefunded,
  tierChanged,
  smsReceived,
  memberComplained,
  churnZoneChanged,
  campaignRunRequested,
];
