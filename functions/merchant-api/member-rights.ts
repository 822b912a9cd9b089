import * as z from 'zod';
import { toMobileE164 } from '../../shared/domain/phone';
import { pseudonymsOf } from '../../shared/domain/phone-proof';
import { marketingConsentSchema, suppressionEventSchema } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import type { PersonalData, PersonalDataStore } from '../../shared/store/personal-data';
import { HttpError, json, parseBody, phoneParam, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidPhone, phonePath, type RouteDocsOf } from './route-docs';

/**
 * A member's rights over their personal data (PIPL arts. 45 and 47): a copy of everything held about
 * their phone, and its erasure with the books and the proof of consent kept under the phone's proof.
 */
export interface MemberRightsRoutesDeps {
  personalData: PersonalDataStore;
  /** The key of phones' proofs (shared/domain/phone-proof.ts). */
  phoneProofKey: string;
  clock: () => Date;
}

const records = z.array(z.record(z.string(), z.unknown()));

const erasedMemberSchema = z.object({
  phoneProof: z.string(),
  erasedAt: z.iso.datetime(),
  memberId: z.string().optional(),
  points: z.int(),
  storedValue: z.int(),
  pointsConsumed: z.int().optional(),
  spendByYear: z.record(z.string(), z.int()).optional(),
  joinedAt: z.iso.datetime().optional(),
});

const receivedTextSchema = z.object({
  at: z.string(),
  text: z.string(),
  /** Where the text is kept: the consent record it made, the ticket it opened, or a survey answer. */
  keptAs: z.enum(['consent', 'complaint', 'ticket', 'survey-answer']),
});

const exportAnswerSchema = z.object({
  export: z.object({
    phone: z.string(),
    exportedAt: z.iso.datetime(),
    /** The member's profile, balances, tier, tags and activity (deleted members too); absent for a phone that never joined. */
    member: z.record(z.string(), z.unknown()).optional(),
    consent: z.object({
      records: z.array(marketingConsentSchema),
      suppressionHistory: z.array(suppressionEventSchema),
    }),
    ledger: records,
    claims: records,
    tickets: records,
    surveyAnswers: records,
    surveyProgress: records,
    keywordUses: records,
    reminders: records,
    textsSent: records,
    textsReceived: z.array(receivedTextSchema),
    /** Present once the phone's data was erased: what is kept under its proof. */
    erasure: erasedMemberSchema.optional(),
  }),
});

const eraseBodySchema = z.object({
  /** The phone again, as a safeguard against erasing the wrong member: it must be the phone in the path. */
  confirmPhone: z.string().min(1, 'confirmPhone: type the phone of the member to erase'),
});

const erasureCountsSchema = z.object({
  texts: z.int(),
  tickets: z.int(),
  surveyAnswers: z.int(),
  keywordUses: z.int(),
  reminders: z.int(),
  auditEntries: z.int(),
  coupons: z.int(),
  lots: z.int(),
});
const eraseAnswerSchema = z.object({
  erasure: erasedMemberSchema.extend({
    /** Records that lost their personal data in this call: all zero when the phone was erased before. */
    counts: erasureCountsSchema,
  }),
});

/** The texts the phone sent that are kept (in consent records, tickets and survey answers), oldest first. */
function textsReceived(data: PersonalData): z.infer<typeof receivedTextSchema>[] {
  const texts: z.infer<typeof receivedTextSchema>[] = [
    ...data.consent.consent
      .filter((record) => record.channel === 'sms-keyword')
      .map((record) => ({ at: record.changedAt, text: record.source, keptAs: 'consent' as const })),
    ...data.consent.suppressionHistory.flatMap((event) =>
      event.event === 'complaint' && event.channel === 'sms-keyword'
        ? [{ at: event.at, text: event.source, keptAs: 'complaint' as const }]
        : [],
    ),
    ...data.tickets.map((ticket) => ({
      at: String(ticket.openedAt),
      text: String(ticket.message),
      keptAs: 'ticket' as const,
    })),
    ...data.surveyAnswers.flatMap((answer) => {
      const value = answer.value as { kind: string; text?: string; wrote?: string };
      const text = value.text ?? value.wrote;
      return text === undefined
        ? []
        : [{ at: String(answer.answeredAt), text, keptAs: 'survey-answer' as const }];
    }),
  ];
  return texts.sort((a, b) => a.at.localeCompare(b.at));
}

