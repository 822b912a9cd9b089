/**
 * `npx tsx scripts/phone-metadata.ts`: writes shared/domain/phone-metadata.ts, libphonenumber-js's
 * max metadata as one JSON string. Run it after upgrading libphonenumber-js (the phone unit tests
 * fail until the two agree), and commit both.
 *
 * Why a string: a bundle that imports the metadata as the package ships it (a 150 kB object literal)
 * compiles and builds that object on every cold start, text or no text; a string literal costs
 * little to load, and `JSON.parse` builds the object faster, on the first phone number read.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const metadataFile = require.resolve('libphonenumber-js/metadata.max.json');
const { version } = JSON.parse(readFileSync(require.resolve('libphonenumber-js/package.json'), 'utf8'));
const json = JSON.stringify(JSON.parse(readFileSync(metadataFile, 'utf8')));
const target = fileURLToPath(new URL('../shared/domain/phone-metadata.ts', import.meta.url));
writeFileSync(
  target,
  [
    `/**`,
    ` * libphonenumber-js ${version}'s max metadata (metadata.max.json) as a JSON string, written by`,
    ` * scripts/phone-metadata.ts: do not edit. phone.ts parses it on first use.`,
    ` */`,
    `export const maxMetadataJson = ${JSON.stringify(json)};`,
    '',
  ].join('\n'),
);
// Written as the repository formats TypeScript, so `npm test` (biome ci) accepts it as it is.
execFileSync('npx', ['biome', 'format', '--write', target], { stdio: 'inherit' });
console.log(`wrote ${target}`);
