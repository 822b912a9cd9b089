import * as z from 'zod';
import type { ImportFormat } from '../domain/member-import';
import { lazySchema } from '../lazy-schema';
import { merchantIdSchema } from './merchant';

export const importFormatSchema = lazySchema(
  () => z.enum(['csv', 'jsonl']) satisfies z.ZodType<ImportFormat>,
);

/**
 * `awaiting-upload` until the file arrives, `running` while it is read, then `done` (counts and row
 * errors) or `failed` (the file as a whole could not be read: `reason`).
 */
export const importStatusSchema = lazySchema(() => z.enum(['awaiting-upload', 'running', 'done', 'failed']));
export type ImportStatus = z.infer<typeof importStatusSchema>;

/** A ULID, so import ids sort by creation time. */
export const importIdSchema = lazySchema(() =>
  z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'import id: 26 characters, as POST /v1/imports gave it'),
);

const count = lazySchema(() => z.int().nonnegative());
export const importCountsSchema = lazySchema(() =>
  z.object({
    /** Data rows read, good and bad. */
    rows: count,
    created: count,
    /** Existing members with at least one profile field changed. */
    updated: count,
    /** Existing members whose profile already was what the row gives, or rows imported before. */
    unchanged: count,
    /** Rows refused; the first `maxListedErrors` (shared/store/member-import.ts) are in `errors`. */
    failed: count,
  }),
);

/** A refused row, with a reason a merchant can act on. */
export const rowErrorSchema = lazySchema(() =>
  z.object({
    row: z.int().positive(),
    reason: z.string(),
  }),
);

/** What an import did: its counts, and the refused rows in row order. */
export type ImportReport = z.infer<typeof importCountsSchema> & { errors: z.infer<typeof rowErrorSchema>[] };

export const memberImportSchema = lazySchema(() =>
  z.object({
    merchantId: merchantIdSchema,
    importId: importIdSchema,
    format: importFormatSchema,
    status: importStatusSchema,
    createdAt: z.iso.datetime(),
    /** The upload URL works until then. */
    uploadExpiresAt: z.iso.datetime(),
    startedAt: z.iso.datetime().optional(),
    finishedAt: z.iso.datetime().optional(),
    /** Rows read so far, written every few thousand rows while the import runs. */
    rowsRead: count.optional(),
    counts: importCountsSchema.optional(),
    /** The first rows refused, in row order; `counts.failed` counts them all. */
    errors: z.array(rowErrorSchema).optional(),
    /** Why the file could not be imported at all (`failed`). */
    reason: z.string().optional(),
  }),
);
export type MemberImport = z.infer<typeof memberImportSchema>;
