import * as z from 'zod';
import { templateSchema as templateTextSchema, templateVariables } from '../domain/templates';
import { lazySchema } from '../lazy-schema';
import { merchantIdSchema, merchantSchema } from './merchant';

/**
 * A merchant's message template: the text campaigns and reminders send, with `{{placeholders}}`,
 * and whether the SMS provider has approved it. Chinese carriers take marketing texts only from
 * templates registered with the provider (template id and signature); a merchant who must follow
 * that sets `sending.requireRegisteredTemplates`, and send-sms refuses the others.
 */

/**
 * Chosen by the merchant (`autumn-sale`) or a ULID given at creation. Never a `:`, so it cannot be
 * mistaken for a system text's kind (`reply:points`) in an outbound text's `template`.
 */
export const templateIdSchema = lazySchema(() =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
      'template id: up to 64 letters, digits, _ or -, starting with a letter or digit',
    ),
);

export const templateCategorySchema = lazySchema(() => z.enum(['marketing', 'service']));

/** How the provider knows the template: its id there, the signature it was filed under, and its review. */
export const templateRegistrationSchema = lazySchema(() =>
  z.strictObject({
    providerTemplateId: z
      .string()
      .trim()
      .min(1, "providerTemplateId: the provider's id of the template")
      .max(64, 'providerTemplateId: 64 characters at most'),
    signature: merchantSchema.shape.signature,
    status: z.enum(['pending', 'approved', 'rejected'], {
      error: 'status: pending, approved or rejected',
    }),
  }),
);
export type TemplateRegistration = z.infer<typeof templateRegistrationSchema>;

const templateFieldsSchema = lazySchema(() =>
  z.strictObject({
    name: z.string().trim().min(1, 'name: give the template a name').max(60, 'name: 60 characters at most'),
    body: templateTextSchema,
    category: templateCategorySchema,
  }),
);

export const merchantTemplateSchema = lazySchema(() =>
  templateFieldsSchema.extend({
    merchantId: merchantIdSchema,
    templateId: templateIdSchema,
    registration: templateRegistrationSchema.optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export type Template = z.infer<typeof merchantTemplateSchema>;

/** `PATCH /v1/templates/{templateId}`: the fields sent replace the template's. */
export const templatePatchSchema = lazySchema(() =>
  templateFieldsSchema
    .partial()
    .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change'),
);
export type TemplatePatch = z.infer<typeof templatePatchSchema>;

/** `POST /v1/templates`: without `templateId`, one is made up (a ULID). */
export const newTemplateSchema = lazySchema(() =>
  templateFieldsSchema.extend({ templateId: templateIdSchema.optional() }),
);

/** Values to fill a template's placeholders with, as a member's would. */
const templateValuesSchema = lazySchema(() =>
  z.strictObject(
    Object.fromEntries(
      templateVariables.map((name) => [name, z.union([z.string().max(200), z.number().finite()]).optional()]),
    ) as Record<(typeof templateVariables)[number], z.ZodOptional<z.ZodUnion<[z.ZodString, z.ZodNumber]>>>,
  ),
);

/** `POST /v1/templates/preview`: a saved template, or a text not saved yet. */
export const templatePreviewSchema = lazySchema(() =>
  z.union(
    [
      z.strictObject({ templateId: templateIdSchema, values: templateValuesSchema.optional() }),
      z.strictObject({
        body: templateTextSchema,
        category: templateCategorySchema.default('marketing'),
        values: templateValuesSchema.optional(),
      }),
    ],
    { error: 'give { "templateId" } (a saved template) or { "body" } (a text), with optional "values"' },
  ),
);
