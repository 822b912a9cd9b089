/**
 * The members store: a member's profile and balances, and a phone's marketing consent and
 * complaints, all in one partition per merchant + phone (key design in keys.ts).
 */
export {
  type CampaignCount,
  type Clearance,
  type ClearOutcome,
  type ConsentExport,
  type ConsentOptions,
  type ConsentOutcome,
  recordConsent,
} from './consent';
export { type ConsentReader, consentReader, type MarketingStanding } from './consents';
export { InvalidCursorError } from './cursor';
export { birthdayKey, joinDayKey, memberKey, newMemberItem, tierKey } from './keys';
export { profileUpdate, tagIndexChange } from './profile-update';
export * from './store';
