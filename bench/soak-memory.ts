import { collectGarbage } from './benchmark';

export const sampleEveryMs = 3_000;
/** Heap after a full GC growing slower than this over the second half counts as flat. */
const flatMbPerMinute = 1;
const mb = (bytes: number) => bytes / 2 ** 20;

type Sample = { minute: number; heapMb: number; rssMb: number };

/** Heap after a full garbage collection, and RSS, every few seconds; minutes from the start of traffic. */
export function memorySampler() {
  const started = Date.now();
  const samples: Sample[] = [];
  const sample = () => {
    collectGarbage();
    const { heapUsed, rss } = process.memoryUsage();
    samples.push({ minute: (Date.now() - started) / 60_000, heapMb: mb(heapUsed), rssMb: mb(rss) });
  };
  sample();
  const timer = setInterval(sample, sampleEveryMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, p) => sum + (p.x - meanX) * (p.y - meanY), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/**
 * Start is the first sample after the warm-up (a quarter of the run, at most a minute); the slopes
 * fit the second half.
 */
export function memoryFigures(samples: readonly Sample[], minutes: number) {
  const warmUpMinutes = Math.min(1, minutes / 4);
  const start = samples.find((s) => s.minute >= warmUpMinutes) ?? (samples[0] as Sample);
  const end = samples.at(-1) as Sample;
  const secondHalf = samples.filter((s) => s.minute >= minutes / 2);
  const heapSlope = slope(secondHalf.map((s) => ({ x: s.minute, y: s.heapMb })));
  return {
    start,
    end,
    warmUpMinutes,
    heapSlope,
    rssSlope: slope(secondHalf.map((s) => ({ x: s.minute, y: s.rssMb }))),
    flat: Math.abs(heapSlope) < flatMbPerMinute,
    flatMbPerMinute,
  };
}
