import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { nightlyRunFor } from '../functions/retention-jobs/nightly-runs';
import { type ScoringDeps, scoreRun, scoringPageSize } from '../functions/retention-jobs/scoring';
import { startDynamoDBLocal } from '../local/dynamodb-local';
import { createTables } from '../local/tables';
import { newApiKey } from '../shared/domain/api-keys';
import {
  activityFacts,
  addToHistograms,
  emptyHistograms,
  type FactsInput,
  rfmValues,
  scoreMember,
} from '../shared/domain/retention';
import { addDays, dateIn } from '../shared/domain/time';
import { Env } from '../shared/env';
import { tables } from '../shared/resources';
import type { Merchant } from '../shared/schemas/merchant';
import {
  type ChurnZone,
  churnZones,
  type DayActivity,
  type RfmHistograms,
  type ZoneCounts,
} from '../shared/schemas/retention';
import { directoryStore } from '../shared/store/directory';
import { newMemberItem } from '../shared/store/members';
import { retentionStore, scoringMembersStore } from '../shared/store/retention';
import { type Benchmark, benchMerchant, collectGarbage, seededRandom, table } from './benchmark';

const memberCount = 100_000;
/** BatchWrite streams filling the table: the setup is not what is measured. */
const writers = 8;
/** 03:30 on 5 January in Shanghai, past the default scoring hour: the night measured. */
const night = new Date('2027-01-04T19:30:00.000Z');
const lastNight = new Date(night.getTime() - 86_400_000);

/**
 * Member `i` as of `day`: most bought recently, a long tail not for months or over a year; 1–8
 * purchase days of 20–500 yuan over up to five months before the last; a few complaints and opt-out
 * attempts; one in twenty targeted by a retention rule 15–75 days before; up to 1,500 points.
 */
function memberAsOf(i: number, day: string): FactsInput {
  const random = seededRandom(i + 1);
  const lastDaysAgo = Math.floor(random() ** 2 * 420);
  const days: Record<string, DayActivity> = {};
  const purchaseDays = 1 + Math.floor(random() * 8);
  for (let n = 0; n < purchaseDays; n++) {
    const ago = n === 0 ? lastDaysAgo : lastDaysAgo + Math.floor(random() * 150);
    if (ago >= 190) continue;
    const date = addDays(day, -ago);
    const counts = days[date] ?? {};
    counts.purchases = (counts.purchases ?? 0) + 1;
    counts.spendCents = (counts.spendCents ?? 0) + 2000 + Math.floor(random() * 48_000);
    days[date] = counts;
  }
  if (random() < 0.03) days[addDays(day, -Math.floor(random() * 60))] = { complaints: 1, inbound: 1 };
  if (random() < 0.02) days[addDays(day, -Math.floor(random() * 90))] = { optOutAttempts: 1, inbound: 1 };
  const lastPurchaseAt = `${addDays(day, -lastDaysAgo)}T04:00:00.000Z`;
  const targeted = random() < 0.05;
  return {
    // Join times ten minutes apart, the last joining on `day`.
    joinedAt: new Date(Date.parse(`${day}T04:00:00.000Z`) - (memberCount - i) * 600_000).toISOString(),
    lastPurchaseAt,
    points: Math.floor(random() * 1500),
    activity: {
      version: 1,
      days,
      lastActiveAt: lastPurchaseAt,
      targets: targeted
        ? [
            {
              ruleId: 'win-back',
              at: `${addDays(day, -15 - Math.floor(random() * 60))}T02:00:00.000Z`,
              group: random() < 0.1 ? 'holdout' : 'treated',
              eventId: `bench:${i}`,
            },
          ]
        : [],
    },
  };
}

/**
 * 100,000 members as last night's run left them (their RFM and churn scores written), 25 to a
 * BatchWrite: the night measured then finds what a night usually does, a day's changes.
 */
