/**
 * `npm run openapi:snapshot`: writes the OpenAPI document the merchant API serves to
 * test/fixtures/openapi.json. The unit tests compare the document with it, so a change to a route's
 * documentation or schemas is seen in review: run this after a deliberate API change, and commit both.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../functions/merchant-api/openapi';

const fixture = fileURLToPath(new URL('../test/fixtures/openapi.json', import.meta.url));
writeFileSync(fixture, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
// Written as the repository formats JSON, so `npm test` (biome ci) accepts it as it is. Unformatted, the
// document is larger than Biome reads by default (1 MiB); formatted, it is well under.
execFileSync('npx', ['biome', 'format', '--files-max-size=4194304', '--write', fixture], {
  stdio: 'inherit',
});
console.log(`wrote ${fixture}`);
