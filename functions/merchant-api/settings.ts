import { loyaltySettingsSchema, type Merchant } from '../../shared/schemas/merchant';
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
