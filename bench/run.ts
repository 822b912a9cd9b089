import { readFileSync, writeFileSync } from 'node:fs';
import { type Benchmark, describeMachine } from './benchmark';
import { birthdayBench } from './birthday';
import { bundles } from './bundles';
import { campaignStartBench } from './campaign-start';
import { consoleBench } from './console';
import { dashboardBench } from './dashboard';
import { fanoutBench } from './fanout';
import { memberImport } from './import';
import { ledgerBench } from './ledger';
import { scoringBench } from './scoring';
import { senderBench } from './sender';
import { soakBench } from './soak';
import { previousRows, type SummaryRow, summaryRows, summarySection, summaryTitle } from './summary';

/** Every benchmark `npm run bench` runs, in order; add new ones here. */
const benchmarks: readonly Benchmark[] = [
  bundles,
  consoleBench,
  ledgerBench,
  memberImport,
  birthdayBench,
  dashboardBench,
  senderBench,
  fanoutBench,
  campaignStartBench,
  scoringBench,
  soakBench,
];

/**
 * `npm run bench -- scoring`: only the benchmarks whose title has one of the words. Their sections of
 * RESULTS.md are replaced (or added), and their lines of the summary; the others stay as the last full
 * run wrote them.
 */
const words = process.argv.slice(2).map((word) => word.toLowerCase());
const chosen = words.length
  ? benchmarks.filter((benchmark) => words.some((word) => benchmark.title.toLowerCase().includes(word)))
  : benchmarks;

const resultsFile = new URL('./RESULTS.md', import.meta.url);
const machine = describeMachine();
const startedAt = new Date();
const titles = benchmarks.map((benchmark) => benchmark.title);

console.log(`Machine: ${machine}\n`);
const sections: string[] = [];
const rows: SummaryRow[] = [];
for (const benchmark of chosen) {
  console.log(`== ${benchmark.title}`);
  const report = await benchmark.run();
  console.log(`${report.text}\n`);
  sections.push(`## ${benchmark.title}\n\n${report.markdown}\n`);
  rows.push(...summaryRows(benchmark.title, report.headlines ?? []));
}

if (words.length) {
  const [head = '', ...previous] = readFileSync(resultsFile, 'utf8').split(/^(?=## )/m);
  const titleOf = (section: string) => section.slice(3, section.indexOf('\n'));
  const summary = previous.find((section) => titleOf(section) === summaryTitle) ?? '';
  const details = previous.filter((section) => titleOf(section) !== summaryTitle);
  const fresh = new Map(sections.map((section) => [titleOf(section), section]));
  const replaced = details.map((section) => fresh.get(titleOf(section)) ?? section);
  const added = sections.filter((section) => !details.some((old) => titleOf(old) === titleOf(section)));
  const parts = [head, summarySection(titles, previousRows(summary), rows), ...replaced, ...added];
  writeFileSync(resultsFile, `${parts.map((part) => part.trimEnd()).join('\n\n')}\n`);
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
      summarySection(titles, [], rows),
      ...sections,
    ].join('\n'),
  );
}
console.log(`Wrote ${resultsFile.pathname}`);
