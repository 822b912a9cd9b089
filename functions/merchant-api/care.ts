import * as z from 'zod';
import { consentRefusal, type MarketingRefusal } from '../../shared/domain/consent';
import { signedText, textBilling } from '../../shared/domain/sms-text';
import { dateIn } from '../../shared/domain/time';
import { type CareSettings, careSettingsSchema } from '../../shared/schemas/care';
import type { Merchant } from '../../shared/schemas/merchant';
import type { CareDeps } from '../../shared/use-cases/care-texts';
import { HttpError, json, parseBody, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';
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

const careNotSetUp = () =>
  new HttpError(404, 'care_not_set_up', 'no care settings yet: PUT /v1/care/settings first');

/** Festivals and special days may only be addressed to tiers of the merchant's table. */
function refuseUnknownCareTiers(merchant: Merchant, care: CareSettings): void {
  refuseUnknownTiers(merchant, [
    ...care.festivals.map((festival, i) => ({
      path: `festivals.${i}.audience.tiers`,
      codes: festival.audience?.tiers ?? [],
    })),
    ...care.specialDays.map((day, i) => ({
      path: `specialDays.${i}.audience.tiers`,
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

const consentReasons: Record<MarketingRefusal, string> = {
  'opted-out': 'opted out of marketing',
  'no-consent': 'never opted in to marketing',
  complaint: 'complained; marketing held until the complaint is cleared',
};

const carePreviewQuery = z.strictObject({ date: z.iso.date().optional() });

/**
 * The dry run: who would get what on a date (the merchant's today by default), signed and with
 * its part count, and which marketing texts consent would stop, without sending anything.
 */
export async function previewCareTexts(
  request: Request,
  merchant: Merchant,
  deps: CareRoutesDeps,
): Promise<Response> {
  const query = carePreviewQuery.safeParse(request.queryStringParameters ?? {});
  if (!query.success) throw new HttpError(400, 'invalid_query', 'date: a date as YYYY-MM-DD');
  const settings = await deps.care.settings(merchant.merchantId);
  if (!settings) throw careNotSetUp();
  const now = deps.clock();
  const date = query.data.date ?? dateIn(merchant.timeZone, now);
  // Loaded on the first preview: the care texts need the lunar calendar, which no other route does.
  const { previewCare } = await import('../../shared/use-cases/care-texts');
  const texts = await previewCare(merchant, settings, date, now, deps);
  const previews = await Promise.all(
    texts.map(async (text) => {
      const signed = signedText(text.body, {
        signature: merchant.signature,
        unsubscribeLine: merchant.sending.unsubscribeLine,
        category: text.category,
      });
      const stopped = consentRefusal(text, await deps.members.contact(merchant.merchantId, text.to));
      return {
        occasion: text.occasion,
        to: text.to,
        text: signed,
        category: text.category,
        segments: textBilling(signed).segments,
        ...(stopped ? { skipped: consentReasons[stopped] } : {}),
      };
    }),
  );
  return json(200, { preview: { date, texts: previews } });
}

export const careRouteDocs: RouteDocsFor<'/v1/care'> = {
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
  'GET /v1/care/preview': {
    summary: 'Dry run of the care texts for a date',
    description:
      'Who would get which text on `date` (your today by default), signed, with its part count, and ' +
      'which marketing texts an opt-out would stop. Nothing is sent or recorded.',
    query: carePreviewQuery,
    responses: {
      200: {
        description: 'The texts the date would bring',
        body: z.object({
          preview: z.object({
            date: z.iso.date(),
            texts: z.array(
              z.object({
                occasion: z.string(),
                to: z.string(),
                text: z.string(),
                category: z.enum(['service', 'marketing']),
                segments: z.number().int(),
                skipped: z.string().optional(),
              }),
            ),
          }),
        }),
      },
    },
    errors: { 400: anyOf(invalidQuery), 404: 'Care has not been set up yet' },
  },
};
