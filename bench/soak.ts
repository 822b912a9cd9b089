import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../local/runtime';
import { newApiKey } from '../shared/domain/api-keys';
import { Env } from '../shared/env';
import { campaignSchedules, tables } from '../shared/resources';
import { scheduleName } from '../shared/scheduler/event-bridge-schedules';
import { type Merchant, merchantSchema } from '../shared/schemas/merchant';
import { directoryStore } from '../shared/store/directory';
import { type Benchmark, type BenchmarkReport, collectGarbage, seededRandom } from './benchmark';
import { type Accounts, account, booksBalance, drain } from './soak-accounts';
import { soakReport } from './soak-report';
import { type Customer, nextText, type TextKind, textKinds } from './soak-traffic';

/** How hard and how long the soak drives the runtime. */
export interface SoakOptions {
  minutes: number;
  /** Customers' texts per second, at a steady rate. */
  textsPerSecond: number;
  /** Merchant API calls per second (earn, member reads and list pages), besides the campaigns. */
  callsPerSecond: number;
  /** One campaign to a group of 20 opted-in members this often. */
  campaignEverySeconds: number;
}

export const soakDefaults: SoakOptions = {
  minutes: 10,
  textsPerSecond: 5,
  callsPerSecond: 3,
  campaignEverySeconds: 20,
};

/**
 * `npm run bench` runs a short soak; `npm run soak` the default ten minutes or `--minutes`. Three, so
 * the second half, where the slope is fitted, starts once the runtime's bounded buffers (its last
 * 1,000 bus events) are full, about a minute and a half in at the default rates.
 */
const benchMinutes = 3;
const customerCount = 400;
/**
 * The first customers are members already, opted in, in groups a campaign goes to in turn: two, so a
 * group's third campaign of the day meets the frequency cap (two marketing texts a day by default).
 */
const campaignGroups = 2;
const groupSize = 20;
const sampleEveryMs = 3_000;
/** A tick finding this many operations of its kind still in flight is missed: the runtime fell behind. */
const maxInFlight = 40;
/** Heap after a full GC growing slower than this over the second half counts as flat. */
const flatMbPerMinute = 1;
const drainDeadlineMs = 180_000;

const mb = (bytes: number) => bytes / 2 ** 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fixed-offset zone where it is about noon now, so marketing texts are inside the default send window. */
function zoneAtNoon(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the runtime under load; the soak checks what it uses.
  body: any;
}

/** The merchant the soak works for, as the runtime serves it over loopback. */
interface Shop {
  merchant: Merchant;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  sms(from: string, text: string, messageId: string): Promise<Reply>;
}

async function openShop(runtime: Runtime, db: DynamoDBDocumentClient): Promise<Shop> {
  const { apiKey, stored } = newApiKey();
  const merchant = merchantSchema.parse({
    merchantId: 'soak',
    name: '花店',
    signature: '【花店】',
    senderNumber: '+861069001234',
    defaultCountry: 'CN',
    timeZone: zoneAtNoon(),
    createdAt: new Date().toISOString(),
  });
  if (!(await directoryStore(db, tables.directory.name).createMerchant(merchant, stored))) {
    throw new Error('the soak merchant exists already: the soak needs a fresh runtime');
  }
  async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }
  return {
    merchant,
    call: request,
    sms: (from, text, messageId) =>
      request('POST', '/local/sms/inbound', { from, to: merchant.senderNumber, text, messageId }),
  };
}

