import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '../functions/merchant-api/openapi';

/** Where the console's API types live, committed so the console type-checks without a server. */
export const apiSchemaFile = new URL('./src/lib/api-schema.d.ts', import.meta.url);

/** The command that writes `apiSchemaFile` again after a route or schema changed. */
export const regenerateCommand = 'npm run console:api';

/**
 * The console's API types, generated from the OpenAPI document the API serves (built from the same
 * code, with no server started), so a call is typed by its path and cannot drift from the handlers.
 */
export async function apiSchemaSource(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as unknown as OpenAPI3, { silent: true });
  return `${COMMENT_HEADER.replace(
    'Do not make direct changes to the file.',
    `Do not make direct changes to the file: run \`${regenerateCommand}\`.`,
  )}${astToString(ast)}`;
}