/** `GET /v1/members/{phone}/export`: everything held about the phone, as one JSON document. */
export async function exportMemberData(
  request: Request,
  merchant: Merchant,
  deps: MemberRightsRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const data = await deps.personalData.exportOf(merchant.merchantId, pseudonymsOf(deps.phoneProofKey, phone));
  const { consent, erasure, ...rest } = data;
  const { merchantId: _tenant, ...kept } = erasure ?? { merchantId: '' };
  return json(200, {
    export: {
      phone,
      exportedAt: deps.clock().toISOString(),
      ...rest,
      consent: { records: consent.consent, suppressionHistory: consent.suppressionHistory },
      textsReceived: textsReceived(data),
      ...(erasure ? { erasure: kept as z.infer<typeof erasedMemberSchema> } : {}),
    },
  } satisfies z.infer<typeof exportAnswerSchema>);
}

/**
 * `POST /v1/members/{phone}/erase`: erases the member's personal data. Erasing again answers the
 * first erasure, with nothing more to erase.
 */
export async function eraseMemberData(
  request: Request,
  merchant: Merchant,
  deps: MemberRightsRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const { confirmPhone } = parseBody(request, eraseBodySchema);
  const confirmed = toMobileE164(confirmPhone, merchant.defaultCountry);
  if (!confirmed.ok || confirmed.phone !== phone) {
    throw new HttpError(
      400,
      'phone_not_confirmed',
      `confirmPhone: ${confirmPhone} is not ${phone}, the phone to erase`,
      [{ path: 'confirmPhone', message: `type ${phone}, the phone to erase` }],
    );
  }
  const { erased, counts } = await deps.personalData.erase(
    merchant.merchantId,
    pseudonymsOf(deps.phoneProofKey, phone),
    deps.clock(),
  );
  const { merchantId: _tenant, ...kept } = erased;
  return json(200, { erasure: { ...kept, counts } } satisfies z.infer<typeof eraseAnswerSchema>);
}

export const memberRightsRouteDocs: RouteDocsOf<
  'GET /v1/members/{phone}/export' | 'POST /v1/members/{phone}/erase'
> = {
  'GET /v1/members/{phone}/export': {
    summary: "A copy of a member's personal data",
    description:
      'Everything held about the phone at your shop, as one JSON document, for a request under PIPL ' +
      'art. 45: the profile with balances, tier, tags and activity; the ledger; every consent change and ' +
      'complaint; claims; tickets; survey answers and progress; keyword uses; reminders; the texts sent ' +
      '(with their words) and the texts received that are kept. A phone that never joined answers with ' +
      'what is held for it (its consent, say). Once erased, `erasure` shows what is kept under its proof.',
    pathParameters: phonePath,
    responses: { 200: { description: 'The personal data', body: exportAnswerSchema } },
    errors: { 400: anyOf(invalidPhone) },
  },
  'POST /v1/members/{phone}/erase': {
    summary: "Erase a member's personal data",
    description:
      'Erases the personal data of the phone (PIPL art. 47): profile, tags and activity; the words of ' +
      'every text sent to it and of its tickets, survey answers and reminders. The ledger and balances, ' +
      'claims and the proof of consent and complaints stay, with the phone replaced by its proof (an ' +
      "HMAC under the deployment's secret) and the customer's own texts by theirs, so the books still " +
      'balance and consent can still be shown for the number. The phone is then no member (404), its ' +
      'coupons unknown; the audit log names the proof. Texts queued for the phone before the erasure ' +
      'are not sent (their records say `suppressed`, reason `erased`). `confirmPhone` must repeat the ' +
      'phone. Erasing again answers the first erasure, with nothing more to erase. Owners only.',
    pathParameters: phonePath,
    body: eraseBodySchema,
    responses: { 200: { description: 'Erased (or erased before)', body: eraseAnswerSchema } },
    errors: {
      400: anyOf(
        invalidPhone,
        invalidBody,
        '`confirmPhone` is not the phone in the path (`phone_not_confirmed`): nothing was erased',
      ),
    },
  },
};
