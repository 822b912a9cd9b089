import { ulid } from 'ulidx';
import * as z from 'zod';
import {
  importFormatSchema,
  importIdSchema,
  type MemberImport,
  memberImportSchema,
} from '../../shared/schemas/member-import';
import type { Merchant } from '../../shared/schemas/merchant';
import type { ImportFiles } from '../../shared/store/import-files';
import type { ImportsStore } from '../../shared/store/imports';
import { HttpError, json, pageQuery, parseBody, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';

/**
 * Bulk member import. The file never passes through the API: `POST /v1/imports` answers with a URL
 * the merchant PUTs the file to (S3 takes files far larger than a request body), S3 announces the
 * upload, and the `member-import` function reads it as it streams. The merchant follows the import
 * with `GET /v1/imports/{importId}`.
 */

export interface ImportRoutesDeps {
  imports: ImportsStore;
  importFiles: ImportFiles;
  clock: () => Date;
}

/** How long an upload URL works. */
const uploadValidSeconds = 15 * 60;

const newImportSchema = z.strictObject({ format: importFormatSchema });

const importsQuerySchema = z.strictObject(pageQuery(importIdSchema, 20));

/** An import as the merchant sees it: no tenant id. */
export const importView = memberImportSchema.omit({ merchantId: true });
const summaryView = importView.omit({ errors: true });

const createdImportSchema = z.object({
  import: importView,
  upload: z.object({
    url: z.url(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  }),
});
const importAnswerSchema = z.object({ import: importView });
const importsPageSchema = z.object({
  imports: z.array(summaryView),
  cursor: importIdSchema.optional(),
});

function viewOf<T extends Pick<MemberImport, 'merchantId'>>({ merchantId: _tenant, ...view }: T) {
  return view;
}

/** `POST /v1/imports`: a new import waiting for its file, and the URL to upload it to. */
export async function createImport(
  request: Request,
  merchant: Merchant,
  deps: ImportRoutesDeps,
): Promise<Response> {
  const { format } = parseBody(request, newImportSchema);
  const now = deps.clock();
  const importId = ulid(now.getTime());
  const upload = await deps.importFiles.uploadUrl(
    merchant.merchantId,
    importId,
    format,
    now,
    uploadValidSeconds,
  );
  const created = await deps.imports.create({
    merchantId: merchant.merchantId,
    importId,
    format,
    createdAt: now.toISOString(),
    uploadExpiresAt: upload.expiresAt,
  });
  return json(201, { import: viewOf(created), upload } satisfies z.infer<typeof createdImportSchema>);
}

/** `GET /v1/imports/{importId}`: status, counts and row errors; another merchant's import is not found. */
export async function getImport(
  request: Request,
  merchant: Merchant,
  deps: ImportRoutesDeps,
): Promise<Response> {
  const importId = importIdSchema.safeParse(request.pathParameters?.importId);
  const record = importId.success ? await deps.imports.get(merchant.merchantId, importId.data) : undefined;
  if (!record) throw new HttpError(404, 'import_not_found', 'no import with this id');
  return json(200, { import: viewOf(record) } satisfies z.infer<typeof importAnswerSchema>);
}

/** `GET /v1/imports`: the merchant's imports, newest first, without their row errors. */
export async function listImports(
  request: Request,
  merchant: Merchant,
  deps: ImportRoutesDeps,
): Promise<Response> {
  const page = await deps.imports.list(merchant.merchantId, parseQuery(request, importsQuerySchema));
  return json(200, {
    imports: page.imports.map(viewOf),
    cursor: page.cursor,
  } satisfies z.infer<typeof importsPageSchema>);
}

export const importRouteDocs: RouteDocsFor<'/v1/imports'> = {
  'POST /v1/imports': {
    summary: 'Start a member import',
    description:
      'Creates an import (`awaiting-upload`) and answers with a URL to PUT the file to, with the ' +
      `headers given, within ${uploadValidSeconds / 60} minutes. CSV: a header row (\`phone\`, \`name\`, ` +
      '`gender`, `birthday`, `city`, `tags` split by `;`, `attr.<name>`), then a member a row. JSON ' +
      'lines: one member object a line. The import starts when the file arrives; existing members ' +
      '(by phone) are updated, never duplicated, and importing the same rows again changes nothing.',
    body: newImportSchema,
    responses: { 201: { description: 'The import and its upload URL', body: createdImportSchema } },
    errors: { 400: anyOf(invalidBody, 'the format is not `csv` or `jsonl`') },
  },
  'GET /v1/imports': {
    summary: 'List imports',
    description:
      'Your imports, newest first, with status and counts (the row errors are on each import). ' +
      'Pass the `cursor` of a page to get the next one.',
    query: importsQuerySchema,
    responses: { 200: { description: 'A page of imports', body: importsPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/imports/{importId}': {
    summary: 'Follow an import',
    description:
      '`awaiting-upload`, `running` (with `rowsRead`), then `done` with the counts (created, updated, ' +
      'unchanged, failed) and the first 1,000 refused rows, each with its row number and reason; or ' +
      '`failed` with the `reason` the file as a whole could not be read (no member was changed).',
    pathParameters: { importId: 'The id `POST /v1/imports` answered with' },
    responses: { 200: { description: 'The import', body: importAnswerSchema } },
    errors: { 404: 'There is no import with the id' },
  },
};
