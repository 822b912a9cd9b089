import * as z from 'zod';
import { type CareSettings, careSettingsSchema } from '../../shared/schemas/care';
import type { Merchant } from '../../shared/schemas/merchant';
import type { CareDeps } from '../../shared/use-cases/care-texts';
import { HttpError, json, parseBody, type Request, type Response } from './http';
import { anyOf, invalidBody, type RouteDocsFor } from './route-docs';
import { settingsPatchOf, withPatch } from './settings-patch';
import { refuseUnknownTiers } from './tier-codes';

export type CareRoutesDeps = CareDeps & { clock: () => Date };

/** Replaces the merchant's care settings; templates with unknown variables are refused here. */
export async function putCareSettings(
  request: Request,
  merchant: Merchant,
  deps: CareRoutesDeps,
): Promise<Response> {
  const care = parseBody(request, careSettingsSchema);
  refuseUnknownCareTiers(merchant, care);
  await deps.care.saveSettings(merchant.merchantId, care, deps.clock());
  return json(200, { care });
}

/** Changes the fields sent and keeps the others; care must have been set up first. */
export async function patchCareSettings(
  request: Request,
  merchant: Merchant,
  deps: CareRoutesDeps,
): Promise<Response> {
  const patch = parseBody(request, settingsPatchOf(careSettingsSchema));
  const current = await deps.care.settings(merchant.merchantId);
  if (!current) throw careNotSetUp();
  const care = withPatch(current, patch, careSettingsSchema);
  refuseUnknownCareTiers(merchant, care);
  await deps.care.saveSettings(merchant.merchantId, care, deps.clock());
  return json(200, { care });
}

export const careNotSetUp = () =>
  new HttpError(404, 'care_not_set_up', 'no care settings yet: PUT /v1/care/settings first');

/** Festivals and special days may only be addressed to tiers of the merchant's table. */
export function refuseUnknownCareTiers(merchant: Merchant, care: CareSettings, prefix = ''): void {
  refuseUnknownTiers(merchant, [
    ...care.festivals.map((festival, i) => ({
      path: `${prefix}festivals.${i}.audience.tiers`,
      codes: festival.audience?.tiers ?? [],
    })),
    ...care.specialDays.map((day, i) => ({
      path: `${prefix}specialDays.${i}.audience.tiers`,
      codes: day.audience?.tiers ?? [],
    })),
  ]);
}

export async function getCareSettings(
  _request: Request,
  merchant: Merchant,
  deps: CareRoutesDeps,
): Promise<Response> {
  const care = await deps.care.settings(merchant.merchantId);
  if (!care) throw careNotSetUp();
  return json(200, { care });
}

export const careRouteDocs: RouteDocsFor<'/v1/care/settings'> = {
  'GET /v1/care/settings': {
    summary: 'Care settings',
    description:
      'Your care automations: birthday, anniversary, festival and special-day greetings and reminders.',
    responses: { 200: { description: 'The settings', body: z.object({ care: careSettingsSchema }) } },
    errors: { 404: 'Care has not been set up yet' },
  },
  'PUT /v1/care/settings': {
    summary: 'Set up care automations',
    description:
      'Replaces the care settings whole: a field left out takes its default (PATCH changes some ' +
      'fields and keeps the others). Templates may use {{name}}, {{points}}, {{tier}}, {{balance}}, ' +
      '{{expiry_date}}, {{expiring_points}}, {{merchant}}, {{benefit}}, {{years}}, {{festival}}, {{date}}; ' +
      'a template naming any other variable is refused. Texts go out only inside `sendWindow` ' +
      '(default 09:00–20:00, your time zone); greetings are marketing texts, so they also wait for the ' +
      "sending settings' `marketingHours`, and skip members who opted out.",
    body: careSettingsSchema,
    responses: {
      200: { description: 'The settings as saved', body: z.object({ care: careSettingsSchema }) },
    },
    errors: { 400: anyOf(invalidBody) },
  },
  'PATCH /v1/care/settings': {
    summary: 'Change some care settings',
    description:
      'Changes the fields sent, each replaced whole (`birthday` is the whole birthday greeting), and ' +
      'keeps the others as they are. The result is checked as a PUT would be.',
    body: settingsPatchOf(careSettingsSchema),
    responses: {
      200: { description: 'The settings as saved', body: z.object({ care: careSettingsSchema }) },
    },
    errors: {
      400: anyOf(invalidBody, 'no field was sent'),
      404: 'Care has not been set up yet: PUT it first',
    },
  },
};