/** What every customer can use: a survey started by the keyword 调查, a marketing template. */
async function furnish(shop: Shop): Promise<{ templateId: string }> {
  const expect = (what: string, reply: Reply, status: number) => {
    if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const survey = expect(
    'survey',
    await shop.call('POST', '/v1/surveys', {
      name: '购花满意度',
      intro: '花店想听听您的意见，共3题，回复即可。',
      questions: [
        { kind: 'choice', prompt: '您对本次购花体验满意吗？', options: ['满意', '一般', '不满意'] },
        { kind: 'rating', prompt: '请为鲜花品质打分' },
        { kind: 'text', prompt: '还有什么想对我们说的？' },
      ],
      thankYou: '感谢参与！',
    }),
    201,
  );
  expect(
    'keyword app',
    await shop.call('POST', '/v1/keyword-apps', {
      name: '满意度调查',
      keyword: '调查',
      action: { kind: 'start-survey', surveyId: survey.survey.surveyId },
    }),
    201,
  );
  const template = expect(
    'template',
    await shop.call('POST', '/v1/templates', {
      name: '周末促销',
      body: '{{name}}，本周末全场8折',
      category: 'marketing',
    }),
    201,
  );
  return { templateId: template.template.templateId };
}

/** The customers: the campaign groups' members, added by the API and opted in; then strangers who text to join. */
async function customersOf(shop: Shop): Promise<Customer[]> {
  const customers = Array.from(
    { length: customerCount },
    (_, i): Customer => ({
      phone: `+86138${String(10_000_000 + i)}`,
      name: `顾客${i}`,
      member: false,
      subscribed: false,
      points: 0,
      busy: false,
    }),
  );
  for (const [i, customer] of customers.slice(0, campaignGroups * groupSize).entries()) {
    const created = await shop.call('POST', '/v1/members', {
      phone: customer.phone,
      name: customer.name,
      tags: [`group-${i % campaignGroups}`],
      marketingConsent: { source: '门店纸质登记表' },
    });
    if (created.status !== 201)
      throw new Error(`member ${i}: ${created.status} ${JSON.stringify(created.body)}`);
    Object.assign(customer, { member: true, subscribed: true });
  }
  return customers;
}

/**
 * Starts `operation` every 1/rate seconds until `until` (epoch ms), awaiting none of them. A tick that
 * finds `maxInFlight` of them still running is missed: the runtime is not keeping up.
 */
async function atSteadyRate(rate: number, until: number, operation: () => Promise<void>) {
  const intervalMs = 1000 / rate;
  const running = new Set<Promise<void>>();
  const started = Date.now();
  let ticks = 0;
  let missed = 0;
  for (;;) {
    const at = started + ticks * intervalMs;
    if (at >= until) break;
    await sleep(at - Date.now());
    ticks += 1;
    if (running.size >= maxInFlight) {
      missed += 1;
      continue;
    }
    const done = operation().finally(() => running.delete(done));
    running.add(done);
  }
  await Promise.all(running);
  return { ticks, missed };
}

/** Heap after a full garbage collection, and RSS, every few seconds; minutes from the start of traffic. */
function memorySampler() {
  const started = Date.now();
  const samples: { minute: number; heapMb: number; rssMb: number }[] = [];
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

const callKinds = [
  'earn',
  'earn retried with its key',
  'member read',
  'member list page',
  'campaign',
] as const;
type CallKind = (typeof callKinds)[number];

/** What the traffic did and expects: replies owed by inbound id, statuses by route, latencies. */
export class Tally {
  readonly texts = new Map<TextKind, number>(textKinds.map((kind) => [kind, 0]));
  readonly calls = new Map<CallKind, number>(callKinds.map((kind) => [kind, 0]));
  /** Inbound id → when it was posted, for every text owed one reply. */
  readonly owed = new Map<string, number>();
  /** Inbound ids of texts owed no reply (a repeated opt-out); a replay repeats an id already counted. */
  readonly unowed = new Set<string>();
  readonly textMs: number[] = [];
  readonly callMs: number[] = [];
  /** 5xx answers tried again (a function timing out on a loaded machine, say), by `<route> <status>`. */
  readonly retried = new Map<string, Answers>();
  /** Requests never answered as expected, even after their retries: what they did is unknown. */
  readonly unsettled = new Map<string, Answers>();
  readonly campaigns: string[] = [];

  count<Key>(map: Map<Key, number>, key: Key) {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  note(answers: Map<string, Answers>, route: string, reply: Reply) {
    const key = `${route} ${reply.status}`;
    const seen = answers.get(key) ?? { count: 0, example: JSON.stringify(reply.body).slice(0, 200) };
    seen.count += 1;
    answers.set(key, seen);
  }
}

/** How often a route gave one answer, and the first such answer's body. */
export type Answers = { count: number; example: string };

/**
 * A request as a careful client makes it: a 5xx is tried twice more, a second apart, with the same
 * ids (the inbound message id, the idempotency key), as SNS and Lambda retry a text and a merchant
 * retries a write. Undefined, and noted as unsettled, when the answer is still not one expected.
 */
async function request(
  tally: Tally,
  route: string,
  expected: readonly number[],
  send: () => Promise<Reply>,
): Promise<Reply | undefined> {
  let reply = await send();
  for (let attempt = 1; reply.status >= 500 && attempt < 3; attempt++) {
    tally.note(tally.retried, route, reply);
    await sleep(1000);
    reply = await send();
  }
  if (expected.includes(reply.status)) return reply;
  tally.note(tally.unsettled, route, reply);
  return undefined;
}

/** The traffic's state: who texts, what is owed, where the member list reading is. */
interface Traffic {
  shop: Shop;
  customers: Customer[];
  random: () => number;
  tally: Tally;
  templateId: string;
  /** Numbers inbound message ids and idempotency keys. */
  sequence: number;
  /** Campaigns started: each goes to the next group. */
  campaignRound: number;
  /** Member list pages are read in turn, from the first again after the last. */
  listCursor?: string;
}

/** One customer's next text, posted as the provider delivers it. */
async function text(traffic: Traffic) {
  const { shop, customers, random, tally } = traffic;
  const idle = customers.filter((customer) => !customer.busy);
  const customer = idle[Math.floor(random() * idle.length)];
  if (!customer) return;
  const next = nextText(customer, random, `soak-in-${traffic.sequence++}`);
  customer.busy = true;
  try {
    const postedAt = Date.now();
    const sent = () => shop.sms(customer.phone, next.body, next.messageId);
    const reply = await request(tally, `text (${next.kind})`, [202], sent);
    tally.textMs.push(Date.now() - postedAt);
    if (!reply) return;
    tally.count(tally.texts, next.kind);
    if (next.kind !== 'replay') {
      if (next.replied) tally.owed.set(next.messageId, postedAt);
      else tally.unowed.add(next.messageId);
    }
    next.apply(customer);
  } finally {
    customer.busy = false;
  }
}

/** One merchant API call: an earn (one in ten retried with its key), a member read, or a page of the list. */
async function call(traffic: Traffic) {
  const { shop, customers, random, tally } = traffic;
  const members = customers.filter((customer) => customer.member);
  const member = members[Math.floor(random() * members.length)];
  if (!member) return;
  const phone = encodeURIComponent(member.phone);
  const timed = async (route: CallKind, expected: readonly number[], send: () => Promise<Reply>) => {
    const started = Date.now();
    const reply = await request(tally, route, expected, send);
    tally.callMs.push(Date.now() - started);
    tally.count(tally.calls, route);
    return reply;
  };
  const pick = random();
  if (pick < 0.5) {
    const points = 1 + Math.floor(random() * 100);
    const key = { 'idempotency-key': `soak-order-${traffic.sequence++}` };
    const earn = () => shop.call('POST', `/v1/members/${phone}/points`, { points, reason: '到店消费' }, key);
    // A 200 answers a retry of a 5xx whose first attempt had written: the points count once either way.
    const earned = await timed('earn', [201, 200], earn);
    if (!earned) return;
    member.points += points;
    if (random() < 0.1) {
      const again = await timed('earn retried with its key', [200], earn);
      if (again && again.body.replayed !== true)
        tally.note(tally.unsettled, 'earn retried, not replayed', again);
    }
  } else if (pick < 0.75) {
    await timed('member read', [200], () => shop.call('GET', `/v1/members/${phone}`));
  } else {
    const cursor = traffic.listCursor ? `&cursor=${encodeURIComponent(traffic.listCursor)}` : '';
    const page = await timed('member list page', [200], () =>
      shop.call('GET', `/v1/members?limit=50${cursor}`),
    );
    traffic.listCursor = page?.body.cursor;
  }
}

/** A campaign to the next group: drafted, scheduled, and fired by the local scheduler. */
async function campaign(traffic: Traffic) {
  const { shop, templateId, tally } = traffic;
  const n = traffic.campaignRound++;
  tally.count(tally.calls, 'campaign');
  const drafted = await request(tally, 'campaign draft', [201], () =>
    shop.call('POST', '/v1/campaigns', {
      name: `周末促销 ${n}`,
      templateId,
      audience: { definition: { field: 'tags', op: 'contains', value: `group-${n % campaignGroups}` } },
      schedule: { kind: 'now' },
    }),
  );
  if (!drafted) return;
  const { campaignId } = drafted.body.campaign;
  const scheduled = await request(tally, 'campaign schedule', [200], () =>
    shop.call('POST', `/v1/campaigns/${campaignId}/schedule`),
  );
  if (!scheduled) return;
  const name = scheduleName(shop.merchant.merchantId, campaignId);
  // Fired now, as Scheduler would at its time: the fan-out runs before the answer.
  const fired = await request(tally, 'campaign fired', [200], () =>
    shop.call('POST', `/local/schedules/${campaignSchedules.group}/${name}`),
  );
  if (fired) tally.campaigns.push(campaignId);
}

/** What the campaigns' fan-outs queued, by their stats. */
async function campaignTexts(shop: Shop, campaignIds: readonly string[]): Promise<number> {
  let targeted = 0;
  for (const campaignId of campaignIds) {
    const stats = await shop.call('GET', `/v1/campaigns/${campaignId}/stats`);
    targeted += stats.body.stats?.targeted ?? 0;
  }
  return targeted;
}

/** Every member's balance as the API lists it, against the points the soak earned for them. */
async function balancesMatching(shop: Shop, customers: readonly Customer[]) {
  const listed = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await shop.call('GET', `/v1/members?limit=100${query}`);
    for (const member of page.body.members ?? []) listed.set(member.phone, member.points);
    cursor = page.body.cursor;
  } while (cursor);
  const members = customers.filter((customer) => customer.member);
  const matching = members.filter((customer) => listed.get(customer.phone) === customer.points).length;
  return { members: members.length, listed: listed.size, matching };
}

type Sample = { minute: number; heapMb: number; rssMb: number };

/** What a soak found; soak-report.ts writes it up. */
export interface SoakResult {
  options: SoakOptions;
  /** The shape of the traffic, for the report's description of it. */
  setup: { customers: number; members: number; groupSize: number; sampleEverySeconds: number };
  tally: Tally;
  ticks: { texts: { ticks: number; missed: number }; calls: { ticks: number; missed: number } };
  memory: ReturnType<typeof memoryFigures>;
  drainSeconds: number;
  accounts: Accounts;
  balances: { members: number; listed: number; matching: number };
  /** In = out + DLQ, every reply owed is there, nothing doubled, every balance right, every request settled. */
  holds: boolean;
}

/** The soak itself: a fresh in-memory runtime on loopback, driven for `options.minutes`, then accounted for. */
export async function soak(options: SoakOptions): Promise<SoakResult> {
  const { startRuntime } = await import('../local/runtime');
  const runtime = await startRuntime({ port: 0 });
  try {
    const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: runtime.dynamoEndpoint }).dynamo();
    const shop = await openShop(runtime, db);
    const { templateId } = await furnish(shop);
    const customers = await customersOf(shop);
    const tally = new Tally();
    const traffic: Traffic = {
      shop,
      customers,
      random: seededRandom(20_261_123),
      tally,
      templateId,
      sequence: 0,
      campaignRound: 0,
    };

    const memory = memorySampler();
    const until = Date.now() + options.minutes * 60_000;
    const [texts, calls] = await Promise.all([
      atSteadyRate(options.textsPerSecond, until, () => text(traffic)),
      atSteadyRate(options.callsPerSecond, until, () => call(traffic)),
      atSteadyRate(1 / options.campaignEverySeconds, until, () => campaign(traffic)),
    ]);
    memory.stop();

    const drainSeconds = await drain(runtime, db, shop.merchant.merchantId, drainDeadlineMs);
    const accounts = await account(runtime, db, shop.merchant.merchantId, {
      owed: tally.owed,
      unowed: tally.unowed,
      campaignIds: tally.campaigns,
      campaignTexts: await campaignTexts(shop, tally.campaigns),
      phones: customers.map((customer) => customer.phone),
    });
    const balances = await balancesMatching(shop, customers);
    const result: Omit<SoakResult, 'holds'> = {
      options,
      setup: {
        customers: customerCount,
        members: campaignGroups * groupSize,
        groupSize,
        sampleEverySeconds: sampleEveryMs / 1000,
      },
      tally,
      ticks: { texts, calls },
      memory: memoryFigures(memory.samples, options.minutes),
      drainSeconds,
      accounts,
      balances,
    };
    return { ...result, holds: holds(result) };
  } finally {
    await runtime.stop();
  }
}

