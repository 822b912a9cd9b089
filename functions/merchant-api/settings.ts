import { z } from 'zod';
import { loyaltySettingsSchema, type Merchant, sendingSettingsSchema } from '../../shared/schemas/merchant';
import type { DirectoryStore } from '../../shared/store/directory';
import { json, parseBody, type Request, type Response } from './http';
import { anyOf, invalidBody, type RouteDocsFor } from './route-docs';

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
  const loyalty = parseBody(request, loyaltySettingsBody);
  const tiersChanged = JSON.stringify(loyalty.tiers) !== JSON.stringify(merchant.loyalty.tiers);
  await deps.directory.setLoyalty(merchant.merchantId, loyalty, tiersChanged ? deps.clock() : undefined);
  return json(200, { loyalty });
}

/** The strict body: every field of the sending settings, defaults filled where left out. */
const sendingSettingsBody = sendingSettingsSchema.strict();

export async function getSendingSettings(_request: Request, merchant: Merchant): Promise<Response> {
  return json(200, { sending: merchant.sending });
}

/**
 * Replaces how the merchant's texts go out. send-sms reads the settings at each send, so texts
 * already queued go out under the new rules: a narrower quiet-hours window holds them back too.
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
      'Replaces the loyalty settings. Tiers: ascending thresholds starting at 0 (default silver 0, ' +
      'gold 1000, platinum 2000, diamond 4000). A changed tier table re-evaluates every member within ' +
      'a quarter hour, by the monthly rules: a member keeps an earned tier the table still has and is ' +
      'placed by score otherwise. Benefits, audiences and care settings must name tiers of the table.',
    body: loyaltySettingsBody,
    responses: {
      200: { description: 'The settings as saved', body: z.object({ loyalty: loyaltySettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody) },
  },
  'GET /v1/settings/sending': {
    summary: 'Sending settings',
    description:
      'How your texts go out: messages per second, the quiet hours marketing waits out, frequency and ' +
      'carrier caps, the unsubscribe line, registered templates, your own opt-out words and the price per part.',
    responses: { 200: { description: 'The settings', body: z.object({ sending: sendingSettingsSchema }) } },
    errors: {},
  },
  'PUT /v1/settings/sending': {
    summary: 'Set how texts go out',
    description:
      'Replaces the sending settings; a field left out takes the default the schema shows. Texts ' +
      'already queued go out under the new settings.',
    body: sendingSettingsBody,
    responses: {
      200: { description: 'The settings as saved', body: z.object({ sending: sendingSettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody) },
  },
};
