import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleFileName, bundleOptions, runtimeNodeOptions } from '../infra/bundling';
import {
  buckets,
  eventBus,
  type FunctionName,
  functionEnvironment,
  functions,
  queues,
  type ResourceLocator,
  settings,
  smsProviders,
  tables,
} from '../shared/resources';
import { type Benchmark, table } from './benchmark';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const outDir = fileURLToPath(new URL('./.out/', import.meta.url));
const emptyHandler = 'empty handler';

/** Cache-warming imports per bundle, then timed imports, each in a fresh process. */
const warmUps = 2;
const runs = 15;

/**
 * Settings every function reads when its module loads (depsFromEnv), with values that point
 * nowhere: the bench must load each bundle without reaching AWS or the simulator.
 */
const nowhere: ResourceLocator = {
  tableName: (key) => `bench-${tables[key].name}`,
  queueUrl: (key) => `http://127.0.0.1:9/000000000000/${queues[key].name}`,
  bucketName: (key) => `bench-${buckets[key].name}`,
  busName: eventBus.name,
  schedulerRoleArn: (group) => `arn:aws:iam::000000000000:role/bench-${group}-scheduler`,
  scheduleTargetArn: (group) => `arn:aws:lambda:us-east-1:000000000000:function:bench-${group}-target`,
};

const baseEnvironment = {
  // What every Lambda runs with (source maps are loaded at import, so they belong in the time).
  NODE_OPTIONS: runtimeNodeOptions,
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  [settings.smsProvider]: smsProviders.simulator,
  [settings.smsSimulatorUrl]: 'http://127.0.0.1:9/',
};

// Loaded before the bundle in the warm-up runs: any connection or lookup at import fails the bench.
const networkGuard = `data:text/javascript,${encodeURIComponent(`
import dns from 'node:dns';
import net from 'node:net';
const refuse = (what) => () => { throw new Error('the bundle used the network at import: ' + what); };
net.Socket.prototype.connect = refuse('connect');
dns.lookup = refuse('dns.lookup');
dns.promises.lookup = refuse('dns.promises.lookup');
`)}`;

// argv[1] is the bundle's file URL. The guarded warm-up lets the event loop run briefly, so that
// work the module starts in the background (and its unhandled rejections) happens too.
const timedImport = `
const started = process.hrtime.bigint();
await import(process.argv[1]);
process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));
process.exit(0);
`;
const guardedImport = `
await import(process.argv[1]);
await new Promise((resolve) => setTimeout(resolve, 100));
process.exit(0);
`;

interface Target {
  name: string;
  entry: string;
  env: Record<string, string>;
}

interface Measured extends Target {
  bytes: number;
  importMs: number[];
}

const targets: Target[] = [
  { name: emptyHandler, entry: 'bench/fixtures/empty-handler.ts', env: {} },
  ...(Object.keys(functions) as FunctionName[]).map((name) => ({
    name,
    entry: functions[name].entry,
    env: functionEnvironment(name, nowhere),
  })),
];

function bundlePath(target: Target): string {
  return `${outDir}${target.name.replaceAll(' ', '-')}/${bundleFileName}`;
}

/** Bundles the entry exactly as the CDK app does and returns the bundle's size in bytes. */
async function bundle(target: Target): Promise<number> {
  const outfile = bundlePath(target);
  rmSync(dirname(outfile), { recursive: true, force: true });
  await build({ ...bundleOptions, absWorkingDir: repoRoot, entryPoints: [target.entry], outfile });
  return statSync(outfile).size;
}

/** Imports the bundle in a new Node process; returns the import's milliseconds if timed. */
function importInFreshProcess(target: Target, mode: 'guarded' | 'timed'): number {
  const args =
    mode === 'guarded'
      ? ['--import', networkGuard, '--input-type=module', '-e', guardedImport]
      : ['--input-type=module', '-e', timedImport];
  const child = spawnSync(process.execPath, [...args, pathToFileURL(bundlePath(target)).href], {
    cwd: repoRoot,
    // Only what Lambda would set: no AWS credentials or endpoints leak in from this shell.
    env: { PATH: process.env.PATH ?? '', ...baseEnvironment, ...target.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) {
    throw new Error(
      `importing ${target.name} (${mode}) failed: ${child.stderr || child.error || child.signal}`,
    );
  }
  return Number(child.stdout);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function quartiles(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return [median(sorted.slice(0, half)), median(sorted.slice(sorted.length - half))];
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ratio = (value: number, baseline: number) =>
  `×${new Intl.NumberFormat('en-US', { maximumFractionDigits: value / baseline >= 100 ? 0 : 1 }).format(value / baseline)}`;
const ms = (value: number) => value.toFixed(1);

export const bundles: Benchmark = {
  title: 'Function bundles: size and cold import',
  async run() {
    const measured: Measured[] = [];
    for (const target of targets) measured.push({ ...target, bytes: await bundle(target), importMs: [] });

    for (let i = 0; i < warmUps; i++) for (const target of measured) importInFreshProcess(target, 'guarded');
    // Round-robin, so drift in the machine's load spreads over every bundle alike.
    for (let i = 0; i < runs; i++) {
      for (const target of measured) target.importMs.push(importInFreshProcess(target, 'timed'));
    }

    const [empty] = measured;
    if (!empty) throw new Error('no empty handler measured');
    const emptyMs = median(empty.importMs);
    const rows = measured.map((m) => {
      const [q1, q3] = quartiles(m.importMs);
      return [
        m.name,
        integer.format(m.bytes),
        ratio(m.bytes, empty.bytes),
        ms(median(m.importMs)),
        `${ms(q1)}–${ms(q3)}`,
        ratio(median(m.importMs), emptyMs),
      ];
    });
    const report = table(
      [
        { header: 'function', align: 'left' },
        { header: 'bytes (minified)', align: 'right' },
        { header: '÷ empty', align: 'right' },
        { header: 'cold import ms (median)', align: 'right' },
        { header: 'middle half ms', align: 'right' },
        { header: '÷ empty', align: 'right' },
      ],
      rows,
    );
    const method =
      `Each bundle is built with infra/bundling.ts, the options the CDK app deploys with, into ` +
      `bench/.out/<function>/${bundleFileName}. Cold import: median of ${runs} imports, each in a fresh ` +
      `\`node ${runtimeNodeOptions}\` process, after ${warmUps} warm-up imports per bundle that also ` +
      `check nothing reaches the network. Ratios are to a handler that imports nothing, bundled the ` +
      `same way; absolute milliseconds depend on the machine.`;
    const heaviest = measured.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const slowest = measured.reduce((a, b) => (median(b.importMs) > median(a.importMs) ? b : a));
    const headlines = [
      {
        figure: `largest bundle (${heaviest.name}) ÷ empty handler`,
        value: `${ratio(heaviest.bytes, empty.bytes)} (${(heaviest.bytes / 2 ** 20).toFixed(1)} MB)`,
      },
      {
        figure: `slowest cold import (${slowest.name}) ÷ empty handler`,
        value: `${ratio(median(slowest.importMs), emptyMs)} (${ms(median(slowest.importMs))} ms)`,
      },
    ];
    return { markdown: `${method}\n\n${report.markdown}`, text: report.text, headlines };
  },
};
