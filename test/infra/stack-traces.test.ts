import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFileName, bundleOptions } from '../../infra/bundling';
import { functionEnvironment, functions } from '../../shared/resources';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'mcrm-stack-traces-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Bundles the entry as the CDK app does, with its map put aside; returns the bundle's path. */
async function bundleWithMapAside(name: string, entry: { file: string } | { source: string }) {
  const outfile = join(outDir, name, bundleFileName);
  await build({
    ...bundleOptions,
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.source, resolveDir: repoRoot, sourcefile: `${name}.ts`, loader: 'ts' } }),
    absWorkingDir: repoRoot,
    outfile,
  });
  renameSync(`${outfile}.map`, `${outfile}.map.aside`);
  return outfile;
}

/**
 * Imports the bundle in a fresh Node process with no NODE_OPTIONS, as Lambda runs it, with its source
 * map missing; then puts the map back, runs `call` (a JavaScript expression of `bundle`, the module)
 * and prints the stack of what it throws. The map is not there while the bundle loads, so a trace in
 * TypeScript terms shows the map is read on the error, not at start-up.
 */
function stackOfError(bundle: string, call: string, env: Record<string, string> = {}): string {
  const script = `
    import { renameSync } from 'node:fs';
    const [url, path] = process.argv.slice(1);
    const bundle = await import(url);
    renameSync(path + '.map.aside', path + '.map');
    try {
      await (${call});
      console.log('nothing thrown');
    } catch (error) {
      console.log(error.stack);
    }
  `;
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, pathToFileURL(bundle).href, bundle],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        ...env,
      },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(child.stderr).toBe('');
  // Lambda's standard output carries the metric lines (CloudWatch's embedded metric format) too.
  return child.stdout
    .split('\n')
    .filter((line) => !line.startsWith('{"_aws":'))
    .join('\n');
}

/** The first frame of the trace in a TypeScript file of ours: its path from the repository root, line and column. */
function firstTypeScriptFrame(stack: string) {
  const match = stack.match(/\(([^()\s]+\.ts):(\d+):(\d+)\)/);
  if (!match) return undefined;
  const [, file = '', line, column] = match;
  return {
    file: file.slice(file.lastIndexOf('/functions/') + 1),
    line: Number(line),
    column: Number(column),
  };
}

describe('stack traces of a deployed bundle', () => {
  let inboundSms: string;
  beforeAll(async () => {
    inboundSms = await bundleWithMapAside('inbound-sms', { file: functions['inbound-sms'].entry });
  });

  it('point at the TypeScript file, line and column that threw', () => {
    const stack = stackOfError(
      inboundSms,
      `bundle.handler({ Records: [{ Sns: { Message: '{}' } }] }, { functionName: 'inbound-sms', awsRequestId: 'r-1' })`,
      functionEnvironment('inbound-sms', {
        tableName: (key) => `test-${key}`,
        queueUrl: (key) => `http://127.0.0.1:9/000000000000/${key}`,
        bucketName: (key) => `test-${key}`,
        busName: 'test-bus',
        schedulerRoleArn: () => 'arn:aws:iam::000000000000:role/test',
        scheduleTargetArn: () => 'arn:aws:lambda:us-east-1:000000000000:function:test',
      }),
    );
    // A notification that does not parse: zod's error, thrown where the handler parses it.
    expect(stack).toMatch(/^ZodError: /);
    const frame = firstTypeScriptFrame(stack);
    expect(frame?.file).toBe('functions/inbound-sms/handler.ts');
    const source = readFileSync(join(repoRoot, 'functions/inbound-sms/handler.ts'), 'utf8').split('\n');
    const thrown = source.findIndex((line) => line.includes('inboundSmsNotificationSchema.parse(')) + 1;
    expect(frame?.line).toBe(thrown);
    expect(source[thrown - 1]?.slice((frame?.column ?? 0) - 1)).toMatch(/^parse\(/);
    // The function's name is the TypeScript one, not the minified one.
    expect(stack).toMatch(/\n {4}at lambdaHandler \(/);
    expect(stack).not.toContain(bundleFileName);
  });

  it("write Node's own errors with their code, as Node does", async () => {
    const bundle = await bundleWithMapAside('node-error', {
      source: `import { readFileSync } from 'node:fs';\nexport function read() {\n  return readFileSync({} as never);\n}\n`,
    });
    const stack = stackOfError(bundle, 'bundle.read()');
    expect(stack).toMatch(/^TypeError \[ERR_INVALID_ARG_TYPE\]: The "path" argument must be /);
    expect(stack).toMatch(/\n {4}at \S+ \(\S*node-error\.ts:3:10\)/);
  });
});
