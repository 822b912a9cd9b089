import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const consoleDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(consoleDir, '..');

/** The built console: what `npm start` serves and the CDK app deploys. */
export const consoleDist = join(consoleDir, 'dist');

/** The console's Vite configuration. */
export const viteConfigFile = join(consoleDir, 'vite.config.ts');

/** Beside the build, the hash of what it was built from; not part of the site. */
export const inputsFileName = '.inputs';

/** What a build reads: the app's code and page, its static files and config, and the locked packages. */
function inputFiles(): string[] {
  const under = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => join(entry.parentPath, entry.name))
      : [];
  return [
    ...under(join(consoleDir, 'src')),
    ...under(join(consoleDir, 'public')),
    // Pure domain code the console shares with the API (the cron rules).
    ...under(join(repoRoot, 'shared', 'domain')),
    join(consoleDir, 'index.html'),
    viteConfigFile,
    join(repoRoot, 'package-lock.json'),
  ].sort();
}

/** One hash of every input's path and content: equal hashes, equal builds. */
export function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of inputFiles()) hash.update(`${relative(repoRoot, file)}\0`).update(readFileSync(file));
  return hash.digest('hex');
}

/** Records the inputs a build started from, once it is written (a file changed meanwhile makes it stale). */
export function recordInputs(): Plugin {
  let hash = '';
  return {
    name: 'mcrm-record-inputs',
    apply: 'build',
    buildStart() {
      hash = inputsHash();
    },
    writeBundle(options) {
      writeFileSync(join(options.dir ?? consoleDist, inputsFileName), hash);
    },
  };
}

/** Whether console/dist was built from the inputs as they are now. */
export function consoleBuildIsFresh(): boolean {
  const recorded = join(consoleDist, inputsFileName);
  return existsSync(recorded) && readFileSync(recorded, 'utf8') === inputsHash();
}

/** Builds the console (a few seconds). */
export async function buildConsole(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: viteConfigFile, logLevel: 'warn' });
}

/** Builds the console unless console/dist was built from the same inputs: costs a hash when nothing changed. */
export async function ensureConsoleBuilt(): Promise<void> {
  if (!consoleBuildIsFresh()) await buildConsole();
}
