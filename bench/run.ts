import { readFileSync, writeFileSync } from 'node:fs';
import { type Benchmark, describeMachine } from './benchmark';
import { birthdayBench } from './birthday';
import { bundles } from './bundles';
import { fanoutBench } from './fanout';
import { memberImport } from './import';
import { ledgerBench } from './ledger';
import { scoringBench } from './scoring';
import { senderBench } from './sender';

/** Every benchmark `npm run bench` runs, in order; add new ones here. */
const benchmarks: readonly Benchmark[] = [
  bundles,
  ledgerBench,
  memberImport,
  birthdayBench,
  senderBench,
  fanoutBench,
  scoringBench,
];

/**
 * `npm run bench -- scoring`: only the benchmarks whose title has one of the words. Their sections of
 * RESULTS.md are replaced (or added); the others stay as the last full run wrote them.
 */
const words = process.argv.slice(2).map((word) => word.toLowerCase());
const chosen = words.length
  ? benchmarks.filter((benchmark) => words.some((word) => benchmark.title.toLowerCase().includes(word)))
  : benchmarks;

const resultsFile = new URL('./RESULTS.md', import.meta.url);
const machine = describeMachine();
const startedAt = new Date();

console.log(`Machine: ${machine}\n`);
const sections: string[] = [];
for (const benchmark of chosen) {
  console.log(`== ${benchmark.title}`);
  const report = await benchmark.run();
  console.log(`${report.text}\n`);
  sections.push(`## ${benchmark.title}\n\n${report.markdown}\n`);
}

if (words.length) {
  const [head = '', ...previous] = readFileSync(resultsFile, 'utf8').split(/^(?=## )/m);
  const titleOf = (section: string) => section.slice(3, section.indexOf('\n'));
  const fresh = new Map(sections.map((section) => [titleOf(section), section]));
  const kept = previous.map((section) => fresh.get(titleOf(section)) ?? section);
  const added = sections.filter((section) => !previous.some((old) => titleOf(old) === titleOf(section)));
  writeFileSync(resultsFile, `${[head, ...kept, ...added].map((part) => part.trimEnd()).join('\n\n')}\n`);
} else {
  writeFileSync(
    resultsFile,
    [
      '# Benchmark results',
      '',
      `Written by \`npm run bench\` on ${startedAt.toISOString()}; each run overwrites this file.`,
      '',
      `Machine: ${machine}`,
      '',
      ...sections,
    ].join('\n'),
  );
}
console.log(`Wrote ${resultsFile.pathname}`);
