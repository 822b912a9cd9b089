import { answer, api } from '../../../lib/api-client';
import type { ImportFormat } from '../import-format';

/** A new import waiting for its file, and the URL (with headers) the file is to be PUT to. */
export const createImport = (format: ImportFormat) => answer(api.POST('/v1/imports', { body: { format } }));

export type CreatedImport = Awaited<ReturnType<typeof createImport>>;