/**
 * Start is the first sample after the warm-up (a quarter of the run, at most a minute); the slopes
 * fit the second half.
 */
function memoryFigures(samples: readonly Sample[], minutes: number) {
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

function holds(result: Omit<SoakResult, 'holds'>): boolean {
  const { accounts, balances, tally } = result;
  return booksBalance(accounts) && balances.matching === balances.members && tally.unsettled.size === 0;
}

/**
 * `npm run bench` runs the soak in a process of its own: its memory is the runtime's and the
 * traffic's alone, not what earlier benchmarks left behind, and the functions log at WARN from the
 * start (their logger reads the level once, when first imported).
 */
export const soakBench: Benchmark = {
  title: 'Soak: the local runtime under steady mixed traffic',
  async run() {
    const reportFile = join(mkdtempSync(join(tmpdir(), 'soak-')), 'report.json');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--minutes',
        String(benchMinutes),
        '--report',
        reportFile,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (!existsSync(reportFile)) throw new Error(`the soak stopped (exit code ${code}) before its report`);
    const { holds, ...report } = JSON.parse(readFileSync(reportFile, 'utf8')) as BenchmarkReport & {
      holds: boolean;
    };
    if (!holds) process.exitCode = 1;
    return report;
  },
};

/**
 * `npm run soak -- --minutes 10 [--texts-per-second 5] [--calls-per-second 3]` prints the report and
 * exits 1 when the accounts do not hold; `--report <file>` also writes it there as JSON.
 */
async function main() {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      'texts-per-second': { type: 'string' },
      'calls-per-second': { type: 'string' },
      report: { type: 'string' },
    },
  });
  const number = (name: keyof typeof values, fallback: number) => {
    const value = values[name];
    const parsed = value === undefined ? fallback : Number(value);
    if (!(parsed > 0)) throw new Error(`--${name}: a positive number, not ${value}`);
    return parsed;
  };
  const options: SoakOptions = {
    ...soakDefaults,
    minutes: number('minutes', soakDefaults.minutes),
    textsPerSecond: number('texts-per-second', soakDefaults.textsPerSecond),
    callsPerSecond: number('calls-per-second', soakDefaults.callsPerSecond),
  };
  console.log(
    `Soak: ${options.minutes} min, ${options.textsPerSecond} texts/s, ${options.callsPerSecond} calls/s`,
  );
  const result = await soak(options);
  const report = soakReport(result);
  console.log(report.text);
  if (values.report) writeFileSync(values.report, JSON.stringify({ ...report, holds: result.holds }));
  process.exit(result.holds ? 0 : 1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
