/**
 * `npx tsx scripts/phone-metadata.ts`: writes shared/domain/phone-metadata.json, libphonenumber-js's
 * max metadata. Run it after upgrading libphonenumber-js (the phone unit tests fail until the two
 * agree), and commit both.
 *
 * Why a file of its own: a bundle that holds the metadata (150 kB, as an object literal or a JSON
 * string) compiles it on every cold start, text or no text. The file is shipped beside each bundle
 * (infra/bundling.ts) and read by shared/domain/phone.ts on the first phone number read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const metadataFile = require.resolve('libphonenumber-js/metadata.max.json');
const json = JSON.stringify(JSON.parse(readFileSync(metadataFile, 'utf8')));
const target = fileURLToPath(new URL('../shared/domain/phone-metadata.json', import.meta.url));
writeFileSync(target, `${json}\n`);
console.log(`wrote ${target}`);
