import * as z from 'zod';
import {
  type LoyaltySettings,
  loyaltySettingsSchema,
  type Merchant,
  sendingSettingsSchema,
} from '../../shared/schemas/merchant';
import type { DirectoryStore } from '../../shared/store/directory';
import { HttpError, json, parseBody, type Request, type Response } from './http';
import { anyOf, invalidBody, type RouteDocsFor } from './route-docs';
import { patchedSettings, settingsPatchOf } from './settings-patch';

export interface SettingsRoutesDeps {
  directory: DirectoryStore;
  clock: () => Date;
}

/** The strict body: every field of the loyalty settings, defaults filled where left out. */
const loyaltySettingsBody = loyaltySettingsSchema.strict();

export async function getLoyaltySettings(_request: Request, merchant: Merchant): Promise<Response> {
  return json(200, { loyalty: merchant.loyalty });
}

/**
 * Replaces the earn rate, the points expiry policy and the tier table. A changed tier table is
 * marked with its time: the next loyalty jobs run (within a quarter hour) re-evaluates every member
 * against it, page by page with a checkpoint, so none keeps a tier the table no longer has.
 */
export async function putLoyaltySettings(
  request: Request,
  merchant: Merchant,
  deps: SettingsRoutesDeps,
): Promise<Response> {
  return saveLoyalty(merchant, parseBody(request, loyaltySettingsBody), deps);
}

/** Stores the loyalty settings, marking a changed tier table with the time it changed. */
async function saveLoyalty(
  merchant: Merchant,
  loyalty: LoyaltySettings,
  deps: SettingsRoutesDeps,
): Promise<Response> {
  refuseUnknownStores(loyalty, merchant);
  const tiersChanged = JSON.stringify(loyalty.tiers) !== JSON.stringify(merchant.loyalty.tiers);
  await deps.directory.setLoyalty(merchant.merchantId, loyalty, tiersChanged ? deps.clock() : undefined);
  return json(200, { loyalty });
}

/** A multiplier rule may name only the merchant's stores (closed ones too: a rule may outlive a store). */
function refuseUnknownStores(loyalty: LoyaltySettings, merchant: Merchant) {
  const issues = loyalty.multipliers.flatMap((rule, index) =>
    (rule.stores ?? [])
      .filter((storeId) => !Object.hasOwn(merchant.stores, storeId))
      .map((storeId) => ({ path: `multipliers.${index}.stores`, message: `no store ${storeId}` })),
  );
  if (issues.length > 0) {
    const first = issues[0] as (typeof issues)[number];
    throw new HttpError(400, 'invalid_body', `${first.path}: ${first.message}`, issues);
  }
}

/** The strict body: every field of the sending settings, defaults filled where left out. */
const sendingSettingsBody = sendingSettingsSchema.strict();

/** Changes the fields sent and keeps the others; a new tier table applies as with PUT. */
export async function patchLoyaltySettings(
  request: Request,
  merchant: Merchant,
  deps: SettingsRoutesDeps,
): Promise<Response> {
  return saveLoyalty(merchant, patchedSettings(request, merchant.loyalty, loyaltySettingsSchema), deps);
}

export async function getSendingSettings(_request: Request, merchant: Merchant): Promise<Response> {
  return json(200, { sending: merchant.sending, timeZone: merchant.timeZone });
}

/**
 * Replaces how the merchant's texts go out. send-sms reads the settings at each send, so texts
 * already queued go out under the new rules: narrower marketing hours hold them back too.
 */
export async function putSendingSettings(
  request: Request,
  merchant: Merchant,
  deps: SettingsRoutesDeps,
): Promise<Response> {
  const sending = parseBody(request, sendingSettingsBody);
  await deps.directory.setSending(merchant.merchantId, sending);
  return json(200, { sending });
}

/** Changes the fields sent and keeps the others. */
export async function patchSendingSettings(
  request: Request,
  merchant: Merchant,
  deps: SettingsRoutesDeps,
): Promise<Response> {
  const sending = patchedSettings(request, merchant.sending, sendingSettingsSchema);
  await deps.directory.setSending(merchant.merchantId, sending);
  return json(200, { sending });
}

export const settingsRouteDocs: RouteDocsFor<'/v1/settings'> = {
  'GET /v1/settings/loyalty': {
    summary: 'Loyalty settings',
    description: 'Points per yuan of a purchase, the points expiry policy and the tier table.',
    responses: { 200: { description: 'The settings', body: z.object({ loyalty: loyaltySettingsSchema }) } },
    errors: {},
  },
  'PUT /v1/settings/loyalty': {
    summary: 'Set the earn rate, points expiry and tiers',
    description:
      'Replaces the loyalty settings whole: a field left out takes its default (PATCH changes some ' +
      'fields and keeps the others). `pointsPerYuan`: points a yuan of purchase earns. Tiers: ascending ' +
      'thresholds starting at 0 (default silver 0, gold 1000, platinum 2000, diamond 4000). A changed ' +
      'tier table re-evaluates every member within a quarter hour, by the monthly rules: a member keeps ' +
      'an earned tier the table still has and is placed by score otherwise. Benefits, audiences and care ' +
      'settings must name tiers of the table.',
    body: loyaltySettingsBody,
    responses: {
      200: { description: 'The settings as saved', body: z.object({ loyalty: loyaltySettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody) },
  },
  'PATCH /v1/settings/loyalty': {
    summary: 'Change some loyalty settings',
    description:
      'Changes the fields sent, each replaced whole (`tiers` is the whole table), and keeps the ' +
      'others as they are. The result is checked as a PUT would be.',
    body: settingsPatchOf(loyaltySettingsSchema),
    responses: {
      200: { description: 'The settings as saved', body: z.object({ loyalty: loyaltySettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody, 'no field was sent') },
  },
  'GET /v1/settings/sending': {
    summary: 'Sending settings',
    description:
      'How your texts go out: messages per second, the hours marketing may go out (`marketingHours`), frequency and ' +
      'carrier caps, the unsubscribe line, registered templates, your own opt-out words and the price per part. ' +
      'Beside them, `timeZone`: the zone your marketing hours and recurring schedules are read in.',
    responses: {
      200: {
        description: 'The settings',
        body: z.object({ sending: sendingSettingsSchema, timeZone: z.string() }),
      },
    },
    errors: {},
  },
  'PUT /v1/settings/sending': {
    summary: 'Set how texts go out',
    description:
      'Replaces the sending settings whole: a field left out takes the default the schema shows (PATCH ' +
      'changes some fields and keeps the others). Texts ' +
      'already queued go out under the new settings.',
    body: sendingSettingsBody,
    responses: {
      200: { description: 'The settings as saved', body: z.object({ sending: sendingSettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody) },
  },
  'PATCH /v1/settings/sending': {
    summary: 'Change some sending settings',
    description:
      'Changes the fields sent, each replaced whole (`frequencyCap` takes both of its numbers or their ' +
      'defaults), and keeps the others as they are, e.g. `{"marketingHours":{"start":"10:00","end":"21:00"}}`.',
    body: settingsPatchOf(sendingSettingsSchema),
    responses: {
      200: { description: 'The settings as saved', body: z.object({ sending: sendingSettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody, 'no field was sent') },
  },
};
