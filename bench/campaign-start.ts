import { Env } from '../shared/env';
import type { Benchmark } from './benchmark';
import { table } from './benchmark';
import { customersOf, furnish, openShop, type Shop } from './soak-shop';

/** Campaigns scheduled for now, one after another, each to the same group of members. */
const rounds = 7;
/** The goal: a campaign scheduled now starts its run within this many seconds. */
const goalSeconds = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One campaign for now: ms from sending the schedule request to the run's start (as the run records
 * it), and, when `waitForText`, to its first text in the simulator's outbox.
 */
async function round(shop: Shop, templateId: string, phone: string, n: number, waitForText: boolean) {
  const drafted = await shop.call('POST', '/v1/campaigns', {
    name: `即时 ${n}`,
    templateId,
    audience: { definition: { field: 'tags', op: 'contains', value: 'group-0' } },
    schedule: { kind: 'now' },
  });
  if (drafted.status !== 201) throw new Error(`draft: ${drafted.status} ${JSON.stringify(drafted.body)}`);
  const { campaignId } = drafted.body.campaign;
  const texts = async () =>
    (await shop.call('GET', `/local/sms/outbox?phone=${encodeURIComponent(phone)}`)).body.messages?.length ??
    0;
  const before = await texts();
  const asked = Date.now();
  const scheduled = await shop.call('POST', `/v1/campaigns/${campaignId}/schedule`);
  if (scheduled.status !== 200) throw new Error(`schedule: ${scheduled.status}`);
  let firstText: number | undefined;
  let started: number | undefined;
  while (started === undefined || (waitForText && firstText === undefined)) {
    if (Date.now() - asked > 90_000) throw new Error(`campaign ${n} did not start in 90 s`);
    if (waitForText && firstText === undefined && (await texts()) > before) firstText = Date.now() - asked;
    const run = (await shop.call('GET', `/v1/campaigns/${campaignId}`)).body.campaign.runs?.[0];
    if (run && started === undefined) started = Date.parse(run.startedAt) - asked;
    await sleep(50);
  }
  return { started, firstText };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const campaignStartBench: Benchmark = {
  title: 'Campaign scheduled now: seconds to its start',
  async run() {
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    const { startRuntime } = await import('../local/runtime');
    const runtime = await startRuntime({ port: 0 });
    try {
      const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamoEndpoint }).dynamo();
      const shop = await openShop(runtime, db);
      const { templateId } = await furnish(shop);
      const [member] = await customersOf(shop);
      // The frequency cap (two marketing texts a day) holds a member's third: every round's start is
      // measured, the first text of the first two.
      const results = [];
      for (let n = 0; n < rounds; n++) {
        results.push(await round(shop, templateId, member?.phone ?? '', n, n < 2));
      }
      const started = results.map((r) => r.started / 1000);
      const firstTexts = results.flatMap((r) => (r.firstText === undefined ? [] : [r.firstText / 1000]));
      const worst = Math.max(...started);
      const report = table(
        [
          { header: 'measure', align: 'left' },
          { header: 'median s', align: 'right' },
          { header: 'worst s', align: 'right' },
        ],
        [
          ['schedule request → run started', median(started).toFixed(2), worst.toFixed(2)],
          [
            'schedule request → first text in the outbox',
            median(firstTexts).toFixed(2),
            Math.max(...firstTexts).toFixed(2),
          ],
        ],
      );
      const intro =
        `${rounds} campaigns scheduled \`now\` on the local runtime (its event bus and scheduler, as \`npm start\` runs them), ` +
        `one after another, to 20 opted-in members. Started: the run's own start time, less the instant the schedule ` +
        `request was sent. The one-off schedule each also gets would start it a minute later; the run starts on the ` +
        `merchant API's \`campaign.run-requested\` event instead. Goal: within ${goalSeconds} s.`;
      return {
        markdown: `${intro}\n\n${report.markdown}`,
        text: report.text,
        headlines: [
          {
            figure: `campaign scheduled now → run started, worst of ${rounds} (goal ≤ ${goalSeconds} s)`,
            value: `${worst.toFixed(2)} s (median ${median(started).toFixed(2)} s)`,
          },
        ],
      };
    } finally {
      await runtime.stop();
    }
  },
};
