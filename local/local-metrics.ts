/**
 * The functions' metrics, read from the CloudWatch EMF lines they print, as CloudWatch reads them
 * from their logs: `GET /local/metrics` shows each metric's total and its sums by dimension value.
 * The handlers run in this process, so their lines go through process.stdout.write; the tap takes the
 * EMF lines out of the output (npm start's terminal stays readable) and lets every other line through.
 */

/** A metric's total, and its sums by each dimension's values (`category` → `marketing` → 3). */
export interface MetricTotal {
  total: number;
  by: Record<string, Record<string, number>>;
}

export type MetricTotals = Record<string, MetricTotal>;

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

/** The dimension every line carries: the process's one POWERTOOLS_SERVICE_NAME here, so no news. */
const serviceDimension = 'service';

/** A line of output as an EMF document, or undefined when it is anything else. */
export function readEmfLine(line: string): EmfLine | undefined {
  if (!line.startsWith('{"_aws"')) return undefined;
  try {
    const parsed = JSON.parse(line) as Partial<EmfLine>;
    return Array.isArray(parsed._aws?.CloudWatchMetrics) ? (parsed as EmfLine) : undefined;
  } catch {
    return undefined;
  }
}

/** Adds one EMF document's values to the totals. */
export function addEmf(totals: MetricTotals, emf: EmfLine): void {
  for (const directive of emf._aws.CloudWatchMetrics) {
    const dimensions = [...new Set(directive.Dimensions.flat())].filter((name) => name !== serviceDimension);
    for (const { Name } of directive.Metrics) {
      const values = [emf[Name]].flat().filter((value): value is number => typeof value === 'number');
      const value = values.reduce((sum, each) => sum + each, 0);
      const metric = totals[Name] ?? { total: 0, by: {} };
      totals[Name] = metric;
      metric.total += value;
      for (const dimension of dimensions) {
        const byValue = metric.by[dimension] ?? {};
        metric.by[dimension] = byValue;
        const key = String(emf[dimension]);
        byValue[key] = (byValue[key] ?? 0) + value;
      }
    }
  }
}

type Write = typeof process.stdout.write;
const taps = new Set<(emf: EmfLine) => void>();
let originalWrite: Write | undefined;

/** Totals of every EMF line printed from now on, until `stop`. */
export function tapMetrics(): { totals(): MetricTotals; reset(): void; stop(): void } {
  let totals: MetricTotals = {};
  const tap = (emf: EmfLine) => addEmf(totals, emf);
  taps.add(tap);
  if (!originalWrite) {
    const write = process.stdout.write;
    originalWrite = write;
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'string')
        return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
      const kept = chunk.split('\n').filter((line) => {
        const emf = readEmfLine(line);
        if (emf) for (const each of taps) each(emf);
        return !emf;
      });
      const text = kept.join('\n');
      if (text === '') return true;
      return (write as (...args: unknown[]) => boolean).call(process.stdout, text, ...rest);
    }) as Write;
  }
  return {
    totals: () => structuredClone(totals),
    reset: () => {
      totals = {};
    },
    stop: () => {
      taps.delete(tap);
      if (taps.size === 0 && originalWrite) {
        process.stdout.write = originalWrite;
        originalWrite = undefined;
      }
    },
  };
}
