import { arch, cpus, platform, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Merchant, type MerchantInput, merchantSchema } from '../shared/schemas/merchant';

/** One line of the summary RESULTS.md opens with: a figure a reader checks first (a ratio or a count). */
export interface Headline {
  figure: string;
  value: string;
}

/** What one benchmark found, for RESULTS.md and for the terminal. */
export interface BenchmarkReport {
  markdown: string;
  text: string;
  /** Its lines in the summary; the detail stays in `markdown`. */
  headlines?: readonly Headline[];
}

/** One entry of `npm run bench`; bench/run.ts runs each in turn and collects their reports. */
export interface Benchmark {
  title: string;
  run(): Promise<BenchmarkReport>;
}

/** The machine a run was on: absolute times only mean something next to it. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const memoryGb = Math.round(totalmem() / 2 ** 30);
  return `${model}, ${cores.length} cores, ${memoryGb} GB, ${platform()} ${arch()}, Node ${process.version}`;
}

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align: Align;
}

/** The same rows as a Markdown table and as aligned plain text, both padded as Biome formats them. */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[]): BenchmarkReport {
  const cell = (row: readonly string[], i: number) => row[i] ?? '';
  const widths = columns.map((c, i) => Math.max(3, c.header.length, ...rows.map((r) => cell(r, i).length)));
  const pad = (text: string, i: number) => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (row: readonly string[]) => columns.map((_, i) => pad(cell(row, i), i));
  const headers = columns.map((c) => c.header);
  const rules = columns.map((c, i) => {
    const width = widths[i] ?? 0;
    return c.align === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width);
  });
  const markdown = [headers, rules, ...rows].map((r, n) => `| ${(n === 1 ? r : line(r)).join(' | ')} |`);
  const text = [headers, widths.map((w) => '-'.repeat(w)), ...rows].map((r) => line(r).join('  '));
  return { markdown: markdown.join('\n'), text: text.join('\n') };
}

/** The merchant a benchmark works for: a flower shop in Shanghai, with whatever the benchmark changes. */
export function benchMerchant(overrides: Partial<MerchantInput> = {}): Merchant {
  return merchantSchema.parse({
    merchantId: 'bench',
    name: '花店',
    signature: '【花店】',
    senderNumber: '+8610690000',
    defaultCountry: 'CN',
    timeZone: 'Asia/Shanghai',
    createdAt: new Date().toISOString(),
    ...overrides,
  });
}

/**
 * Counts the items DynamoDB reads through `db` from now on: every Query and Scan response's
 * `ScannedCount`, and one per Get that found an item. `read` is the running total; set it to 0 to start
 * a measurement.
 */
export function countItemsRead(db: DynamoDBDocumentClient): { read: number } {
  const counter = { read: 0 };
  db.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = (result.output ?? {}) as { ScannedCount?: number; Item?: unknown };
      if (typeof output.ScannedCount === 'number') counter.read += output.ScannedCount;
      else if (output.Item) counter.read += 1;
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  return counter;
}

/** A full garbage collection, so the heap measured after it holds only what is still in use. */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** A repeatable sequence in [0, 1) for a seed (mulberry32): the same data on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
