import {
  GetQueueAttributesCommand,
  type QueueAttributeName,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, it } from 'vitest';
import type { CampaignFanoutDeps } from '../../functions/campaign-fanout/handler';
import { Env, sqsClient } from '../../shared/env';
import { tables } from '../../shared/resources';
import type { Merchant } from '../../shared/schemas/merchant';
import type { OutboundSms } from '../../shared/schemas/sms';
import { membersStore, newMemberItem, recordConsent } from '../../shared/store/members';
import type { MessageStatus } from '../../shared/store/messages';
import { type Body, type Local, type Reply, seedLapsedMember, startLocal } from './support';

/**
 * The promises under injected faults, through the local runtime: every text is sent once, or is on
 * its message record as failed with the reason and in the outbound DLQ; no points are lost or doubled;
 * no greeting goes out twice. Each fault is drawn from a seeded random (local/faults.ts).
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * As in AWS, where it outlasts the function's timeout, the visibility timeout is longer than any send
 * takes, so a message never comes back while its delivery is still at work; retries come back by
 * send-sms's backoff, a second for each of its minutes (1, 2, 4, 8 s).
 */
const timings = { visibilityTimeoutSeconds: 30, backoffScale: 1 / 60 };
const settledStatuses: readonly MessageStatus[] = ['sent', 'failed', 'suppressed', 'refused', 'held'];

/** A fixed-offset zone where it is about noon now: the texts go out inside every default window. */
function zoneAtNoon(now = new Date()): string {
  const offset = 12 - now.getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** Numbers of the test's own runtime: the same every run, so the seeded faults fall on the same texts. */
const phonesFrom = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => `+86137${String(first + i).padStart(8, '0')}`);

/** Waits for `done`; long enough for the backoffs on a machine two other test files keep busy. */
async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 150_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value).slice(0, 3000)}`);
    await sleep(250);
  }
}

async function inParallel<T>(items: T[], work: (item: T, i: number) => Promise<unknown>, streams = 8) {
  let next = 0;
  await Promise.all(
    Array.from({ length: streams }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T, i);
    }),
  );
}

/**
 * The client's side of a fault: a request that failed on the server (5xx) is sent again, the same
 * request with the same key, until it is answered. A 4xx is a refusal the fault must not cause.
 */
async function accepted(what: string, send: () => Promise<Reply>, ok = (reply: Reply) => reply.status < 300) {
  // Long enough for an inbound text's idempotency record, left in progress by a failed attempt, to
  // expire: it lasts the function's 10 s timeout.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reply = await send();
    if (ok(reply)) return reply;
    if (reply.status < 500 || Date.now() > deadline) {
      throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    await sleep(250);
  }
}

/** What a test reads beside the API: the message records, the outbound queue and its DLQ. */
function backstage(local: Local) {
  const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: local.runtime.dynamoEndpoint }).dynamo();
  // fauxqs names queues by a host (sqs.<region>.127.0.0.1) that is no URL host; its port is the server's.
  const port = /:(\d+)\//.exec(local.runtime.dlqUrl)?.[1];
  const sqs = sqsClient(new Env({ AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${port}` }));
  const outboundUrl = local.runtime.dlqUrl.replace(/-dlq$/, '');

  async function messages(merchantId: string): Promise<Body[]> {
    const records: Body[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({
          TableName: tables.messages.name,
          ConsistentRead: true,
          FilterExpression: 'merchantId = :merchant',
          ExpressionAttributeValues: { ':merchant': merchantId },
          ExclusiveStartKey: start,
        }),
      );
      records.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  async function queueIdle(): Promise<boolean> {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: outboundUrl, AttributeNames: ['All'] }),
    );
    const waiting: QueueAttributeName[] = [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
    ];
    return waiting.every((name) => Number(Attributes[name] ?? 0) === 0);
  }

  return {
    db,
    messages,
    /** Waits until nothing is left on the outbound queue, nor on its way there; the merchant's records. */
    async settled(merchantId: string, ms = 150_000): Promise<Body[]> {
      await until(
        'the outbound queue',
        async () => {
          await local.eventsSettled();
          const records = await messages(merchantId);
          const unsettled = records
            .filter((record) => !settledStatuses.includes(record.status))
            .map(({ messageId, status, reason }) => ({ messageId, status, reason }));
          return { idle: await queueIdle(), count: records.length, unsettled };
        },
        ({ idle }) => idle,
        ms,
      );
      await local.runtime.carrier.receiptsSettled();
      await local.eventsSettled();
      return messages(merchantId);
    },
    /** The texts in the outbound DLQ, read once (each stays invisible afterwards). */
    async deadLetters(): Promise<OutboundSms[]> {
      const letters: OutboundSms[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: local.runtime.dlqUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 600,
            WaitTimeSeconds: 0,
          }),
        );
        if (Messages.length === 0) return letters;
        letters.push(...Messages.map((message) => JSON.parse(message.Body as string) as OutboundSms));
      }
    },
  };
}

