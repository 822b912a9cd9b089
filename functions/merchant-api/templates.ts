import { ulid } from 'ulidx';
import * as z from 'zod';
import { maxSignedTextLength, signedText, textBilling } from '../../shared/domain/sms-text';
import { changedTemplate } from '../../shared/domain/template-change';
import { renderTemplate, type TemplateValues } from '../../shared/domain/templates';
import type { Merchant } from '../../shared/schemas/merchant';
import {
  merchantTemplateSchema,
  newTemplateSchema,
  type Template,
  templateCategorySchema,
  templateIdSchema,
  templatePatchSchema,
  templatePreviewSchema,
  templateRegistrationSchema,
} from '../../shared/schemas/template';
import type { TemplatesStore } from '../../shared/store/templates';
import { HttpError, json, pageQuery, parseBody, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';

/**
 * Message templates: the texts campaigns send, their provider registration, and a preview of a text
 * as carriers will bill it.
 */

export interface TemplateRoutesDeps {
  templates: TemplatesStore;
  clock: () => Date;
}

const templatesQuerySchema = z.strictObject(pageQuery(templateIdSchema, 50));

const templateViewSchema = merchantTemplateSchema.omit({ merchantId: true });
const templateAnswerSchema = z.object({ template: templateViewSchema });
const templatesPageSchema = z.object({
  templates: z.array(templateViewSchema),
  cursor: templateIdSchema.optional(),
});
const previewSchema = z.object({
  /** As the handset shows it: signature first, and the unsubscribe line on marketing. */
  text: z.string(),
  category: templateCategorySchema,
  encoding: z.enum(['GSM-7', 'UCS-2']),
  /** Characters as carriers count them for the 500 limit. */
  length: z.int(),
  /** Parts the text is billed as, per recipient. */
  parts: z.int(),
  pricePerPartFen: z.number(),
  costPerRecipientFen: z.number(),
});
const previewAnswerSchema = z.object({ preview: previewSchema });

const viewOf = ({ merchantId: _tenant, ...template }: Template) => template;

/** The text as send-sms sends it: the merchant's signature, and on marketing the unsubscribe line. */
function asSent(merchant: Merchant, body: string, category: Template['category'], values: TemplateValues) {
  const text = signedText(renderTemplate(body, values), {
    signature: merchant.signature,
    unsubscribeLine: merchant.sending.unsubscribeLine,
    category,
  });
  return { text, billing: textBilling(text) };
}

function tooLong(path: string, length: number, category: Template['category']) {
  const added = category === 'marketing' ? 'signature and unsubscribe line' : 'signature';
  const message = `the text as sent is ${length} characters with the ${added}; carriers refuse more than ${maxSignedTextLength}`;
  return new HttpError(400, 'text_too_long', `${path}: ${message}`, [{ path, message }]);
}

const notFound = () => new HttpError(404, 'template_not_found', 'no template with this id');

function templateIdIn(request: Request): string | undefined {
  const templateId = templateIdSchema.safeParse(request.pathParameters?.templateId);
  return templateId.success ? templateId.data : undefined;
}

/**
 * `POST /v1/templates`. A text that is over the carriers' limit before any value is filled in is
 * refused. With its own `templateId`, a retried request is refused as a duplicate (409) rather than
 * saved twice.
 */
export async function createTemplate(
  request: Request,
  merchant: Merchant,
  deps: TemplateRoutesDeps,
): Promise<Response> {
  const { templateId, ...fields } = parseBody(request, newTemplateSchema);
  const { billing } = asSent(merchant, fields.body, fields.category, {});
  if (billing.tooLong) throw tooLong('body', billing.length, fields.category);
  const now = deps.clock().toISOString();
  const template: Template = {
    ...fields,
    merchantId: merchant.merchantId,
    templateId: templateId ?? ulid(Date.parse(now)),
    createdAt: now,
    updatedAt: now,
  };
  if (!(await deps.templates.create(template))) {
    throw new HttpError(409, 'template_exists', `you already have a template ${template.templateId}`);
  }
  return json(201, { template: viewOf(template) } satisfies z.infer<typeof templateAnswerSchema>);
}

/** `GET /v1/templates`: in id order, a page at a time. */
export async function listTemplates(
  request: Request,
  merchant: Merchant,
  deps: TemplateRoutesDeps,
): Promise<Response> {
  const page = await deps.templates.list(merchant.merchantId, parseQuery(request, templatesQuerySchema));
  return json(200, {
    templates: page.templates.map(viewOf),
    cursor: page.cursor,
  } satisfies z.infer<typeof templatesPageSchema>);
}

/** `GET /v1/templates/{templateId}`; another merchant's template is not found. */
export async function getTemplate(
  request: Request,
  merchant: Merchant,
  deps: TemplateRoutesDeps,
): Promise<Response> {
  const templateId = templateIdIn(request);
  const template = templateId && (await deps.templates.get(merchant.merchantId, templateId));
  if (!template) throw notFound();
  return json(200, { template: viewOf(template) } satisfies z.infer<typeof templateAnswerSchema>);
}

/**
 * `PATCH /v1/templates/{templateId}`: a new name, text or category. A new text must fit as sent,
 * and goes back to `pending` with the provider; campaigns using the template send it from their next run.
 */
export async function updateTemplate(
  request: Request,
  merchant: Merchant,
  deps: TemplateRoutesDeps,
): Promise<Response> {
  const templateId = templateIdIn(request);
  const patch = parseBody(request, templatePatchSchema);
  const current = templateId && (await deps.templates.get(merchant.merchantId, templateId));
  if (!current) throw notFound();
  const template = changedTemplate(current, patch, deps.clock());
  const { billing } = asSent(merchant, template.body, template.category, {});
  if (billing.tooLong) throw tooLong('body', billing.length, template.category);
  if (!(await deps.templates.replace(template, current.updatedAt))) {
    throw new HttpError(409, 'concurrent_update', 'the template was changed at the same time; try again');
  }
  return json(200, { template: viewOf(template) } satisfies z.infer<typeof templateAnswerSchema>);
}

/**
 * `PUT /v1/templates/{templateId}/registration`: what the provider has on file. The signature must be
 * the merchant's, the one every text goes out with, or the text sent would not be the one registered.
 */
export async function putTemplateRegistration(
  request: Request,
  merchant: Merchant,
  deps: TemplateRoutesDeps,
): Promise<Response> {
  const templateId = templateIdIn(request);
  const registration = parseBody(request, templateRegistrationSchema);
  if (registration.signature !== merchant.signature) {
    const message = `your texts are signed ${merchant.signature}; register the template under that signature`;
    throw new HttpError(400, 'invalid_body', `signature: ${message}`, [{ path: 'signature', message }]);
  }
  const template =
    templateId &&
    (await deps.templates.setRegistration(merchant.merchantId, templateId, registration, deps.clock()));
  if (!template) throw notFound();
  return json(200, { template: viewOf(template) } satisfies z.infer<typeof templateAnswerSchema>);
}

/** `DELETE /v1/templates/{templateId}`. */
export async function deleteTemplate(
  request: Request,
  merchant: Merchant,
  deps: TemplateRoutesDeps,
): Promise<Response> {
  const templateId = templateIdIn(request);
  const deleted = templateId && (await deps.templates.delete(merchant.merchantId, templateId));
  if (!deleted) throw notFound();
  return json(200, { template: viewOf(deleted) } satisfies z.infer<typeof templateAnswerSchema>);
}

/**
 * `POST /v1/templates/preview`: the text as a member would receive it, its parts and what it costs
 * per recipient. A text over the carriers' 500 characters is refused, as send-sms would refuse it.
 */
export async function previewTemplate(
  request: Request,
  merchant: Merchant,
  deps: TemplateRoutesDeps,
): Promise<Response> {
  const preview = parseBody(request, templatePreviewSchema);
  const source =
    'templateId' in preview ? await deps.templates.get(merchant.merchantId, preview.templateId) : preview;
  if (!source) throw notFound();
  const { text, billing } = asSent(merchant, source.body, source.category, preview.values ?? {});
  if (billing.tooLong) throw tooLong('body', billing.length, source.category);
  const { pricePerPartFen } = merchant.sending;
  return json(200, {
    preview: {
      text,
      category: source.category,
      encoding: billing.encoding,
      length: billing.length,
      parts: billing.segments,
      pricePerPartFen,
      // Fen with a tenth: the default price is 4.5 fen a part.
      costPerRecipientFen: Math.round(billing.segments * pricePerPartFen * 10) / 10,
    },
  } satisfies z.infer<typeof previewAnswerSchema>);
}

export const templateRouteDocs: RouteDocsFor<'/v1/templates'> = {
  'POST /v1/templates': {
    summary: 'Create a message template',
    description:
      'A text for campaigns, with placeholders such as {{name}} and {{points}}. Give your own ' +
      '`templateId` (letters, digits, _ or -) to make a retry safe; without one, an id is made up. A ' +
      'text longer than 500 characters once signed (and, for marketing, with the unsubscribe line) is refused.',
    body: newTemplateSchema,
    responses: { 201: { description: 'The template', body: templateAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'the text as sent would be over 500 characters'),
      409: 'You already have a template with the id',
    },
  },
  'GET /v1/templates': {
    summary: 'List templates',
    description:
      'Your templates in id order, a page at a time. Pass the `cursor` of a page to get the next one.',
    query: templatesQuerySchema,
    responses: { 200: { description: 'A page of templates', body: templatesPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'POST /v1/templates/preview': {
    summary: 'Preview a text and its cost',
    description:
      'A saved template (`templateId`) or a text (`body`), filled with `values`, as a member receives it: ' +
      'signed, with the unsubscribe line on marketing; its encoding, length, parts and cost per recipient ' +
      'in fen at your price per part. Nothing is sent or saved.',
    body: templatePreviewSchema,
    responses: { 200: { description: 'The text as sent, and its cost', body: previewAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'the text as sent would be over 500 characters'),
      404: 'There is no template with the id',
    },
  },
  'GET /v1/templates/{templateId}': {
    summary: 'A template',
    description: 'The template, with its provider registration if recorded.',
    pathParameters: { templateId: 'The template id' },
    responses: { 200: { description: 'The template', body: templateAnswerSchema } },
    errors: { 404: 'There is no template with the id' },
  },
  'PATCH /v1/templates/{templateId}': {
    summary: 'Change a template',
    description:
      "The fields sent (`name`, `body`, `category`) replace the template's. A new `body` is refused when " +
      'the text as sent would pass 500 characters, and puts the registration back to `pending`: register ' +
      'the new text with the provider again. Campaigns using the template send the new text from their next run.',
    pathParameters: { templateId: 'The template id' },
    body: templatePatchSchema,
    responses: { 200: { description: 'The template as changed', body: templateAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'no field was sent', 'the text as sent is too long'),
      404: 'There is no template with the id',
      409: 'The template was changed at the same time; try again',
    },
  },
  'DELETE /v1/templates/{templateId}': {
    summary: 'Delete a template',
    description: 'The template is gone; texts already queued from it still go out.',
    pathParameters: { templateId: 'The template id' },
    responses: {
      200: { description: 'The template as it was', body: templateAnswerSchema },
    },
    errors: { 404: 'There is no template with the id' },
  },
  'PUT /v1/templates/{templateId}/registration': {
    summary: "Record the template's registration with the provider",
    description:
      "The provider's template id, the signature it was filed under (yours) and its review status. With " +
      '`requireRegisteredTemplates` in your sending settings, marketing goes only from `approved` templates.',
    pathParameters: { templateId: 'The template id' },
    body: templateRegistrationSchema,
    responses: { 200: { description: 'The template as registered', body: templateAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'the signature is not yours'),
      404: 'There is no template with the id',
    },
  },
};
