import { loyaltySettingsSchema, type Merchant, sendingSettingsSchema } from '../../shared/schemas/merchant';
import type { DirectoryStore } from '../../shared/store/directory';
import { json, parseBody, type Request, type Response } from './http';

export interface SettingsRoutesDeps {
  directory: DirectoryStore;
}

/** The strict body: every field of the loyalty settings, defaults filled where left out. */
export const loyaltySettingsBody = loyaltySettingsSchema.strict();

export async function getLoyaltySettings(_request: Request, merchant: Merchant): Promise<Response> {
  return json(200, { loyalty: merchant.loyalty });
}

/**
 * Replaces the earn rate, the points expiry policy and the tier table. A new tier table applies
 * from the next evaluation (the 1st of the month, or 1 January); members keep their tier until then.
 */
export async function putLoyaltySettings(
  request: Request,
  merchant: Merchant,
  deps: SettingsRoutesDeps,
): Promise<Response> {
  const loyalty = parseBody(request, loyaltySettingsBody);
  await deps.directory.setLoyalty(merchant.merchantId, loyalty);
  return json(200, { loyalty });
}

/** The strict body: every field of the sending settings, defaults filled where left out. */
export const sendingSettingsBody = sendingSettingsSchema.strict();

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
