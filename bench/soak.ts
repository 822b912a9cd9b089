import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Env } from '../shared/env';
import { type Benchmark, type BenchmarkReport, seededRandom } from './benchmark';
import { account, drain } from './soak-accounts';
import { atSteadyRate, call, campaign, type Traffic, text } from './soak-load';
import { memoryFigures, memorySampler, sampleEveryMs } from './soak-memory';
import { soakReport } from './soak-report';
import { holds, type SoakOptions, type SoakResult, soakDefaults } from './soak-result';
import {
  balancesMatching,
  campaignGroups,
  campaignTexts,
  customerCount,
  customersOf,
  furnish,
  groupSize,
  openShop,
} from './soak-shop';
import { Tally } from './soak-tally';

/**
 * `npm run bench` runs a short soak; `npm run soak` the default ten minutes or `--minutes`. Three, so
 * the second half, where the slope is fitted, starts once the runtime's bounded buffers (its last
 * 1,000 bus events) are full, about a minute and a half in at the default rates.
 */
const benchMinutes = 3;
const drainDeadlineMs = 180_000;

/** The soak itself: a fresh in-memory runtime on loopback, driven for `options.minutes`, then accounted for. */
export async function soak(options: SoakOptions): Promise<SoakResult> {
  const { startRuntime } = await import('../local/runtime');
  const runtime = await startRuntime({ port: 0 });
  try {
    const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamoEndpoint }).dynamo();
    const shop = await openShop(runtime, db);
    const { templateId } = await furnish(shop);
    const customers = await customersOf(shop);
    const tally = new Tally();
    const traffic: Traffic = {
      shop,
      customers,
      random: seededRandom(20_261_123),
      tally,
      templateId,
      sequence: 0,
      campaignRound: 0,
    };

    const memory = memorySampler();
    const until = Date.now() + options.minutes * 60_000;
    const [texts, calls] = await Promise.all([
      atSteadyRate(options.textsPerSecond, until, () => text(traffic)),
      atSteadyRate(options.callsPerSecond, until, () => call(traffic)),
      atSteadyRate(1 / options.campaignEverySeconds, until, () => campaign(traffic)),
    ]);
    memory.stop();

    const drainSeconds = await drain(runtime, db, shop.merchant.merchantId, drainDeadlineMs);
    const accounts = await account(runtime, db, shop.merchant.merchantId, {
      owed: tally.owed,
      unowed: tally.unowed,
      campaignIds: tally.campaigns,
      campaignTexts: await campaignTexts(shop, tally.campaigns),
      phones: customers.map((customer) => customer.phone),
    });
    const balances = await balancesMatching(shop, customers);
    const result: Omit<SoakResult, 'holds'> = {
      options,
      setup: {
        customers: customerCount,
        members: campaignGroups * groupSize,
        groupSize,
        sampleEverySeconds: sampleEveryMs / 1000,
      },
      tally,
      ticks: { texts, calls },
      memory: memoryFigures(memory.samples, options.minutes),
      drainSeconds,
      accounts,
      balances,
    };
    return { ...result, holds: holds(result) };
  } finally {
    await runtime.stop();
  }
}

/**
 * `npm run bench` runs the soak in a process of its own: its memory is the runtime's and the
 * traffic's alone, not what earlier benchmarks left behind, and the functions log at WARN from the
 * start (their logger reads the level once, when first imported).
 */
export const soakBench: Benchmark = {
  title: 'Soak: the local runtime under steady mixed traffic',
  async run() {
    const reportFile = join(mkdtempSync(join(tmpdir(), 'soak-')), 'report.json');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--minutes',
        String(benchMinutes),
        '--report',
        reportFile,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (!existsSync(reportFile)) throw new Error(`the soak stopped (exit code ${code}) before its report`);
    const { holds, ...report } = JSON.parse(readFileSync(reportFile, 'utf8')) as BenchmarkReport & {
      holds: boolean;
    };
    if (!holds) process.exitCode = 1;
    return report;
  },
};

/**
 * `npm run soak -- --minutes 10 [--texts-per-second 5] [--calls-per-second 3]` prints the report and
 * exits 1 when the accounts do not hold; `--report <file>` also writes it there as JSON.
 */
async function main() {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      'texts-per-second': { type: 'string' },
      'calls-per-second': { type: 'string' },
      report: { type: 'string' },
    },
  });
  const number = (name: keyof typeof values, fallback: number) => {
    const value = values[name];
    const parsed = value === undefined ? fallback : Number(value);
    if (!(parsed > 0)) throw new Error(`--${name}: a positive number, not ${value}`);
    return parsed;
  };
  const options: SoakOptions = {
    ...soakDefaults,
    minutes: number('minutes', soakDefaults.minutes),
    textsPerSecond: number('texts-per-second', soakDefaults.textsPerSecond),
    callsPerSecond: number('calls-per-second', soakDefaults.callsPerSecond),
  };
  console.log(
    `Soak: ${options.minutes} min, ${options.textsPerSecond} texts/s, ${options.callsPerSecond} calls/s`,
  );
  const result = await soak(options);
  const report = soakReport(result);
  console.log(report.text);
  if (values.report) writeFileSync(values.report, JSON.stringify({ ...report, holds: result.holds }));
  process.exit(result.holds ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