/** Members who opted in to marketing, written straight to the table: `points` is their index. */
async function seedMembers(local: Local, merchantId: string, phones: string[]): Promise<void> {
  const db = backstage(local).db;
  const items = phones.map(
    (phone, i) =>
      newMemberItem({
        merchantId,
        memberId: `mem-${i}`,
        phone,
        name: `会员${i}`,
        joinedAt: '2025-01-01T00:00:00.000Z',
        joinChannel: 'import',
        joinRef: 'e2e',
        points: i,
      }).item,
  );
  for (let b = 0; b < items.length; b += 25) {
    const batch = items.slice(b, b + 25);
    await db.send(
      new BatchWriteCommand({
        RequestItems: { [tables.members.name]: batch.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  await inParallel(phones, (phone, i) =>
    recordConsent(db, tables.members.name, merchantId, phone, {
      status: 'subscribed',
      changedAt: '2025-01-01T00:00:00.000Z',
      channel: 'merchant-api',
      source: 'e2e',
      ref: `e2e-${i}`,
    }),
  );
}

/**
 * A campaign to every member with `minPoints` or more, drafted from a template and scheduled now: the
 * fan-out starts it on the merchant API's event (its one-off schedule, a minute ahead, is the guarantee).
 */
async function campaignToAll(
  api: (method: string, path: string, body?: unknown) => Promise<Reply>,
  body: string,
  minPoints = 0,
): Promise<string> {
  const template = await accepted('the template', () =>
    api('POST', '/v1/templates', { name: '促销', body, category: 'marketing' }),
  );
  const draft = await accepted('the draft', () =>
    api('POST', '/v1/campaigns', {
      name: '周末促销',
      templateId: template.body.template.templateId,
      audience: { definition: { field: 'points', op: 'gte', value: minPoints } },
      schedule: { kind: 'now' },
    }),
  );
  const campaignId = draft.body.campaign.campaignId as string;
  // A retry whose first attempt went through before its answer was lost is refused: the campaign is
  // already scheduled, or its run already started.
  await accepted(
    'the schedule',
    () => api('POST', `/v1/campaigns/${campaignId}/schedule`),
    (reply) => reply.status === 200 || reply.body.error?.code === 'campaign_state',
  );
  return campaignId;
}

// Each runs its own runtime, one after the other: three at once would crowd the suite's two cores.
describe('promises under injected faults', () => {
  it('the provider failing or timing out on half the sends: each of 200 texts is sent once, or is failed with its reason and in the DLQ', async ({
    expect,
    onTestFinished,
  }) => {
    const local = await startLocal({
      ...timings,
      faults: { seed: 8, provider: { failRate: 0.3, timeoutRate: 0.2, timeoutMs: 300 } },
    });
    onTestFinished(() => local.stop());
    const { merchant, key } = await local.newShop({
      merchantId: 'shop-provider-faults',
      signature: '【花店】',
      timeZone: zoneAtNoon(),
      sending: { mps: 1000 } as Merchant['sending'],
    });
    const api = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
    const phones = phonesFrom(0, 100);
    await seedMembers(local, merchant.merchantId, phones);
    const back = backstage(local);

    // 100 replies (each member asks for the balance) and a campaign of 100 texts.
    await inParallel(phones, async (phone, i) => {
      const asked = await local.sms(phone, '积分', { to: merchant.senderNumber, messageId: `ask-${i}` });
      expect(asked.status).toBe(202);
    });
    const campaignId = await campaignToAll(api, '{{name}}，周末全场8折');
    // The fan-out has queued the campaign's texts when its schedule's invocation answers.
    const records = await back.settled(merchant.merchantId);
    expect(records).toHaveLength(200);
    const sent = records.filter((record) => record.status === 'sent');
    const failed = records.filter((record) => record.status === 'failed');
    expect(records.filter((record) => !['sent', 'failed'].includes(record.status))).toEqual([]);
    // Every failure is on its record with the provider's reason, and its text is in the DLQ once.
    expect(failed.filter((record) => !/^(provider unavailable|timeout): /.test(record.reason))).toEqual([]);
    const dead = await back.deadLetters();
    expect(dead.map((sms) => sms.messageId).sort()).toEqual(failed.map((record) => record.messageId).sort());
    // Every text recorded as sent reached the phone once: the carrier's outbox has it once, and nothing more.
    const wrong = phones.flatMap((phone) => {
      const carried = local.runtime.outbox.to(phone).map((text) => text.providerMessageId);
      const recorded = sent.filter((record) => record.to === phone).map((record) => record.providerMessageId);
      return carried.sort().join() === recorded.sort().join() ? [] : [{ phone, carried, recorded }];
    });
    expect(wrong).toEqual([]);

    // About half the first attempts failed; the retries got most texts out; a few failed five times.
    const { providerFailures, providerTimeouts } = local.runtime.injectedFaults;
    expect(providerFailures + providerTimeouts).toBeGreaterThan(150);
    expect(providerTimeouts).toBeGreaterThan(30);
    expect(sent.length).toBeGreaterThan(180);
    expect(failed.length).toBeGreaterThan(0);
    const stats = (await api('GET', `/v1/campaigns/${campaignId}/stats`)).body.stats;
    const campaignFailed = failed.filter((record) => record.campaignId === campaignId).length;
    expect(stats).toMatchObject({ targeted: 100, sent: 100 - campaignFailed, failed: campaignFailed });
  }, 300_000);

  it('DynamoDB throttling the functions: every accepted earn counts exactly once, every member is greeted once', async ({
    expect,
    onTestFinished,
  }) => {
    const local = await startLocal({ ...timings, faults: { seed: 5, dynamoThrottleRate: 0.03 } });
    onTestFinished(() => local.stop());
    const { merchant, key } = await local.newShop({
      merchantId: 'shop-throttled',
      signature: '【花店】',
      sending: { mps: 1000, marketingHours: { start: '00:00', end: '24:00' } } as Merchant['sending'],
    });
    const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      local.call(method, path, key, body, headers);
    const back = backstage(local);
    await accepted('the care settings', () =>
      api('PUT', '/v1/care/settings', { birthday: { template: '{{name}}，生日快乐！' } }),
    );

    // 20 customers join by text, their birthday today; the provider delivers each text again on a failure.
    const phones = phonesFrom(1000, 20);
    await inParallel(phones, (phone, i) =>
      accepted(`join ${i}`, () =>
        local.sms(phone, '注册 小明 1990-03-15', { to: merchant.senderNumber, messageId: `join-${i}` }),
      ),
    );

    // Three purchases each; the till sends a failed earn again with its key until it is answered.
    const earned = new Map<string, number>();
    await inParallel(
      phones.flatMap((phone, i) => [1, 2, 3].map((n) => ({ phone, i, n }))),
      async ({ phone, i, n }) => {
        const reply = await accepted(`earn ${i}.${n}`, () =>
          api(
            'POST',
            `/v1/members/${encodeURIComponent(phone)}/points`,
            { purchaseCents: n * 1_000 + i * 100 },
            { 'idempotency-key': `order-${i}-${n}` },
          ),
        );
        earned.set(phone, (earned.get(phone) ?? 0) + reply.body.entry.delta);
      },
    );

    // The care schedule, fired until a run gets through, then once more that day.
    const fireCare = () =>
      local.call('POST', '/local/schedules/care-jobs', undefined, { time: '2027-03-15T10:00:00+08:00' });
    await accepted('the care run', fireCare);
    await accepted('the care run again', fireCare);

    const campaignId = await campaignToAll(api, '{{name}}，周末全场8折');
    await until(
      'the campaign',
      async () => (await api('GET', `/v1/campaigns/${campaignId}`)).body.campaign?.status,
      (status) => status === 'completed',
    );
    const records = await back.settled(merchant.merchantId);
    const dead = await back.deadLetters();

    // No points lost or doubled: each balance is the sum of the earns the till saw accepted.
    const balances = await Promise.all(
      phones.map(async (phone) => {
        const member = await accepted('the member', () =>
          api('GET', `/v1/members/${encodeURIComponent(phone)}`),
        );
        const ledger = await accepted('the ledger', () =>
          api('GET', `/v1/members/${encodeURIComponent(phone)}/ledger`),
        );
        return { points: member.body.member.points, entries: ledger.body.entries.length };
      }),
    );
    expect(balances).toEqual(phones.map((phone) => ({ points: earned.get(phone), entries: 3 })));

    // Every outcome reached its record: settled, or in the DLQ with the reason of its last failure
    // (a delivery throttled before it could claim its text records nothing).
    const deadIds = new Set(dead.map((sms) => sms.messageId));
    const unsettled = records.filter((record) => !settledStatuses.includes(record.status));
    expect(unsettled.filter((record) => !deadIds.has(record.messageId) || !record.reason)).toEqual([]);
    // Each greeting once: none twice, and none missing unless its text is in the DLQ.
    const kinds = { welcome: '欢迎加入', birthday: '生日快乐', campaign: '周末全场8折' };
    const wrong = phones.flatMap((phone) =>
      Object.entries(kinds).flatMap(([kind, words]) => {
        const received = local.runtime.outbox.to(phone).filter((text) => text.body.includes(words)).length;
        const lost = dead.some((sms) => sms.to === phone && sms.body.includes(words));
        return received === (lost ? 0 : 1) ? [] : [{ phone, kind, received, lost }];
      }),
    );
    expect(wrong).toEqual([]);
    expect(local.runtime.injectedFaults.throttles).toBeGreaterThan(20);
  }, 300_000);

  it('SQS and EventBridge delivering twice and a fan-out killed: each text goes once, activity counts once, a member entering red is treated once', async ({
    expect,
    onTestFinished,
  }) => {
    /** The merchant whose next fan-out is killed, after queuing its page and before its checkpoint. */
    let killFanoutOf: string | undefined;
    const killedOnce = (deps: CampaignFanoutDeps): CampaignFanoutDeps => ({
      ...deps,
      campaigns: {
        ...deps.campaigns,
        advance(merchantId, campaignId, from, page, at) {
          if (merchantId === killFanoutOf) {
            killFanoutOf = undefined;
            throw new Error('Lambda killed');
          }
          return deps.campaigns.advance(merchantId, campaignId, from, page, at);
        },
      },
    });
    const local = await startLocal({
      ...timings,
      faults: { sqsDuplicateRate: 1 },
      deliverEventsTwice: true,
      campaignFanoutDeps: killedOnce,
    });
    onTestFinished(() => local.stop());
    const now = new Date();
    const timeZone = zoneAtNoon(now);
    const { merchant, key } = await local.newShop({
      name: '花店',
      signature: '【花店】',
      timeZone,
      sending: { mps: 1000 } as Merchant['sending'],
    });
    const { merchantId } = merchant;
    const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      local.call(method, path, key, body, headers);
    const back = backstage(local);

    // Ten customers join by text, buy once and ask for their balance.
    const phones = phonesFrom(2000, 10);
    await inParallel(phones, async (phone, i) => {
      const text = (words: string, id: string) =>
        local.sms(phone, words, { to: merchant.senderNumber, messageId: id });
      expect((await text('注册 小明', `join-${i}`)).status).toBe(202);
      const bought = await api(
        'POST',
        `/v1/members/${encodeURIComponent(phone)}/points`,
        { purchaseCents: 5_000 },
        { 'idempotency-key': `order-${i}` },
      );
      expect(bought.status).toBe(201);
      expect((await text('积分', `ask-${i}`)).status).toBe(202);
    });

    // A campaign to them (not to the lapsed member below) whose fan-out is killed once; the local
    // scheduler invokes it again, as Lambda retries it.
    killFanoutOf = merchantId;
    const campaignId = await campaignToAll(api, '{{name}}，周末全场8折', 50);

    await until(
      'the campaign',
      async () => (await api('GET', `/v1/campaigns/${campaignId}`)).body.campaign.status,
      (status) => status === 'completed',
    );
    // Once the campaign has gone (its fan-out reads the members as it runs, so one added before it
    // ends could be among them), a lapsed member the nightly scoring puts in red: the red rule texts them and grants 100 points.
    const lapsed = '+8613900000001';
    await seedLapsedMember(local, { merchantId, memberId: 'mem-lapsed', phone: lapsed, timeZone, now });
    const template = await api('POST', '/v1/templates', {
      name: '唤回',
      body: '{{name}}，好久不见！送您100积分',
      category: 'marketing',
    });
    const rule = await api('POST', '/v1/retention/rules', {
      name: '红区唤回',
      zone: 'red',
      templateId: template.body.template.templateId,
      grant: { kind: 'points', points: 100 },
      holdoutPercent: 0,
    });
    expect(rule.status).toBe(201);
    // Last night's run, at 04:00 on the merchant's clock (the scoring hour is 3).
    const lastNight = new Date(now.getTime() - 32 * 3_600_000);
    const scored = await local.call('POST', '/local/schedules/retention-jobs', undefined, {
      time: lastNight.toISOString(),
    });
    expect(scored.status).toBe(200);

    const records = await back.settled(merchantId);
    // A copy that came back while its text was being sent goes again later and finds it settled.
    await sleep(1_000);

    expect(records.map((record) => record.status)).toEqual(Array(31).fill('sent'));
    expect(await back.deadLetters()).toEqual([]);
    const wrong = phones.flatMap((phone) => {
      const bodies = local.runtime.outbox.to(phone).map((text) => text.body);
      const once = ['欢迎加入', '积分余额', '周末全场8折'].every(
        (words) => bodies.filter((body) => body.includes(words)).length === 1,
      );
      return once && bodies.length === 3 ? [] : [{ phone, bodies }];
    });
    expect(wrong).toEqual([]);
    expect(local.runtime.outbox.to(lapsed).map((text) => text.body)).toEqual([
      `【花店】小林，好久不见！送您100积分 ${merchant.sending.unsubscribeLine}`,
    ]);

    // Activity counted once per event: one purchase and two texts (the join and the question) each.
    const members = membersStore(back.db, tables.members.name);
    const activity = await Promise.all(
      phones.map(async (phone) => {
        const { member } = await members.contact(merchantId, phone);
        const days = Object.values(member?.activity?.days ?? {});
        const sum = (field: 'purchases' | 'inbound') => days.reduce((total, d) => total + (d[field] ?? 0), 0);
        return { purchases: sum('purchases'), inbound: sum('inbound'), points: member?.points };
      }),
    );
    expect(activity).toEqual(phones.map(() => ({ purchases: 1, inbound: 2, points: 50 })));
    const { member: treated } = await members.contact(merchantId, lapsed);
    expect(treated?.points).toBe(100);

    // The faults happened: every text was queued twice, every event delivered twice, the fan-out killed.
    expect(local.runtime.injectedFaults.duplicates).toBeGreaterThanOrEqual(phones.length * 3 + 1);
    expect(killFanoutOf).toBeUndefined();
  }, 300_000);
});
