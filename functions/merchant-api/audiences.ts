import * as z from 'zod';
import {
  audienceFields,
  audienceOps,
  audienceSchema,
  maxAudienceConditions,
  maxAudienceDepth,
  maxListValues,
  tierCodesIn,
} from '../../shared/domain/audience';
import { campaignCategory } from '../../shared/domain/reach';
import { memberSchema } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import { templateIdSchema } from '../../shared/schemas/template';
import {
  type AudiencesStore,
  audienceIdSchema,
  audienceNameSchema,
  savedAudienceSchema,
} from '../../shared/store/audiences';
import type { TemplatesStore } from '../../shared/store/templates';
import { type AudienceReachDeps, audienceReach } from '../../shared/use-cases/audience-reach';
import { HttpError, json, pageQuery, parseBody, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';
import { refuseUnknownTiers } from './tier-codes';

/**
 * Audiences: saved definitions of which members a campaign is for, and a preview of who they are
 * today. A preview reads members; it sends nothing and changes nothing.
 */

export interface AudienceRoutesDeps extends AudienceReachDeps {
  audiences: AudiencesStore;
  templates: Pick<TemplatesStore, 'get'>;
  clock: () => Date;
}

const maxPreviewSample = 20;

const audienceFieldsSchema = z.strictObject({ name: audienceNameSchema, definition: audienceSchema });
const newAudienceSchema = audienceFieldsSchema.extend({
  /**
   * The new audience's id, made by the client (a ULID): a repeated request with it saves the audience
   * once and answers it again.
   */
  audienceId: audienceIdSchema.optional(),
});
const audiencePatchSchema = audienceFieldsSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change');

const audiencePreviewSchema = z
  .strictObject({
    definition: audienceSchema.optional(),
    audienceId: audienceIdSchema.optional(),
    /** The template a campaign would send: a registered service template reaches members without consent. */
    templateId: templateIdSchema.optional(),
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

const audiencesQuerySchema = z.strictObject(pageQuery(audienceIdSchema, 20));

const audienceAnswerSchema = z.object({ audience: savedAudienceSchema });
const audiencesPageSchema = z.object({
  audiences: z.array(savedAudienceSchema),
  cursor: audienceIdSchema.optional(),
});
const audiencePreviewAnswerSchema = z.object({
  preview: z.object({
    /** Members the audience holds now, whether a text would reach them or not. */
    count: z.int().nonnegative(),
    /** How a campaign's texts would go: marketing, unless the template is a registered service template. */
    category: z.enum(['marketing', 'service']),
    /** Members a campaign text would be sent to: a valid number, and marketing consent unless it is a service text. */
    reachable: z.int().nonnegative(),
    /** Of the reachable, those without marketing consent, who get it as a service notice. */
    serviceNotices: z.int().nonnegative(),
    /** Members it would not be sent to, by reason: no-consent, opted-out, complaint, invalid-number. */
    unreachable: z.record(z.string(), z.int().nonnegative()),
    sample: z.array(memberSchema.pick({ phone: true, name: true, memberId: true, tier: true })),
  }),
});

const audienceFieldsAnswerSchema = z.object({
  /** The audience language: what a condition may test, and the bounds on a definition. */
  language: z.object({
    fields: z.array(
      z.object({
        /** What a condition names; for custom attributes, `attributes.` followed by the attribute's name. */
        name: z.string(),
        describe: z.string(),
        ops: z.array(z.enum(audienceOps)),
        /** The periods a condition on it must name one of. */
        windows: z.array(z.string()).optional(),
        value: z.object({
          kind: z.enum(['text', 'integer', 'date', 'choice', 'any']),
          min: z.number().optional(),
          max: z.number().optional(),
          maxLength: z.int().optional(),
          choices: z.array(z.string()).optional(),
          /** The merchant's name for each choice, where it has one (tiers). */
          names: z.record(z.string(), z.string()).optional(),
        }),
      }),
    ),
    limits: z.object({ depth: z.int(), conditions: z.int(), listValues: z.int() }),
  }),
});

const notFound = () => new HttpError(404, 'audience_not_found', 'no audience with this id');

/** The saved audience the path names; another merchant's is not found. */
async function savedAudience(request: Request, merchant: Merchant, deps: AudienceRoutesDeps) {
  const audienceId = audienceIdSchema.safeParse(request.pathParameters?.audienceId);
  const audience = audienceId.success && (await deps.audiences.get(merchant.merchantId, audienceId.data));
  if (!audience) throw notFound();
  return audience;
}

/**
 * `POST /v1/audiences`. With the client's `audienceId`, a repeat saves nothing more and answers the
 * audience saved (200); the id already holding another audience is refused (409).
 */
export async function createAudience(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, newAudienceSchema);
  refuseUnknownTiers(merchant, [{ path: 'definition', codes: tierCodesIn(body.definition) }]);
  const { audience, created } = await deps.audiences.create(merchant.merchantId, body, deps.clock());
  const same =
    audience.name === body.name && JSON.stringify(audience.definition) === JSON.stringify(body.definition);
  if (!created && !same) {
    throw new HttpError(409, 'audience_exists', `audienceId: ${audience.audienceId} is another audience`);
  }
  return json(created ? 201 : 200, { audience } satisfies z.infer<typeof audienceAnswerSchema>);
}

/** `GET /v1/audiences/fields`: what an audience may test, for a builder to offer. */
export async function listAudienceFields(
  _request: Request,
  merchant: Merchant,
  _deps: AudienceRoutesDeps,
): Promise<Response> {
  const tiers = merchant.loyalty.tiers;
  const fields = audienceFields().map((field) =>
    field.name === 'tier'
      ? {
          ...field,
          value: {
            kind: 'choice' as const,
            choices: tiers.map((tier) => tier.code),
            names: Object.fromEntries(tiers.map((tier) => [tier.code, tier.name])),
          },
        }
      : field,
  );
  return json(200, {
    language: {
      fields: fields.map((field) => ({
        ...field,
        ops: [...field.ops],
        windows: field.windows && [...field.windows],
      })),
      limits: { depth: maxAudienceDepth, conditions: maxAudienceConditions, listValues: maxListValues },
    },
  } satisfies z.infer<typeof audienceFieldsAnswerSchema>);
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

/** `PATCH /v1/audiences/{audienceId}`: campaigns naming it read the new definition at their next run. */
export async function updateAudience(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const audienceId = audienceIdSchema.safeParse(request.pathParameters?.audienceId);
  const change = parseBody(request, audiencePatchSchema);
  if (change.definition)
    refuseUnknownTiers(merchant, [{ path: 'definition', codes: tierCodesIn(change.definition) }]);
  const audience =
    audienceId.success &&
    (await deps.audiences.update(merchant.merchantId, audienceId.data, change, deps.clock()));
  if (!audience) throw notFound();
  return json(200, { audience } satisfies z.infer<typeof audienceAnswerSchema>);
}

/** `DELETE /v1/audiences/{audienceId}`: campaigns that named it stop at their next run. */
export async function deleteAudience(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const audienceId = audienceIdSchema.safeParse(request.pathParameters?.audienceId);
  const audience = audienceId.success && (await deps.audiences.delete(merchant.merchantId, audienceId.data));
  if (!audience) throw notFound();
  return json(200, { audience } satisfies z.infer<typeof audienceAnswerSchema>);
}

/** `POST /v1/audiences/preview`: how many members an audience holds now, and a few of them. */
export async function previewAudience(
  request: Request,
  merchant: Merchant,
  deps: AudienceRoutesDeps,
): Promise<Response> {
  const { definition, audienceId, templateId, sampleSize } = parseBody(request, audiencePreviewSchema);
  if (definition) refuseUnknownTiers(merchant, [{ path: 'definition', codes: tierCodesIn(definition) }]);
  const audience =
    audienceId === undefined
      ? definition
      : (await deps.audiences.get(merchant.merchantId, audienceId))?.definition;
  if (!audience) throw notFound();
  const template =
    templateId === undefined ? undefined : await deps.templates.get(merchant.merchantId, templateId);
  if (templateId !== undefined && !template) {
    const message = 'you have no template with this id';
    throw new HttpError(400, 'invalid_body', `templateId: ${message}`, [{ path: 'templateId', message }]);
  }
  const category = campaignCategory(template, merchant.signature);
  const { sample, ...reach } = await audienceReach(
    merchant,
    audience,
    { category, now: deps.clock(), sampleSize },
    deps,
  );
  return json(200, {
    preview: {
      ...reach,
      category,
      sample: sample.map(({ phone, name, memberId, tier }) => ({ phone, name, memberId, tier })),
    },
  } satisfies z.infer<typeof audiencePreviewAnswerSchema>);
}

export const audienceRouteDocs: RouteDocsFor<'/v1/audiences'> = {
  'POST /v1/audiences': {
    summary: 'Save an audience',
    description:
      'A named definition of which members a campaign is for: `and`, `or` and `not` over conditions ' +
      '`{field, op, value}` on member fields and facts (see `definition`). Dates, ages and days since a ' +
      'purchase are read in your time zone. `GET /v1/audiences/fields` lists what a condition may test. ' +
      'Each request saves a new audience, unless it carries the `audienceId` of one already saved: then ' +
      'that audience is answered again, and nothing more is saved.',
    body: newAudienceSchema,
    responses: {
      201: { description: 'The audience, saved', body: audienceAnswerSchema },
      200: {
        description: 'The audience saved before under the same `audienceId`',
        body: audienceAnswerSchema,
      },
    },
    errors: {
      400: anyOf(
        invalidBody,
        'a condition names an unknown field, or an operator or value that does not fit it',
      ),
      409: 'The `audienceId` already names an audience with another name or definition',
    },
  },
  'GET /v1/audiences/fields': {
    summary: 'What an audience may test',
    description:
      'Every field a condition may name, with the operators it takes, the windows it is measured over ' +
      '(a condition on it names one), and the form of its value: text, a whole number within bounds, a ' +
      'date (YYYY-MM-DD), or one of a list of choices (your tiers, by code, with their names). Custom ' +
      'attributes are the last entry, `attributes.`, followed by the attribute name. Also the bounds on ' +
      'a definition: levels of and/or/not, conditions, and values in one list.',
    responses: { 200: { description: 'The fields and bounds', body: audienceFieldsAnswerSchema } },
    errors: {},
  },
  'GET /v1/audiences': {
    summary: 'List saved audiences',
    description: 'Your saved audiences, newest first. Pass the `cursor` of a page to get the next one.',
    query: audiencesQuerySchema,
    responses: { 200: { description: 'A page of audiences', body: audiencesPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'POST /v1/audiences/preview': {
    summary: 'Preview an audience',
    description:
      'How many members an audience (`definition`, or a saved one by `audienceId`) holds now, and up to ' +
      `${maxPreviewSample} of them (\`sampleSize\`, 10 by default), beside how many a campaign text would ` +
      'reach by the rules each text is sent under (a valid number; marketing consent, no complaint). With ' +
      'the `templateId` a campaign would send: a service template registered and approved with the ' +
      'provider goes to members without marketing consent too, counted as `serviceNotices`; any other ' +
      'template is marketing. Nothing is sent or changed.',
    body: audiencePreviewSchema,
    responses: { 200: { description: 'The count and a sample', body: audiencePreviewAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'there is no template with the `templateId`'),
      404: 'There is no saved audience with the id',
    },
  },
  'GET /v1/audiences/{audienceId}': {
    summary: 'A saved audience',
    description: 'Its name, definition and when it was saved.',
    pathParameters: { audienceId: 'The id `POST /v1/audiences` answered with' },
    responses: { 200: { description: 'The audience', body: audienceAnswerSchema } },
    errors: { 404: 'There is no audience with the id' },
  },
  'PATCH /v1/audiences/{audienceId}': {
    summary: 'Change a saved audience',
    description:
      'A new `name` or `definition` (replaced whole). Campaigns naming the audience target the new ' +
      'definition from their next run; a run under way keeps the members it started with.',
    pathParameters: { audienceId: 'The id `POST /v1/audiences` answered with' },
    body: audiencePatchSchema,
    responses: { 200: { description: 'The audience as changed', body: audienceAnswerSchema } },
    errors: { 400: anyOf(invalidBody, 'no field was sent'), 404: 'There is no audience with the id' },
  },
  'DELETE /v1/audiences/{audienceId}': {
    summary: 'Delete a saved audience',
    description:
      'Campaigns that name it stop at their next run; campaigns with their own definition are not affected.',
    pathParameters: { audienceId: 'The id `POST /v1/audiences` answered with' },
    responses: {
      200: { description: 'The audience as it was', body: audienceAnswerSchema },
    },
    errors: { 404: 'There is no audience with the id' },
  },
};
