import * as z from 'zod';
import { eventOf, memberConsentChanged } from '../../events';
import {
  consentChangeSchema,
  type MarketingConsent,
  marketingConsentSchema,
  suppressionClearSchema,
  suppressionEventSchema,
  suppressionSchema,
} from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import type { MembersStore } from '../../shared/store/members';
import { HttpError, json, parseBody, phoneParam, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidPhone, phonePath, type RouteDocsOf } from './route-docs';

/**
 * A phone's marketing consent and complaints, member or not: consent is kept per phone, so a
 * customer who opted out before joining stays opted out.
 */

export interface ConsentRoutesDeps {
  members: Pick<MembersStore, 'contact' | 'recordMarketingConsent' | 'consentExport' | 'clearSuppression'>;
  clock: () => Date;
}

const consentExportSchema = z.object({
  consent: z.object({
    phone: z.string(),
    /** `none`: the phone never opted in or out, so it gets no marketing. */
    status: z.enum(['subscribed', 'unsubscribed', 'none']),
    /** Present while a complaint holds marketing back. */
    suppression: suppressionSchema.optional(),
    /** Every consent change, oldest first: the proof of consent. */
    records: z.array(marketingConsentSchema),
    /** Every complaint, and who cleared it and why, oldest first. */
    suppressionHistory: z.array(suppressionEventSchema),
  }),
});
const consentAnswerSchema = z.object({
  consent: marketingConsentSchema,
  /** False when the phone already had that status: nothing was recorded. */
  changed: z.boolean(),
});
const clearedAnswerSchema = z.object({ suppression: suppressionSchema });

/** `GET /v1/members/{phone}/consent`: everything a regulator may ask to see for the phone. */
export async function exportConsent(
  request: Request,
  merchant: Merchant,
  deps: ConsentRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const found = await deps.members.consentExport(merchant.merchantId, phone);
  return json(200, {
    consent: {
      phone,
      status: found.marketing?.status ?? 'none',
      suppression: found.suppression,
      records: found.consent,
      suppressionHistory: found.suppressionHistory,
    },
  } satisfies z.infer<typeof consentExportSchema>);
}

/**
 * `POST /v1/members/{phone}/consent`: the merchant records an opt-in or opt-out it was given, with
 * how (`source`). Setting the status the phone already has records nothing, so a retry is harmless.
 */
export async function recordConsent(
  request: Request,
  merchant: Merchant,
  deps: ConsentRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const change = parseBody(request, consentChangeSchema);
  const requestId = request.requestContext.requestId;
  const consent: MarketingConsent = {
    status: change.status,
    changedAt: deps.clock().toISOString(),
    channel: change.channel,
    source: change.source,
    ref: requestId,
  };
  // The event is committed with the change, in the outbox; a retry (replayed) writes neither again.
  const outcome = await deps.members.recordMarketingConsent(merchant.merchantId, phone, consent, {
    events: [
      eventOf(memberConsentChanged, {
        eventId: `consent:${requestId}`,
        merchantId: merchant.merchantId,
        phone,
        status: consent.status,
        channel: consent.channel,
        changedAt: consent.changedAt,
      }),
    ],
  });
  if (outcome === 'unchanged') {
    const { marketing } = await deps.members.contact(merchant.merchantId, phone);
    return json(200, { consent: marketing ?? consent, changed: false } satisfies z.infer<
      typeof consentAnswerSchema
    >);
  }
  return json(201, { consent, changed: true } satisfies z.infer<typeof consentAnswerSchema>);
}

/**
 * `DELETE /v1/members/{phone}/suppression`: a person dealt with the complaint, and marketing may go
 * to the phone again if it is subscribed. Who and why are kept with the complaint.
 */
export async function clearSuppression(
  request: Request,
  merchant: Merchant,
  deps: ConsentRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const { clearedBy, note } = parseBody(request, suppressionClearSchema);
  const outcome = await deps.members.clearSuppression(merchant.merchantId, phone, {
    at: deps.clock(),
    clearedBy,
    note,
    ref: request.requestContext.requestId,
  });
  switch (outcome.status) {
    case 'not-suppressed':
      throw new HttpError(404, 'not_suppressed', `no complaint holds back marketing to ${phone}`);
    case 'conflict':
      throw new HttpError(409, 'concurrent_update', 'another complaint arrived at the same time; try again');
    case 'cleared':
      return json(200, { suppression: outcome.suppression } satisfies z.infer<typeof clearedAnswerSchema>);
  }
}

export const consentRouteDocs: RouteDocsOf<
  | 'GET /v1/members/{phone}/consent'
  | 'POST /v1/members/{phone}/consent'
  | 'DELETE /v1/members/{phone}/suppression'
> = {
  'GET /v1/members/{phone}/consent': {
    summary: 'Proof of marketing consent',
    description:
      "The phone's marketing status and every opt-in and opt-out, oldest first, each with when, how " +
      '(text keyword, API, import, staff), its exact text or source and what caused it; and every ' +
      'complaint and who cleared it. Kept for phones that never joined, and after a member is deleted.',
    pathParameters: phonePath,
    responses: { 200: { description: 'The consent record', body: consentExportSchema } },
    errors: { 400: anyOf(invalidPhone) },
  },
  'POST /v1/members/{phone}/consent': {
    summary: 'Record an opt-in or opt-out',
    description:
      'Records consent the customer gave or withdrew outside texts (a signed form, at the counter), with ' +
      '`source` saying how. Marketing goes only to phones that opted in. Setting the status the phone ' +
      'already has records nothing (`changed: false`), so a retry is harmless.',
    pathParameters: phonePath,
    body: consentChangeSchema,
    responses: {
      201: { description: 'Recorded', body: consentAnswerSchema },
      200: { description: 'The phone already had that status: nothing recorded', body: consentAnswerSchema },
    },
    errors: { 400: anyOf(invalidPhone, invalidBody) },
  },
  'DELETE /v1/members/{phone}/suppression': {
    summary: 'Clear a complaint',
    description:
      'A complaint (投诉, 举报, or spam feedback from the carrier) stops marketing to the phone until a ' +
      'person clears it here, saying who and why. Marketing then goes again if the phone is opted in.',
    pathParameters: phonePath,
    body: suppressionClearSchema,
    responses: { 200: { description: 'The complaint that was cleared', body: clearedAnswerSchema } },
    errors: {
      400: anyOf(invalidPhone, invalidBody),
      404: 'No complaint holds back marketing to the phone',
      409: 'Another complaint arrived at the same time; try again',
    },
  },
};