async function writeMembers(db: DynamoDBDocumentClient, merchant: Merchant): Promise<ZoneCounts> {
  const { timeZone, retention } = merchant;
  const day = dateIn(timeZone, lastNight);
  const histograms: RfmHistograms = emptyHistograms();
  for (let i = 0; i < memberCount; i++) {
    addToHistograms(histograms, rfmValues(activityFacts(memberAsOf(i, day), day, timeZone)));
  }
  const zones: Partial<Record<ChurnZone, number>> = {};
  const batches = Math.ceil(memberCount / 25);
  let next = 0;
  const writer = async () => {
    for (let batch = next++; batch < batches; batch = next++) {
      const items = Array.from({ length: Math.min(25, memberCount - batch * 25) }, (_, n) => {
        const i = batch * 25 + n;
        const member = memberAsOf(i, day);
        const scored = scoreMember(member, retention, histograms, day, timeZone);
        zones[scored.zone] = (zones[scored.zone] ?? 0) + 1;
        return newMemberItem({
          merchantId: merchant.merchantId,
          memberId: `mem-${String(i).padStart(6, '0')}`,
          phone: `+86139${String(i).padStart(8, '0')}`,
          joinChannel: 'import',
          joinRef: 'bench',
          ...member,
          rfm: scored.rfm,
          churnZone: scored.zone,
          churn: { score: scored.score, rules: scored.rules, runId: day, scoredAt: lastNight.toISOString() },
        }).item;
      });
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({
          RequestItems: { [tables.members.name]: items.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
      if (Object.keys(UnprocessedItems ?? {}).length > 0) {
        throw new Error('DynamoDB Local left writes unprocessed');
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  return zones;
}

/** Counts what the run publishes and writes, and passes the writes on. */
function counting(deps: ScoringDeps) {
  const counts = { published: 0, written: 0 };
  const counted: ScoringDeps = {
    ...deps,
    events: {
      publish: async (...events) => {
        counts.published += events.length;
      },
    },
    members: {
      page: deps.members.page,
      saveScores: async (...args) => {
        counts.written += 1;
        return deps.members.saveScores(...args);
      },
    },
  };
  return { counts, counted };
}

/** The process's largest resident set and heap while `work` runs, sampled every 20 ms. */
async function withPeakMemory<T>(work: () => Promise<T>) {
  collectGarbage();
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peak.rss = Math.max(peak.rss, rss);
    peak.heap = Math.max(peak.heap, heapUsed);
  };
  sample();
  const sampler = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return { result, peak };
  } finally {
    clearInterval(sampler);
  }
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const mb = (bytes: number) => integer.format(bytes / 2 ** 20);

/**
 * A night's scoring of a 100,000-member merchant on DynamoDB Local, as deployed (its page size, a
 * checkpoint per page, both passes, bounded parallel writes), timed from the request to the run done.
 */
export const scoringBench: Benchmark = {
  title: `Nightly churn scoring: members per second at ${memberCount.toLocaleString('en')} members`,
  async run() {
    const dynamo = await startDynamoDBLocal();
    try {
      const env = new Env({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
      await createTables(env.dynamoClient());
      const db = env.dynamo();
      const merchant = benchMerchant();
      await directoryStore(db, tables.directory.name).createMerchant(merchant, newApiKey().stored);
      const before = await writeMembers(db, merchant);
      const retention = retentionStore(db, tables.retention.name);
      const requested = nightlyRunFor(merchant, night);
      if (!requested || !(await retention.requestRun(requested))) throw new Error('no run to measure');
      const { counts, counted } = counting({
        retention,
        members: scoringMembersStore(db, tables.members.name),
        events: { publish: async () => undefined },
        clock: () => new Date(),
        pageSize: scoringPageSize,
      });

      const started = performance.now();
      const { result, peak } = await withPeakMemory(() =>
        scoreRun(merchant, requested, () => false, counted),
      );
      const seconds = (performance.now() - started) / 1000;
      if (result.outcome !== 'done') throw new Error(`the run did not finish: ${result.outcome}`);
      const { run } = result;

      const timing = table(
        [
          { header: 'members', align: 'right' },
          { header: 'zone changes published', align: 'right' },
          { header: 'members written', align: 'right' },
          { header: 'seconds (both passes)', align: 'right' },
          { header: 'members/s', align: 'right' },
          { header: 'peak RSS, MB', align: 'right' },
          { header: 'peak heap, MB', align: 'right' },
        ],
        [
          [
            integer.format(run.scored),
            integer.format(counts.published),
            integer.format(counts.written),
            seconds.toFixed(1),
            integer.format(run.scored / seconds),
            mb(peak.rss),
            mb(peak.heap),
          ],
        ],
      );
      const zones = table(
        [
          { header: 'members per zone', align: 'left' },
          ...churnZones.map((zone) => ({ header: zone, align: 'right' as const })),
        ],
        [
          ['last night (seeded)', ...churnZones.map((zone) => integer.format(before[zone] ?? 0))],
          ['this night', ...churnZones.map((zone) => integer.format(run.zones[zone] ?? 0))],
        ],
      );
      const note =
        'The members carry last night’s scores, as on any night but a merchant’s first: the run reads ' +
        `every member twice (counting, then scoring) in pages of up to ${scoringPageSize}, checkpoints each ` +
        'page, and writes and announces only the members whose scores moved in a day (events go to an ' +
        'in-memory publisher). A first night writes every member; DynamoDB Local takes a few hundred ' +
        'conditional writes a second on a small machine, so that night is slower by the write count. ' +
        'DynamoDB Local (its own JVM, not in the RSS) shares the cores with the run: the rate is a floor. ' +
        'Peak RSS and heap are this process’s, sampled every 20 ms from a full garbage collection before the ' +
        'run; the run holds one page of members and the bounded RFM histograms, whatever the member count ' +
        '(the peak heap is mostly garbage not yet collected).';
      return {
        markdown: `${note}\n\n${timing.markdown}\n\n${zones.markdown}`,
        text: `${timing.text}\n\n${zones.text}`,
        headlines: [
          {
            figure: `churn scoring members/s, ${integer.format(run.scored)} members (both passes)`,
            value: integer.format(run.scored / seconds),
          },
        ],
      };
    } finally {
      await dynamo.stop();
    }
  },
};
