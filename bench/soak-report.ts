import { type BenchmarkReport, table } from './benchmark';
import { booksBalance, heldBackTotal, queuedTotal } from './soak-accounts';
import type { SoakResult } from './soak-result';
import type { Answers } from './soak-tally';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const integer = (n: number) => n.toLocaleString('en-US');
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(2)}`;

/** The soak's section of RESULTS.md, and its lines in the summary. */
export function soakReport(result: SoakResult): BenchmarkReport {
  const { options, setup, tally, ticks, memory, accounts: a, balances } = result;
  const seconds = options.minutes * 60;
  const traffic = table(
    [
      { header: 'traffic', align: 'left' },
      { header: 'count', align: 'right' },
      { header: 'per second', align: 'right' },
    ],
    [
      ...[...tally.texts].map(([kind, count]) => [
        `text: ${kind}`,
        integer(count),
        (count / seconds).toFixed(2),
      ]),
      ...[...tally.calls].map(([route, count]) => [
        `API: ${route}`,
        integer(count),
        (count / seconds).toFixed(2),
      ]),
      ['ticks missed (runtime behind)', integer(ticks.texts.missed + ticks.calls.missed), ''],
    ],
  );
  const heldBack = Object.entries(a.heldBack)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${integer(count)} ${status}`);
  const equation =
    `${integer(queuedTotal(a))} queued = ${integer(a.sentInOutbox)} in the outbox + ` +
    `${integer(heldBackTotal(a))} held back with a reason${heldBack.length ? ` (${heldBack.join(', ')})` : ''} + ` +
    `${integer(a.inDlq)} in the DLQ`;
  const counts = table(
    [
      { header: 'in = out + DLQ', align: 'left' },
      { header: 'count', align: 'right' },
    ],
    [
      ['in: texts owed a reply', integer(a.repliesOwed)],
      ['in: texts owed none (a repeated opt-out)', integer(tally.unowed.size)],
      [
        'in: texts delivered again (a replay), answered the first time only',
        integer(tally.texts.get('replay') ?? 0),
      ],
      [`queued: campaign texts (${tally.campaigns.length} campaigns)`, integer(a.campaignTexts)],
      ['queued: texts of scheduled jobs', integer(a.otherQueued)],
      ["queued in all: replies owed + campaign texts + scheduled jobs' texts", integer(queuedTotal(a))],
      ['out: sent, in the outbox', integer(a.sentInOutbox)],
      ['… of them replies to texts owed one', integer(a.repliesInOutbox)],
      ...Object.entries(a.heldBack).map(([status, count]) => [
        `out: ${status}, with its reason on record`,
        integer(count),
      ]),
      ['out: in the DLQ', integer(a.inDlq)],
      ...Object.entries(a.faults).map(([fault, count]) => [fault, integer(count)]),
      [`members whose balance is every point earned (of ${balances.members})`, integer(balances.matching)],
    ],
  );
  const memoryTable = table(
    [
      { header: 'memory (the soak process)', align: 'left' },
      { header: 'heap after GC, MB', align: 'right' },
      { header: 'RSS, MB', align: 'right' },
    ],
    [
      [
        `start (after ${memory.warmUpMinutes.toFixed(1)} min warm-up)`,
        memory.start.heapMb.toFixed(1),
        memory.start.rssMb.toFixed(1),
      ],
      [`end (${options.minutes} min)`, memory.end.heapMb.toFixed(1), memory.end.rssMb.toFixed(1)],
      ['slope over the second half, MB/min', signed(memory.heapSlope), signed(memory.rssSlope)],
    ],
  );
  const ms = (values: readonly number[], p: number) => integer(Math.round(percentile(values, p)));
  const latency = table(
    [
      { header: 'latency, ms', align: 'left' },
      { header: 'p50', align: 'right' },
      { header: 'p95', align: 'right' },
      { header: 'p99', align: 'right' },
    ],
    [
      ['inbound text accepted (inbound-sms ran)', ...[50, 95, 99].map((p) => ms(tally.textMs, p))],
      ['merchant API call', ...[50, 95, 99].map((p) => ms(tally.callMs, p))],
      ['text in → its reply in the outbox', ...[50, 95, 99].map((p) => ms(a.replyLatencyMs, p))],
    ],
  );
  const answers = (title: string, found: ReadonlyMap<string, Answers>) => {
    const lines = [...found].map(([key, { count, example }]) => `- ${key}: ${count}× (${example})`);
    return lines.length ? [`${title}:\n\n${lines.join('\n')}`] : [];
  };
  const surprises = [
    ...answers('Answered 5xx, then tried again with the same ids', tally.retried),
    ...answers('Never answered as expected, even after retries', tally.unsettled),
  ];
  const balanced = booksBalance(a);
  const sum = `${integer(queuedTotal(a))} = ${integer(a.sentInOutbox)} + ${integer(heldBackTotal(a))} + ${integer(a.inDlq)}`;
  const books = `In = out + DLQ ${balanced ? 'holds' : 'DOES NOT HOLD'}: ${equation}.`;
  const verdict = result.holds
    ? 'The soak passes: the books balance, every balance is right and every request was settled.'
    : 'The soak FAILS: see the counts above.';
  const method =
    `The whole local runtime (local/runtime.ts: DynamoDB Local in memory, the SQS server, event bus, ` +
    `scheduler, simulated carrier, every function) on loopback, driven for ${options.minutes} minutes ` +
    `at ${options.textsPerSecond} customer texts and ${options.callsPerSecond} API calls a second, and ` +
    `a campaign to ${setup.groupSize} opted-in members every ${options.campaignEverySeconds} s. ` +
    `${setup.customers} customers (${setup.members} members to start with) text joins, 积分, 反馈, 调查 ` +
    `and survey answers, 退订 and 订阅, 帮助, and some texts are delivered twice; the API earns points ` +
    `(one in ten sent again with its idempotency key), reads members and pages through the list. A ` +
    `request answered 5xx is tried twice more with the same ids, as SNS and a careful client do. After ` +
    `the traffic the runtime drains (${result.drainSeconds.toFixed(1)} s here) and every text is ` +
    `accounted for from the message records, the outbox and the DLQ. Memory is the soak process's (the ` +
    `runtime and the traffic, in a process of their own; DynamoDB Local's JVM is apart), sampled every ` +
    `${setup.sampleEverySeconds} s after a full GC; flat means the heap grows less than ` +
    `${memory.flatMbPerMinute} MB a minute over the second half. What grows with the texts by design: the ` +
    `simulated phones' outboxes and the soak's own note of each text (a few hundred bytes a text), and ` +
    `the last 1,000 bus events the runtime keeps for developers, full after the first minutes (in a short ` +
    `run, that filling is in the slope).`;
  return {
    markdown: [
      method,
      traffic.markdown,
      counts.markdown,
      books,
      memoryTable.markdown,
      latency.markdown,
      ...surprises,
      verdict,
    ].join('\n\n'),
    text: [traffic.text, counts.text, books, memoryTable.text, latency.text, ...surprises, verdict].join(
      '\n\n',
    ),
    headlines: [
      {
        figure: `heap after GC over the second half of ${options.minutes} min, MB/min`,
        value: `${signed(memory.heapSlope)}, ${memory.flat ? 'flat' : 'GROWING'}`,
      },
      {
        figure: 'texts queued = in the outbox + held back with a reason + DLQ',
        value: `${balanced ? 'holds' : 'DOES NOT HOLD'}: ${sum}`,
      },
      { figure: 'text in → its reply in the outbox, p95', value: `${ms(a.replyLatencyMs, 95)} ms` },
    ],
  };
}
