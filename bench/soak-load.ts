/** The soak's traffic: customers' texts, merchant API calls and campaigns, each at a steady rate. */
import { setTimeout as sleep } from 'node:timers/promises';
import { campaignGroups, type Reply, type Shop } from './soak-shop';
import { type CallKind, request, type Tally } from './soak-tally';
import { type Customer, nextText } from './soak-traffic';

/** A tick finding this many operations of its kind still in flight is missed: the runtime fell behind. */
const maxInFlight = 40;
/**
 * Starts `operation` every 1/rate seconds until `until` (epoch ms), awaiting none of them. A tick that
 * finds `maxInFlight` of them still running is missed: the runtime is not keeping up.
 */
export async function atSteadyRate(rate: number, until: number, operation: () => Promise<void>) {
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

/** The traffic's state: who texts, what is owed, where the member list reading is. */
export interface Traffic {
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
export async function text(traffic: Traffic) {
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
export async function call(traffic: Traffic) {
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

/** A campaign to the next group: drafted and scheduled for now. */
export async function campaign(traffic: Traffic) {
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
  // Scheduled for now, the fan-out starts the run on the merchant API's event, within seconds.
  if (scheduled) tally.campaigns.push(campaignId);
}
