import * as z from 'zod';
import { maxAliases, maxAppWordLength, repeatedWords, replyProblems } from '../domain/keyword-app';
import { normalizeText } from '../domain/keywords';
import { templateSchema as templateTextSchema } from '../domain/templates';
import { lazySchema } from '../lazy-schema';
import { benefitCodeSchema } from './benefit';
import { tagSchema } from './member';
import { merchantIdSchema } from './merchant';
import { surveyIdSchema } from './survey';
import { templateIdSchema } from './template';

/**
 * A merchant's keyword app (see shared/domain/keyword-app.ts): a word of their own, with aliases, and
 * what texting it does. Its use is counted once per inbound text.
 */

/** One word, Chinese or English: letters and digits in any width (ＶＩＰ is VIP), no spaces. */
export const appWordSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'keyword: one word, e.g. VIP or 会员日')
    .refine(
      (word) => new RegExp(`^[\\p{L}\\p{N}]{1,${maxAppWordLength}}$`, 'u').test(normalizeText(word)),
      `keywords and aliases: one word of up to ${maxAppWordLength} letters or digits (Chinese or English), no spaces or symbols`,
    ),
);

/** A list's name: it becomes the member's tag `list:<name>`, so it fits in a tag. */
const listNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'list: name the list')
    .max(35, 'list: 35 characters at most')
    .regex(/^[^,;]+$/, 'list: no , or ;'),
);

export const appActionSchema = lazySchema(() =>
  z.discriminatedUnion(
    'kind',
    [
      /** Only the reply. */
      z.strictObject({ kind: z.literal('reply') }),
      z.strictObject({ kind: z.literal('tag'), tag: tagSchema }),
      z.strictObject({ kind: z.literal('join-list'), list: listNameSchema }),
      /** Claims the benefit for the member, within its rules (tiers, once per period, stock). */
      z.strictObject({ kind: z.literal('grant-benefit'), code: benefitCodeSchema }),
      z.strictObject({ kind: z.literal('start-survey'), surveyId: surveyIdSchema }),
    ],
    { error: 'action.kind: reply, tag, join-list, grant-benefit or start-survey' },
  ),
);
export type AppAction = z.infer<typeof appActionSchema>;

/**
 * The reply as saved: the text with {{placeholders}} filled from the member (name, points, tier, …;
 * benefit for a granted benefit). Taken from a template, the text is copied when the app is saved,
 * so deleting the template later does not silence the app.
 */
export const appReplySchema = lazySchema(() =>
  z.object({ text: templateTextSchema, templateId: templateIdSchema.optional() }),
);
export type AppReply = z.infer<typeof appReplySchema>;

/** The reply as a merchant gives it: a saved template, or a text. */
export const appReplyInputSchema = lazySchema(() =>
  z.union([z.strictObject({ templateId: templateIdSchema }), z.strictObject({ text: templateTextSchema })], {
    error: 'reply: { "templateId" } (one of your templates) or { "text" }',
  }),
);
export type AppReplyInput = z.infer<typeof appReplyInputSchema>;

const nameSchema = lazySchema(() =>
  z
    .string({ error: 'name: name the app, e.g. VIP登记' })
    .trim()
    .min(1, 'name: name the app')
    .max(60, 'name: 60 characters at most'),
);
const aliasesSchema = lazySchema(() =>
  z.array(appWordSchema).max(maxAliases, `aliases: ${maxAliases} at most`),
);

export const keywordAppSchema = lazySchema(() =>
  z.object({
    merchantId: merchantIdSchema,
    /** A ULID: apps list in the order they were made. */
    appId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'appId: the id the app was created with'),
    name: nameSchema,
    keyword: appWordSchema,
    aliases: aliasesSchema,
    action: appActionSchema,
    reply: appReplySchema.optional(),
    /** A disabled app keeps its words but answers nothing: its texts get the usual help reply. */
    enabled: z.boolean(),
    /** Texts it answered, each inbound text once. */
    uses: z.int().nonnegative(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export type KeywordApp = z.infer<typeof keywordAppSchema>;

/** An app's words and reply must go together (see replyProblems); each problem names its field. */
function checkApp(
  app: { keyword: string; aliases: readonly string[]; action: AppAction; reply?: unknown },
  ctx: z.RefinementCtx,
) {
  const problems = [...repeatedWords(app), ...replyProblems(app.action.kind, app.reply !== undefined)];
  for (const { path, message } of problems) {
    ctx.addIssue({
      code: 'custom',
      path: path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      message,
    });
  }
}

/** `POST /v1/keyword-apps`. */
export const newKeywordAppSchema = lazySchema(() =>
  z
    .strictObject({
      name: nameSchema,
      keyword: appWordSchema,
      aliases: aliasesSchema.default([]),
      action: appActionSchema,
      reply: appReplyInputSchema.optional(),
      enabled: z.boolean().default(true),
    })
    .superRefine(checkApp),
);
export type NewKeywordApp = z.infer<typeof newKeywordAppSchema>;

/** `PATCH /v1/keyword-apps/{appId}`: a field left out stays; `reply: null` removes the reply. */
export const keywordAppPatchSchema = lazySchema(() =>
  z
    .strictObject({
      name: nameSchema.optional(),
      keyword: appWordSchema.optional(),
      aliases: aliasesSchema.optional(),
      action: appActionSchema.optional(),
      reply: appReplyInputSchema.nullable().optional(),
      enabled: z.boolean().optional(),
    })
    .refine(
      (patch) => Object.keys(patch).length > 0,
      'send at least one field to change: name, keyword, aliases, action, reply, enabled',
    ),
);
export type KeywordAppPatch = z.infer<typeof keywordAppPatchSchema>;

/** The app a patch leads to, checked as a new app is: its words and reply must still go together. */
export const patchedKeywordAppSchema = lazySchema(() => keywordAppSchema.superRefine(checkApp));
