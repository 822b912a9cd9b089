import { z } from 'zod';
import type { ImportFormat } from '../domain/member-import';
import type { ImportReport } from '../store/member-import';
import { merchantIdSchema } from './merchant';

export const importFormatSchema = z.enum(['csv', 'jsonl']) satisfies z.ZodType<ImportFormat>;

/**
 * `awaiting-upload` until the file arrives, `running` while it is read, then `done` (counts and row
 * errors) or `failed` (the file as a whole could not be read: `reason`).
 */
export const importStatusSchema = z.enum(['awaiting-upload', 'running', 'done', 'failed']);
export type ImportStatus = z.infer<typeof importStatusSchema>;

/** A ULID, so import ids sort by creation time. */
export const importIdSchema = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'import id: 26 characters, as POST /v1/imports gave it');

const count = z.int().nonnegative();
export const importCountsSchema = z.object({
  rows: count,
  created: count,
  updated: count,
  unchanged: count,
  failed: count,
}) satisfies z.ZodType<Omit<ImportReport, 'errors'>>;

export const rowErrorSchema = z.object({
  row: z.int().positive(),
  reason: z.string(),
}) satisfies z.ZodType<ImportReport['errors'][number]>;

export const memberImportSchema = z.object({
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
});
export type MemberImport = z.infer<typeof memberImportSchema>;
