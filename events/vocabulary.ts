import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';

/**
 * Words the events carry that the API, the stores and the rules use too. The event catalog is the
 * lowest layer and imports nothing of the system's own, so they are declared here and
 * shared/schemas takes them from here.
 */

/**
 * Churn zones, by rising risk: green (healthy), blue (a first warning), yellow, red (about to leave),
 * and white for members too new or too inactive to score (the operators' warning colours).
 */
export const churnZones = ['green', 'blue', 'yellow', 'red', 'white'] as const;
export const churnZoneSchema = lazySchema(() => z.enum(churnZones));

/**
 * How a consent change reached us: the customer's own text, the merchant's system through the API,
 * a member import, or the merchant's staff recording what the customer said or signed in the shop.
 */
export const consentChannelSchema = lazySchema(() =>
  z.enum(['sms-keyword', 'merchant-api', 'import', 'merchant-staff']),
);

/** The member profile fields a merchant may change. */
export const profileFields = ['name', 'gender', 'birthday', 'city', 'tags', 'attributes'] as const;

/**
 * How a coupon was redeemed: by a staff command texted from the counter (`sms`), in the console (a
 * staff member's session), or through the API with a key.
 */
export const redemptionChannelSchema = lazySchema(() => z.enum(['sms', 'console', 'merchant-api']));
