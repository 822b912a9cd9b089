/** `npm run console:api`: writes the console's API types from the merchant API's OpenAPI document. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { apiSchemaFile, apiSchemaSource } from '../console/api-schema';

writeFileSync(apiSchemaFile, await apiSchemaSource());
console.log(`wrote ${fileURLToPath(apiSchemaFile)}`);
