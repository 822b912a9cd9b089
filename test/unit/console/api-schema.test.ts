import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { apiSchemaFile, apiSchemaSource, regenerateCommand } from '../../../console/api-schema';

it("the console's committed API types are those of the OpenAPI document the API serves", async () => {
  const committed = readFileSync(apiSchemaFile, 'utf8');
  expect(
    committed === (await apiSchemaSource()),
    `${fileURLToPath(apiSchemaFile)} no longer matches the merchant API: run \`${regenerateCommand}\` and commit it`,
  ).toBe(true);
});
