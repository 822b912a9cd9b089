import { writeFileSync } from 'node:fs';
import { type Benchmark, describeMachine } from './benchmark';
import { birthdayBench } from './birthday';
import { bundles } from './bundles';
import { fanoutBench } from './fanout';
import { memberImport } from './import';
import { ledgerBench } from './ledger';
import { senderBench } from './sender';

/** Every benchmark `npm run bench` runs, in order; add new ones here. */
const benchmarks: readonly Benchmark[] = [
  bundles,
  ledgerBench,
  memberImport,
  birthdayBench,
  senderBench,
  fanoutBench,
];

const resultsFile = new URL('./RESULTS.md', import.meta.url);
const machine = describeMachine();
const startedAt = new Date();

console.log(`Machine: ${machine}\n`);
const sections: string[] = [];
for (const benchmark of benchmarks) {
  console.log(`== ${benchmark.title}`);
  const report = await benchmark.run();
  console.log(`${report.text}\n`);
  sections.push(`## ${benchmark.title}\n\n${report.markdown}\n`);
}

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
console.log(`Wrote ${resultsFile.pathname}`);
