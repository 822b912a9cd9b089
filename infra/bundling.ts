import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/**
 * How every function is bundled, in esbuild's own terms. The CDK app maps these onto
 * NodejsFunction's `bundling` props and `npm run bench` passes them to esbuild directly, so the
 * bench measures the bundles that deploy.
 */
export const bundleOptions = {
  // NodejsFunction always bundles for the node platform; stated here for the bench.
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Node 20 runs the same code locally; Lambda runs 22.
  target: 'node20',
  minify: true,
  // Prefer dependencies' ESM builds, which tree-shake.
  mainFields: ['module', 'main'],
  // ESM has no `require`; bundled CommonJS dependencies still call it.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  // Bundles are minified; the map turns stack traces back into TypeScript lines. It is written beside
  // the bundle with no sourceMappingURL comment, and read by the injected shared/stack-traces.ts only
  // when an error's stack is first formatted: Node's --enable-source-maps would read and parse it at
  // every cold start.
  sourcemap: 'external',
  sourcesContent: false,
  inject: [fileURLToPath(new URL('../shared/stack-traces.ts', import.meta.url))],
  // Nothing external, @aws-sdk included: we pin its versions in package.json and do not fall back
  // to the copy the Lambda runtime happens to carry.
  external: [],
  logLevel: 'warning',
} as const satisfies BuildOptions;

/**
 * Data files a bundle reads beside itself on first use, from the repository root: kept out of the
 * bundle so that a cold start does not compile them (shared/domain/phone.ts reads the phone metadata
 * from `new URL('./phone-metadata.json', import.meta.url)`, the same name beside its source file).
 */
export const bundleCompanions = ['shared/domain/phone-metadata.json'] as const;

/** Copies the companions from the repository into the folder of a bundle. */
export function copyBundleCompanions(repoRoot: string, bundleDir: string): void {
  for (const file of bundleCompanions) copyFileSync(join(repoRoot, file), join(bundleDir, basename(file)));
}

/** The bundle file NodejsFunction writes for ESM output, and Lambda loads. */
export const bundleFileName = 'index.mjs';
