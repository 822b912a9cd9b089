import { startDynamoDBLocal } from '../local/dynamodb-local';
import { createTables } from '../local/tables';
import { readImportRows } from '../shared/domain/member-import';
import { Env } from '../shared/env';
import { tables } from '../shared/resources';
import type { ImportReport } from '../shared/schemas/member-import';
import { importMembers } from '../shared/store/member-import';
import { type Benchmark, table } from './benchmark';

const rowCount = 100_000;
const merchantId = 'bench-import';
const context = { defaultCountry: 'CN', today: '2026-11-23' };

/**
 * `count` members as a CSV file, made as it is read (1,000 rows a chunk), never held whole:
 * distinct mobile phones, a name, a city, two tags and one custom attribute each.
 */
export async function* generatedMembersCsv(count: number): AsyncIterable<string> {
  yield 'phone,name,city,tags,attr.level\n';
  const perChunk = 1000;
  for (let start = 0; start < count; start += perChunk) {
    let chunk = '';
    for (let i = start; i < Math.min(count, start + perChunk); i++) {
      chunk += `139${String(i).padStart(8, '0')},会员${i},上海,vip;new,${i % 5}\n`;
    }
    yield chunk;
  }
}

interface Run {
  label: string;
  seconds: number;
  report: ImportReport;
}

/** The largest resident set seen while `work` runs, sampled every 20 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await work();
    return { result, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(sampler);
  }
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const mb = (bytes: number) => `${integer.format(bytes / 2 ** 20)} MB`;

export const memberImport: Benchmark = {
  title: 'Member import: rows per second',
  async run() {
    const dynamo = await startDynamoDBLocal();
    try {
      const env = new Env({
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        [tables.members.envVar]: tables.members.name,
      });
      await createTables(env.dynamoClient());
      const importOnce = async (label: string): Promise<Run> => {
        const started = performance.now();
        const rows = readImportRows(generatedMembersCsv(rowCount), 'csv', context);
        const report = await importMembers(
          env.dynamo(),
          { members: env.table('members') },
          merchantId,
          rows,
          {
            now: new Date(),
            importId: `bench-${label}`,
          },
        );
        return { label, seconds: (performance.now() - started) / 1000, report };
      };
      const rssBefore = process.memoryUsage.rss();
      const { result: runs, peakRss } = await withPeakRss(async () => [
        await importOnce('first run'),
        await importOnce('re-run'),
      ]);
      for (const { label, report } of runs) {
        if (report.failed > 0 || report.rows !== rowCount) {
          throw new Error(`${label}: ${JSON.stringify({ ...report, errors: report.errors.slice(0, 5) })}`);
        }
      }
      const rows = runs.map(({ label, seconds, report }) => [
        label,
        integer.format(report.rows),
        integer.format(report.created),
        integer.format(report.updated),
        integer.format(report.unchanged),
        seconds.toFixed(1),
        integer.format(report.rows / seconds),
      ]);
      const result = table(
        [
          { header: 'run', align: 'left' },
          { header: 'rows', align: 'right' },
          { header: 'created', align: 'right' },
          { header: 'updated', align: 'right' },
          { header: 'unchanged', align: 'right' },
          { header: 'seconds', align: 'right' },
          { header: 'rows/s', align: 'right' },
        ],
        rows,
      );
      const memory = `Peak RSS of the importing process: ${mb(peakRss)} (${mb(rssBefore)} before the first run).`;
      const method =
        `${integer.format(rowCount)} generated CSV rows (phone, name, city, two tags, one custom attribute), ` +
        `streamed through readImportRows and importMembers into an in-memory DynamoDB Local on this machine, ` +
        `then the same rows again (a re-run changes nothing: it only reads). A new member with tags is ` +
        `written in one transaction with an index item per tag (what makes a tag's member list read ` +
        `only its members); DynamoDB Local makes transactions slowly. DynamoDB Local shares the ` +
        `machine's cores with the import and is the slower side: the figures are a floor, not what AWS does. ` +
        `RSS is the Node process's, sampled every 20 ms; DynamoDB Local's JVM is not included.`;
      return {
        markdown: `${method}\n\n${result.markdown}\n\n${memory}`,
        text: `${result.text}\n${memory}`,
        headlines: runs.map(({ label, seconds, report }) => ({
          figure: `member import rows/s, ${label} of ${integer.format(rowCount)}`,
          value: integer.format(report.rows / seconds),
        })),
      };
    } finally {
      await dynamo.stop();
    }
  },
};
