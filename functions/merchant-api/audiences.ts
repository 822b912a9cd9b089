import { z } from 'zod';
import { audienceSchema } from '../../shared/domain/audience';
import { memberSchema } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import type { AudienceReader } from '../../shared/store/audience-members';
import {
  type AudiencesStore,
  audienceIdSchema,
  audienceNameSchema,
  savedAudienceSchema,
} from '../../shared/store/audiences';
import { HttpError, json, pageQuery, parseBody, parseQuery, type Request, type Response } from './http';

/**
 * Audiences: saved definitions of which members a campaign is for, and a preview of who they are
 * today. A preview reads members; it sends nothing and changes nothing.
 */

export interface AudienceRoutesDeps {
  audiences: AudiencesStore;
  audienceReader: Pick<AudienceReader, 'preview'>;
  clock: () => Date;
}

export const maxPreviewSample = 20;

export const newAudienceSchema = z.strictObject({ name: audienceNameSchema, definition: audienceSchema });

export const audiencePreviewSchema = z
  .strictObject({
    definition: audienceSchema.optional(),
    audienceId: audienceIdSchema.optional(),
    sampleSize: z
      .int('sampleSize: a whole number')
      .min(0, 'sampleSize: at least 0')
      .max(maxPreviewSample, `sampleSize: at most ${maxPreviewSample}`)
      .default(10),
  })
  .refine((body) => (body.definition === undefined) !== (body.audienceId === undefined), {
    message: 'give "definition" (an audience) or "audienceId" (a saved one), not both',
    path: ['definition'],
  });

export const audiencesQuerySchema = z.strictObject(pageQuery(audienceIdSchema, 20));

export const audienceAnswerSchema = z.object({ audience: savedAudienceSchema });
export const audiencesPageSchema = z.object({
  audiences: z.array(savedAudienceSchema),
  cursor: audienceIdSchema.optional(),
});
export const audiencePreviewAnswerSchema = z.object({
  /** Members the audience holds now, opted out of marketing or not: consent is checked as each text is sent. */
  count: z.int().nonnegative(),
  sample: z.array(memberSchema.pick({ phone: true, name: true, memberId: true, tier: true })),
});

const notFound = () => new HttpError(404, 'audience_not_found', 'no audience with this id');

/** The saved audience the path names; another merchant's is not found. */
async function savedAudience(request: Request, merchant: Merchant, deps: AudienceRoutesDeps) {
  const audienceId = audienceIdSchema.safeParse(request.pathParameters?.audienceId);
  const audience = audienceId.success && (await deps.audiences.get(merchant.merchantId, audienceId.data));
  if (!audience) throw notFound();
  return audience;
}

/** `POST /v1/audiences` */
export async function createAudience(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, newAudienceSchema);
  const audience = await deps.audiences.create(merchant.merchantId, body, deps.clock());
  return json(201, { audience } satisfies z.infer<typeof audienceAnswerSchema>);
}

/** `GET /v1/audiences`: newest first. */
export async function listAudiences(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const page = await deps.audiences.list(merchant.merchantId, parseQuery(request, audiencesQuerySchema));
  return json(200, page satisfies z.infer<typeof audiencesPageSchema>);
}

/** `GET /v1/audiences/{audienceId}` */
export async function getAudience(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const audience = await savedAudience(request, merchant, deps);
  return json(200, { audience } satisfies z.infer<typeof audienceAnswerSchema>);
}

/** `DELETE /v1/audiences/{audienceId}`: campaigns that named it stop at their next run. */
export async function deleteAudience(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const audienceId = audienceIdSchema.safeParse(request.pathParameters?.audienceId);
  if (!audienceId.success || !(await deps.audiences.delete(merchant.merchantId, audienceId.data))) {
    throw notFound();
  }
  return json(200, { audienceId: audienceId.data, deleted: true });
}

/** `POST /v1/audiences/preview`: how many members an audience holds now, and a few of them. */
export async function previewAudience(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const { definition, audienceId, sampleSize } = parseBody(request, audiencePreviewSchema);
  const audience =
    audienceId === undefined
      ? definition
      : (await deps.audiences.get(merchant.merchantId, audienceId))?.definition;
  if (!audience) throw notFound();
  const preview = await deps.audienceReader.preview(merchant.merchantId, audience, {
    now: deps.clock(),
    timeZone: merchant.timeZone,
    sampleSize,
  });
  const sample = preview.sample.map(({ phone, name, memberId, tier }) => ({ phone, name, memberId, tier }));
  return json(200, { count: preview.count, sample } satisfies z.infer<typeof audiencePreviewAnswerSchema>);
}
