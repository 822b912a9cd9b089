import { gzipSync } from 'node:zlib';
import type { Rolldown } from 'vite';
import { viteConfigFile } from '../console/build';
import { type Benchmark, table } from './benchmark';

/** What a phone on a slow network should load before the first page shows. */
const initialGoalBytes = 350_000;

type Chunk = Rolldown.OutputChunk;

const gzipped = (chunk: Chunk) => gzipSync(chunk.code, { level: 9 }).length;
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** The chunk and every chunk it imports statically, transitively: what loading it fetches. */
function withStaticImports(
  fileName: string,
  chunks: Map<string, Chunk>,
  into = new Set<string>(),
): Set<string> {
  if (into.has(fileName)) return into;
  into.add(fileName);
  for (const imported of chunks.get(fileName)?.imports ?? []) withStaticImports(imported, chunks, into);
  return into;
}

/**
 * The console as a browser loads it: the JavaScript index.html loads before any page (the entry chunk
 * and its static imports), and what opening each lazily loaded page adds to that, gzipped.
 */
export const consoleBench: Benchmark = {
  title: 'Console bundle: JavaScript loaded first and per page',
  async run() {
    const { build } = await import('vite');
    const result = (await build({
      configFile: viteConfigFile,
      logLevel: 'silent',
    })) as Rolldown.RolldownOutput;
    const chunks = new Map(
      result.output
        .filter((item): item is Chunk => item.type === 'chunk')
        .map((chunk) => [chunk.fileName, chunk]),
    );
    const [entry] = [...chunks.values()].filter((chunk) => chunk.isEntry);
    if (!entry) throw new Error('the console build has no entry chunk');
    const initial = withStaticImports(entry.fileName, chunks);
    const bytesOf = (files: Iterable<string>) =>
      [...files].reduce((sum, file) => sum + gzipped(chunks.get(file) as Chunk), 0);
    const initialBytes = bytesOf(initial);
    const pages = [...chunks.values()]
      .filter((chunk) => chunk.isDynamicEntry)
      .map((chunk) => {
        const added = [...withStaticImports(chunk.fileName, chunks)].filter((file) => !initial.has(file));
        return { name: chunk.name, chunks: added.length, bytes: bytesOf(added) };
      })
      .sort((a, b) => b.bytes - a.bytes);
    const largest = pages[0] ?? { name: 'none', chunks: 0, bytes: 0 };
    const report = table(
      [
        { header: 'loaded', align: 'left' },
        { header: 'chunks', align: 'right' },
        { header: 'gzipped', align: 'right' },
      ],
      [
        ['before any page (index.html)', String(initial.size), kB(initialBytes)],
        ...pages.map((page) => [`opening ${page.name}, beyond that`, String(page.chunks), kB(page.bytes)]),
      ],
    );
    const method =
      'A production build of the console (console/vite.config.ts). "Before any page" is the entry ' +
      'chunk and the chunks it imports statically, transitively: what index.html loads before the ' +
      'first page. Each lazily loaded page adds its own chunk and the static imports of it not loaded ' +
      `already. Sizes are gzip level 9, in kB of 1,000 bytes; the goal for the first is ${kB(initialGoalBytes)}.`;
    const headlines = [
      {
        figure: 'initial JavaScript (gzipped) ÷ goal',
        value: `${((100 * initialBytes) / initialGoalBytes).toFixed(0)}% (${kB(initialBytes)} of ${kB(initialGoalBytes)})`,
      },
      { figure: `largest page chunk (${largest.name}, gzipped)`, value: kB(largest.bytes) },
    ];
    return { markdown: `${method}\n\n${report.markdown}`, text: report.text, headlines };
  },
};
