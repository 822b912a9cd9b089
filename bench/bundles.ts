import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleFileName, bundleOptions, copyBundleCompanions } from '../infra/bundling';
import {
  buckets,
  eventBus,
  type FunctionDefinition,
  type FunctionName,
  functionEnvironment,
  functions,
  queues,
  type ResourceLocator,
  settings,
  smsProviders,
  tables,
} from '../shared/resources';
import { type Benchmark, describeMachine, table } from './benchmark';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const outDir = fileURLToPath(new URL('./.out/', import.meta.url));
const emptyHandler = 'empty handler';

/** Cache-warming imports per bundle, then timed imports, each in a fresh process. */
const warmUps = 2;
const runs = 11;

/** How close to its floor a function's cold import should be. */
const goals: Partial<Record<FunctionName, number>> = { 'inbound-sms': 1.25, 'send-sms': 1.25 };
const defaultGoal = 1.5;

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

// What every Lambda runs with: no NODE_OPTIONS (the bundles map their stack traces themselves).
const baseEnvironment = {
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** The environment a function's bundle loads with: as deployed, the SMS senders with AWS's SMS client. */
function environmentOf(name: FunctionName): Record<string, string> {
  const def: FunctionDefinition = functions[name];
  return {
    ...functionEnvironment(name, nowhere),
    [settings.smsProvider]: def.sendsSms ? smsProviders.aws : smsProviders.simulator,
    [settings.smsSimulatorUrl]: 'http://127.0.0.1:9/',
  };
}

/**
 * An AWS SDK client a function cannot do without: its package, and how the function's handler
 * creates it (through shared/env.ts, or as send-sms makes its SMS client) with `env` its Env.
 */
interface SdkClient {
  name: string;
  packages: readonly string[];
  imports: string;
  create: string;
}

const sdkClients = {
  dynamodb: {
    name: 'DynamoDB',
    packages: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'],
    imports: '',
    create: 'env.dynamoClient(), env.dynamo()',
  },
  sqs: {
    name: 'SQS',
    packages: ['@aws-sdk/client-sqs'],
    imports: `import { sqsClient } from './shared/env';`,
    create: 'sqsClient(env)',
  },
  eventBridge: {
    name: 'EventBridge',
    packages: ['@aws-sdk/client-eventbridge'],
    imports: `import { eventBridgeClient } from './shared/env';`,
    create: 'eventBridgeClient(env)',
  },
  s3: {
    name: 'S3',
    packages: ['@aws-sdk/client-s3'],
    imports: `import { s3Client } from './shared/env';`,
    create: 's3Client(env)',
  },
  scheduler: {
    name: 'Scheduler',
    packages: ['@aws-sdk/client-scheduler'],
    imports: `import { schedulerClient } from './shared/env';`,
    create: 'schedulerClient(env)',
  },
  smsVoice: {
    name: 'SMS',
    packages: ['@aws-sdk/client-pinpoint-sms-voice-v2'],
    imports: `import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';`,
    create: 'new PinpointSMSVoiceV2Client({})',
  },
} as const satisfies Record<string, SdkClient>;

/** Which clients a function uses, from what its declaration says it touches. */
function clientsOf(name: FunctionName): SdkClient[] {
  const def: FunctionDefinition = functions[name];
  const uses: [boolean, SdkClient][] = [
    [def.reads.length + def.writes.length > 0, sdkClients.dynamodb],
    [def.sendsTo.length > 0, sdkClients.sqs],
    [def.publishesEvents, sdkClients.eventBridge],
    [(def.readsBuckets?.length ?? 0) + (def.presignsUploadsTo?.length ?? 0) > 0, sdkClients.s3],
    [Object.values(def.schedules ?? {}).some((actions) => actions.length > 0), sdkClients.scheduler],
    [def.sendsSms, sdkClients.smsVoice],
  ];
  return uses.filter(([used]) => used).map(([, client]) => client);
}

/** A handler module that creates those clients when it loads, and does nothing else. */
function floorSource(clients: readonly SdkClient[]): string {
  return [
    `import { Env } from './shared/env';`,
    ...clients.map((client) => client.imports),
    'const env = new Env(process.env);',
    `const clients = [${clients.map((client) => client.create).join(', ')}];`,
    'export const handler = async () => clients.length;',
  ].join('\n');
}

interface Target {
  name: string;
  env: Record<string, string>;
  /** An entry file, or the source of a generated entry. */
  entry: { file: string } | { source: string };
}

interface Measured extends Target {
  bytes: number;
  /** The node_modules packages the bundle holds. */
  packages: Set<string>;
  /** Wall-clock milliseconds of each timed import, and the CPU time the process spent in it. */
  importMs: number[];
  cpuMs: number[];
}

interface Pair {
  name: FunctionName;
  clients: SdkClient[];
  fn: Measured;
  floor: Measured;
}

function bundlePath(target: Target): string {
  return `${outDir}${target.name.replaceAll(' ', '-')}/${bundleFileName}`;
}

/** Bundles the entry exactly as the CDK app does; the bundle's size and the packages it holds. */
async function bundle(target: Target): Promise<Measured> {
  const outfile = bundlePath(target);
  rmSync(dirname(outfile), { recursive: true, force: true });
  const entry =
    'file' in target.entry
      ? { entryPoints: [target.entry.file] }
      : {
          stdin: {
            contents: target.entry.source,
            resolveDir: repoRoot,
            sourcefile: `${target.name}.ts`,
            loader: 'ts' as const,
          },
        };
  const { metafile } = await build({
    ...bundleOptions,
    ...entry,
    absWorkingDir: repoRoot,
    outfile,
    metafile: true,
  });
  copyBundleCompanions(repoRoot, dirname(outfile));
  const packages = new Set(
    Object.values(metafile.outputs)
      .flatMap((output) => Object.keys(output.inputs))
      .flatMap((input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? []),
  );
  return { ...target, bytes: statSync(outfile).size, packages, importMs: [], cpuMs: [] };
}

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
const cpu = process.cpuUsage();
const started = process.hrtime.bigint();
await import(process.argv[1]);
const wall = Number(process.hrtime.bigint() - started) / 1e6;
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(wall + ' ' + (user + system) / 1e3);
process.exit(0);
`;
const guardedImport = `
await import(process.argv[1]);
await new Promise((resolve) => setTimeout(resolve, 100));
process.exit(0);
`;

/** Imports the bundle in a new Node process; when timed, records the import's milliseconds. */
function importInFreshProcess(target: Measured, mode: 'guarded' | 'timed'): void {
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
  if (mode === 'timed') {
    const [wall, cpu] = child.stdout.split(' ').map(Number);
    target.importMs.push(wall ?? Number.NaN);
    target.cpuMs.push(cpu ?? Number.NaN);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const times = (value: number) => `×${value.toFixed(2)}`;
const ms = (value: number) => value.toFixed(1);

export const bundles: Benchmark = {
  title: 'Function bundles: size and cold import',
  async run() {
    const empty = await bundle({
      name: emptyHandler,
      entry: { file: 'bench/fixtures/empty-handler.ts' },
      env: {},
    });
    const pairs: Pair[] = [];
    for (const name of Object.keys(functions) as FunctionName[]) {
      const clients = clientsOf(name);
      const env = environmentOf(name);
      const fn = await bundle({ name, entry: { file: functions[name].entry }, env });
      const floor = await bundle({ name: `${name} floor`, entry: { source: floorSource(clients) }, env });
      // The floor stands for the clients the function's code creates: its declaration and its bundle agree.
      const missing = clients.flatMap((client) => client.packages).filter((p) => !fn.packages.has(p));
      if (missing.length) throw new Error(`${name} declares clients its bundle lacks: ${missing.join(', ')}`);
      pairs.push({ name, clients, fn, floor });
    }
    const all = [empty, ...pairs.flatMap((pair) => [pair.fn, pair.floor])];

    for (let i = 0; i < warmUps; i++) for (const target of all) importInFreshProcess(target, 'guarded');
    // Round-robin, each function next to its floor (in turn first and second), so that drift in the
    // machine's load touches a function and its floor alike.
    for (let i = 0; i < runs; i++) {
      importInFreshProcess(empty, 'timed');
      for (const { fn, floor } of pairs) {
        for (const target of i % 2 ? [floor, fn] : [fn, floor]) {
          importInFreshProcess(target, 'timed');
        }
      }
    }

    const ratioOf = ({ fn, floor }: Pair) => median(fn.importMs) / median(floor.importMs);
    const cpuRatioOf = ({ fn, floor }: Pair) => median(fn.cpuMs) / median(floor.cpuMs);
    const goalOf = (name: FunctionName) => goals[name] ?? defaultGoal;
    const rows = pairs.map((pair) => [
      pair.name,
      pair.clients.map((client) => client.name).join(', '),
      integer.format(pair.fn.bytes),
      integer.format(pair.floor.bytes),
      ms(median(pair.fn.importMs)),
      ms(median(pair.floor.importMs)),
      times(ratioOf(pair)),
      `${ms(median(pair.fn.cpuMs))} / ${ms(median(pair.floor.cpuMs))}`,
      times(cpuRatioOf(pair)),
      `≤ ${times(goalOf(pair.name))} ${cpuRatioOf(pair) <= goalOf(pair.name) ? 'met' : 'missed'}`,
    ]);
    const report = table(
      [
        { header: 'function', align: 'left' },
        { header: 'its SDK clients (the floor)', align: 'left' },
        { header: 'bytes', align: 'right' },
        { header: 'floor bytes', align: 'right' },
        { header: 'cold import ms', align: 'right' },
        { header: 'floor ms', align: 'right' },
        { header: '÷ floor', align: 'right' },
        { header: 'CPU ms / floor', align: 'right' },
        { header: '÷ floor (CPU)', align: 'right' },
        { header: 'goal (CPU)', align: 'left' },
      ],
      rows,
    );
    const method =
      `Each bundle is built with infra/bundling.ts, the options the CDK app deploys with, into ` +
      `bench/.out/<function>/${bundleFileName}. A function's floor is a handler that only creates the ` +
      `AWS SDK clients the function uses (DynamoDB with its document client; SMS: End User Messaging's ` +
      `pinpoint-sms-voice-v2), as its handler creates them (shared/env.ts), bundled the same ` +
      `way: the part of a cold start no code of ours can remove. Cold import: median of ${runs} imports, ` +
      `each in a fresh Node process with the function's environment and no NODE_OPTIONS, as deployed; ` +
      `function and floor one after the other in each round (so drift in the machine's load touches ` +
      `both), after ${warmUps} warm-up imports per bundle that also check nothing reaches the network. ` +
      `CPU ms: the CPU time the process spent in the same imports (median). The figures come from a ` +
      `shared 2-core machine that other work was using, so a wall-clock millisecond includes waiting ` +
      `for a core: the goal is judged on CPU time, which is what an import costs on an idle core (a ` +
      `Lambda environment's, say); compare ratios within one run, not milliseconds across runs. ` +
      `Bytes: the bundle file, minified; its source map is a file beside it, read on the first error ` +
      `only, and so is the phone metadata, read on the first phone number parsed. An empty handler bundled the same way imports in ${ms(median(empty.importMs))} ms ` +
      `(${ms(median(empty.cpuMs))} ms CPU, ${integer.format(empty.bytes)} bytes). This run: ${describeMachine()}.`;
    // Clients a bundle holds beyond its floor's: code it carries for a service it does not call.
    const unused = pairs.flatMap(({ name, fn, floor }) => {
      const extra = [...fn.packages].filter(
        (p) => p.startsWith('@aws-sdk/client-') && !floor.packages.has(p),
      );
      return extra.length ? [`${name}: ${extra.join(', ')}`] : [];
    });
    const unusedNote = unused.length
      ? `\n\nSDK clients bundled beyond the floor's: ${unused.join('; ')}.`
      : "\n\nNo bundle holds an SDK client beyond its floor's.";
    const pairOf = (name: FunctionName) => pairs.find((pair) => pair.name === name) as Pair;
    const highest = pairs.reduce((a, b) => (cpuRatioOf(b) > cpuRatioOf(a) ? b : a));
    const headline = (pair: Pair) =>
      `${times(cpuRatioOf(pair))} CPU (${ms(median(pair.fn.cpuMs))} ms, floor ${ms(median(pair.floor.cpuMs))} ms); ` +
      `wall ${times(ratioOf(pair))}`;
    const headlines = [
      {
        figure: 'inbound-sms cold import ÷ its SDK clients alone (goal ≤ ×1.25)',
        value: headline(pairOf('inbound-sms')),
      },
      {
        figure: 'send-sms cold import ÷ its SDK clients alone (goal ≤ ×1.25)',
        value: headline(pairOf('send-sms')),
      },
      { figure: `highest cold import ÷ its floor (${highest.name}; goal ≤ ×1.5)`, value: headline(highest) },
    ];
    return { markdown: `${method}\n\n${report.markdown}${unusedNote}`, text: report.text, headlines };
  },
};
