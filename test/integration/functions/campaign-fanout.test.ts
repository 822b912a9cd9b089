import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulidx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { campaignRunRequested } from '../../../events';
import { safetyMarginMs } from '../../../functions/campaign-fanout/fanout';
import { type CampaignFanoutDeps, createHandler } from '../../../functions/campaign-fanout/handler';
import { createQueues, startSqsServer } from '../../../local/fauxqs-queues';
import { lambdaContext } from '../../../local/local-lambda';
import { tapMetrics } from '../../../local/local-metrics';
import type { Audience } from '../../../shared/domain/audience';
import { isHeldOut } from '../../../shared/domain/campaign';
import { sqsClient } from '../../../shared/env';
import { sqsOutboundQueue } from '../../../shared/queue/sqs-outbound-queue';
import { eventBus } from '../../../shared/resources';
import type { RunContinuation } from '../../../shared/scheduler/campaign-scheduler';
import type { Campaign, CampaignInvocation } from '../../../shared/schemas/campaign';
import type { Merchant } from '../../../shared/schemas/merchant';
import { type OutboundSms, outboundSmsSchema } from '../../../shared/schemas/sms';
import { audienceReader } from '../../../shared/store/audience-members';
import { audiencesStore } from '../../../shared/store/audiences';
import { campaignsStore } from '../../../shared/store/campaigns';
import { directoryStore } from '../../../shared/store/directory';
import { consentReader, newMemberItem, recordConsent } from '../../../shared/store/members';
import { surveysStore } from '../../../shared/store/surveys';
import { templatesStore } from '../../../shared/store/templates';
import { newMerchant, testEnv } from '../../support';

/**
 * The fan-out against DynamoDB Local and a local SQS server: every member of the audience exactly
 * once on the queue (by message id), whatever crashes, replays, pauses and continuations happen.
 */
const dbEnv = testEnv();
const db = dbEnv.dynamo();
const campaigns = campaignsStore(db, dbEnv.table('campaigns'));
const templates = templatesStore(db, dbEnv.table('campaigns'));
const selfArn = 'arn:aws:lambda:us-east-1:123456789012:function:campaign-fanout';
// 10:00 in Shanghai, a Monday: inside the default marketing hours (09:00–20:00).
const morning = new Date('2027-01-04T02:00:00.000Z');
const goldOnly: Audience = { field: 'tier', op: 'eq', value: 'gold' };

let sqs: { stop(): Promise<void> };
let queueUrl: string;
let queueEnv: ReturnType<typeof testEnv>;

beforeAll(async () => {
  const server = await startSqsServer();
  sqs = server;
  queueEnv = testEnv({ AWS_ENDPOINT_URL_SQS: server.endpoint });
  queueUrl = (await createQueues(sqsClient(queueEnv))).outbound.url;
});
afterAll(() => sqs?.stop());

let merchant: Merchant;
let continuations: (RunContinuation & { targetArn: string })[];
let cancelled: string[];
let clock: Date;

beforeEach(async () => {
  merchant = (await newMerchant(dbEnv)).merchant;
  continuations = [];
  cancelled = [];
  clock = morning;
  await drain();
});

function deps(overrides: Partial<CampaignFanoutDeps> = {}): CampaignFanoutDeps {
  return {
    campaigns,
    directory: directoryStore(db, dbEnv.table('directory')),
    templates,
    surveys: surveysStore(db, dbEnv.table('engagement')),
    audiences: audiencesStore(db, dbEnv.table('campaigns')),
    members: audienceReader(db, dbEnv.table('members')),
    consents: consentReader(db, dbEnv.table('members')),
    outbound: sqsOutboundQueue(sqsClient(queueEnv), queueUrl),
    scheduler: (targetArn) => ({
      continueRun: async (continuation) => void continuations.push({ ...continuation, targetArn }),
      cancel: async (merchantId, campaignId) => void cancelled.push(`${merchantId}/${campaignId}`),
    }),
    clock: () => clock,
    pageSize: 100,
    ...overrides,
  };
}

const context = (remainingMs = 300_000): Context => ({
  ...lambdaContext('campaign-fanout', 300),
  invokedFunctionArn: selfArn,
  getRemainingTimeInMillis: () => remainingMs,
});

/** `count` members, every other one gold; returns the gold members' ids by phone. */
async function members(count: number): Promise<Map<string, string>> {
  const gold = new Map<string, string>();
  const items = Array.from({ length: count }, (_, i) => {
    const memberId = `mem-${randomUUID()}`;
    const phone = `+86139${String(i).padStart(8, '0')}`;
    if (i % 2 === 0) gold.set(phone, memberId);
    return newMemberItem({
      merchantId: merchant.merchantId,
      memberId,
      phone,
      name: `会员${i}`,
      // A join time each, so the reader splits the list into segments.
      joinedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      joinChannel: 'import',
      joinRef: 'test',
      points: i,
      tier: i % 2 === 0 ? 'gold' : 'silver',
    }).item;
  });
  // Eight batches of 25 in flight at a time: the members are the setting, not what is tested.
  for (let i = 0; i < items.length; i += 200) {
    await Promise.all(
      Array.from({ length: 8 }, (_, b) => items.slice(i + b * 25, i + b * 25 + 25))
        .filter((batch) => batch.length > 0)
        .map((batch) =>
          db.send(
            new BatchWriteCommand({
              RequestItems: { [dbEnv.table('members')]: batch.map((Item) => ({ PutRequest: { Item } })) },
            }),
          ),
        ),
    );
  }
  return gold;
}

async function campaign(overrides: Partial<Campaign> = {}): Promise<Campaign> {
  const templateId = `sale-${randomUUID().slice(0, 8)}`;
  await templates.create({
    merchantId: merchant.merchantId,
    templateId,
    name: '促销',
    body: '{{name}}，您有{{points}}积分，本周末全场8折',
    category: 'marketing',
    createdAt: morning.toISOString(),
    updatedAt: morning.toISOString(),
  });
  const created: Campaign = {
    merchantId: merchant.merchantId,
    campaignId: ulid(),
    name: '周末促销',
    templateId,
    audience: { definition: goldOnly },
    schedule: { kind: 'now' },
    holdoutPercent: 10,
    testPhones: [],
    status: 'draft',
    createdAt: morning.toISOString(),
    updatedAt: morning.toISOString(),
    ...overrides,
  };
  await campaigns.create(created);
  await campaigns.transition(merchant.merchantId, created.campaignId, 'schedule', morning);
  return created;
}

const invocationOf = (c: Campaign, runId?: string): CampaignInvocation => ({
  merchantId: c.merchantId,
  campaignId: c.campaignId,
  scheduledTime: '2027-01-04T02:00:00Z',
  ...(runId ? { runId } : {}),
});

/** Every text on the queue, received and deleted. */
async function drain(): Promise<OutboundSms[]> {
  const texts: OutboundSms[] = [];
  for (;;) {
    const { Messages = [] } = await sqsClient(queueEnv).send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return texts;
    texts.push(...Messages.map((m) => outboundSmsSchema.parse(JSON.parse(m.Body ?? ''))));
    await sqsClient(queueEnv).send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

/** The texts by message id: each id must always carry the same text (queued again, at its own time). */
function byId(texts: OutboundSms[]): Map<string, OutboundSms> {
  const ids = new Map<string, OutboundSms>();
  for (const text of texts) {
    const seen = ids.get(text.messageId);
    if (seen) expect(text).toEqual({ ...seen, queuedAt: expect.any(String) });
    ids.set(text.messageId, text);
  }
  return ids;
}

/** The gold members not held out: who must get exactly one text. */
const targetsOf = (c: Campaign, gold: Map<string, string>) =>
  [...gold]
    .filter(([, memberId]) => !isHeldOut(c.campaignId, memberId, c.holdoutPercent))
    .map(([phone]) => phone);

// Hundreds of members a test, on the DynamoDB Local the whole suite shares.
describe('campaign-fanout', { timeout: 60_000 }, () => {
  it('queues one text per audience member not held out, rendered, and completes a one-off', async () => {
    const gold = await members(500);
    const c = await campaign();
    const tap = tapMetrics();
    const result = await createHandler(deps())(invocationOf(c), context());
    tap.stop();
    const texts = await drain();
    const targets = targetsOf(c, gold);
    expect(texts).toHaveLength(targets.length);
    expect(tap.totals().CampaignMembersQueued).toEqual({ total: targets.length, by: {} });
    expect(new Set(texts.map((t) => t.to))).toEqual(new Set(targets));
    const [phone = ''] = targets;
    const i = Number(phone.slice(-8));
    expect(texts.find((t) => t.to === phone)).toEqual({
      messageId: `campaign#${c.campaignId}#2027-01-04T02:00:00.000Z#${gold.get(phone)}`,
      merchantId: merchant.merchantId,
      to: phone,
      body: `会员${i}，您有${i}积分，本周末全场8折`,
      category: 'marketing',
      template: c.templateId,
      campaignId: c.campaignId,
      queuedAt: expect.any(String),
    });
    expect(result).toMatchObject({
      outcome: 'completed',
      targeted: targets.length,
      heldOut: 250 - targets.length,
    });
    expect(await campaigns.stats(merchant.merchantId, c.campaignId)).toEqual({
      targeted: targets.length,
      heldOut: 250 - targets.length,
    });
    expect(await campaigns.get(merchant.merchantId, c.campaignId)).toMatchObject({ status: 'completed' });
  });

  it('killed half-way and run again, queues every member once by id; only the crashed page twice', async () => {
    const gold = await members(1200);
    const c = await campaign();
    let advances = 0;
    let crashedPage = 0;
    // The crash falls between the enqueue of the fourth page and its checkpoint.
    const crashing = deps({
      campaigns: {
        ...campaigns,
        async advance(merchantId, campaignId, from, page, at) {
          advances += 1;
          if (advances === 4) {
            crashedPage = page.targeted;
            throw new Error('Lambda killed');
          }
          return campaigns.advance(merchantId, campaignId, from, page, at);
        },
      },
    });
    await expect(createHandler(crashing)(invocationOf(c), context())).rejects.toThrow('Lambda killed');
    expect(await campaigns.get(merchant.merchantId, c.campaignId)).toMatchObject({ status: 'running' });
    // Lambda's retry of the failed asynchronous invocation: the same event.
    await createHandler(deps())(invocationOf(c), context());

    const texts = await drain();
    const ids = byId(texts);
    const targets = targetsOf(c, gold);
    expect(new Set([...ids.values()].map((t) => t.to))).toEqual(new Set(targets));
    expect(ids.size).toBe(targets.length);
    expect(crashedPage).toBeGreaterThan(0);
    expect(texts.length - ids.size).toBe(crashedPage);
    expect(await campaigns.stats(merchant.merchantId, c.campaignId)).toEqual({
      targeted: targets.length,
      heldOut: gold.size - targets.length,
    });
    expect(await campaigns.get(merchant.merchantId, c.campaignId)).toMatchObject({ status: 'completed' });
  }, 120_000);

  it('run twice at once (a duplicate invocation), still counts every member once', async () => {
    const gold = await members(600);
    const c = await campaign();
    const handler = createHandler(deps());
    await Promise.all([handler(invocationOf(c), context()), handler(invocationOf(c), context())]);
    const ids = byId(await drain());
    const targets = targetsOf(c, gold);
    expect(ids.size).toBe(targets.length);
    expect(await campaigns.stats(merchant.merchantId, c.campaignId)).toEqual({
      targeted: targets.length,
      heldOut: gold.size - targets.length,
    });
  });

  it('out of time, schedules its own continuation of the run, which finishes it', async () => {
    const gold = await members(400);
    const c = await campaign();
    let pages = 0;
    const remaining = () => (pages++ < 2 ? 300_000 : safetyMarginMs - 1);
    const first = await createHandler(deps())(invocationOf(c), {
      ...context(),
      getRemainingTimeInMillis: remaining,
    });
    expect(first).toMatchObject({ outcome: 'continues', reason: 'out of time' });
    expect(continuations).toEqual([
      {
        merchantId: merchant.merchantId,
        campaignId: c.campaignId,
        runId: '2027-01-04T02:00:00.000Z',
        at: new Date('2027-01-04T02:01:00.000Z'),
        targetArn: selfArn,
      },
    ]);
    const queued = await drain();
    expect(queued.length).toBeGreaterThan(0);
    // The continuation's invocation: fired a minute later, carrying the run it continues.
    clock = new Date('2027-01-04T02:01:00.000Z');
    await createHandler(deps())(
      { ...invocationOf(c, '2027-01-04T02:00:00.000Z'), scheduledTime: '2027-01-04T02:01:00Z' },
      context(),
    );
    const ids = byId([...queued, ...(await drain())]);
    expect(ids.size).toBe(targetsOf(c, gold).length);
    expect([...ids.keys()].every((id) => id.includes('#2027-01-04T02:00:00.000Z#'))).toBe(true);
    // The run's start deleted the one-off's own schedule, once; its continuation did not.
    expect(cancelled).toEqual([`${merchant.merchantId}/${c.campaignId}`]);
  });

  it('starts a run due now from the merchant API’s event, as its schedule would', async () => {
    const gold = await members(30);
    const c = await campaign();
    const event = {
      id: 'e-1',
      source: eventBus.source,
      'detail-type': campaignRunRequested.detailType,
      detail: { eventId: 'run:1', ...invocationOf(c) },
    };
    const handler = createHandler(deps());
    expect(await handler(event, context())).toMatchObject({
      outcome: 'completed',
      runId: '2027-01-04T02:00:00.000Z',
    });
    // The schedule made for the same instant, firing after all: the run is done, nothing more goes.
    expect(await handler(invocationOf(c), context())).toMatchObject({ outcome: 'skipped' });
    expect(byId(await drain()).size).toBe(targetsOf(c, gold).length);
    await expect(handler({ ...event, 'detail-type': 'campaign.unknown' }, context())).rejects.toThrow();
  });

  it('sends a service template as service only when registered and approved, counting who has no marketing consent', async () => {
    const gold = await members(40);
    const [consenting] = [...gold.keys()];
    await recordConsent(db, dbEnv.table('members'), merchant.merchantId, consenting ?? '', {
      status: 'subscribed',
      changedAt: morning.toISOString(),
      channel: 'merchant-api',
      source: 'signed form',
      ref: 'consent-1',
    });
    const registration = {
      providerTemplateId: 'SMS_1',
      signature: merchant.signature,
      status: 'approved' as const,
    };
    for (const [registered, category] of [
      [false, 'marketing'],
      [true, 'service'],
    ] as const) {
      const templateId = `pickup-${randomUUID().slice(0, 8)}`;
      await templates.create({
        merchantId: merchant.merchantId,
        templateId,
        name: '取件提醒',
        body: '{{name}}，您的订单已到店',
        category: 'service',
        ...(registered ? { registration } : {}),
        createdAt: morning.toISOString(),
        updatedAt: morning.toISOString(),
      });
      const c = await campaign({ templateId, holdoutPercent: 0 });
      await createHandler(deps())(invocationOf(c), context());
      const queued = await drain();
      expect(queued).toHaveLength(gold.size);
      expect(new Set(queued.map((sms) => sms.category))).toEqual(new Set([category]));
      const stats = await campaigns.stats(merchant.merchantId, c.campaignId);
      expect(stats.serviceNotices ?? 0).toBe(registered ? gold.size - 1 : 0);
    }
  });

  it('outside the marketing hours queues nothing and continues at their opening', async () => {
    await members(10);
    const c = await campaign();
    clock = new Date('2027-01-04T14:00:00.000Z'); // 22:00 in Shanghai
    const result = await createHandler(deps())(invocationOf(c), context());
    expect(result).toMatchObject({
      outcome: 'continues',
      reason: 'marketing hours',
      at: '2027-01-05T01:00:00.000Z',
    });
    expect(continuations.map((x) => x.at.toISOString())).toEqual(['2027-01-05T01:00:00.000Z']);
    expect(await drain()).toEqual([]);
    // The campaign says why it waits and until when; the continuation, going on, clears it.
    expect(await campaigns.get(merchant.merchantId, c.campaignId)).toMatchObject({
      status: 'running',
      waiting: {
        reason: 'outside the marketing hours in your sending settings',
        until: '2027-01-05T01:00:00.000Z',
      },
    });
    clock = new Date('2027-01-05T01:00:00.000Z');
    const runId = '2027-01-04T02:00:00.000Z';
    await createHandler(deps())(
      { ...invocationOf(c, runId), scheduledTime: '2027-01-05T01:00:00Z' },
      context(),
    );
    const after = await campaigns.get(merchant.merchantId, c.campaignId);
    expect(after?.status).toBe('completed');
    expect(after?.waiting).toBeUndefined();
  });

  it('paused mid-run stops at the next page; resumed, it finishes without repeating anyone', async () => {
    const gold = await members(800);
    const c = await campaign();
    const real = campaigns;
    let advances = 0;
    const pausing = deps({
      campaigns: {
        ...real,
        async advance(...args) {
          const next = await real.advance(...args);
          advances += 1;
          if (advances === 2) await real.transition(merchant.merchantId, c.campaignId, 'pause', clock);
          return next;
        },
      },
    });
    expect(await createHandler(pausing)(invocationOf(c), context())).toMatchObject({
      outcome: 'stopped',
      reason: 'the campaign is paused',
    });
    const before = await drain();
    const run = (await campaigns.runs(merchant.merchantId, c.campaignId, 1))[0];
    expect(run).toMatchObject({ pages: 2, targeted: before.length });
    expect(await createHandler(deps())(invocationOf(c), context())).toMatchObject({
      outcome: 'skipped',
      reason: 'the campaign is paused',
    });
    await campaigns.transition(merchant.merchantId, c.campaignId, 'resume', clock);
    await createHandler(deps())(invocationOf(c, '2027-01-04T02:00:00.000Z'), context());
    const after = await drain();
    const ids = byId([...before, ...after]);
    expect(before.length + after.length).toBe(ids.size);
    expect(ids.size).toBe(targetsOf(c, gold).length);
  }, 120_000);

  it('a run whose template was deleted ends with the reason, and the one-off completes', async () => {
    await members(10);
    const c = await campaign();
    await templates.delete(merchant.merchantId, String(c.templateId));
    expect(await createHandler(deps())(invocationOf(c), context())).toMatchObject({
      outcome: 'stopped',
      reason: `the template ${c.templateId} was deleted`,
    });
    expect(await campaigns.runs(merchant.merchantId, c.campaignId, 1)).toMatchObject([
      { status: 'completed', problem: `the template ${c.templateId} was deleted` },
    ]);
    expect(await campaigns.get(merchant.merchantId, c.campaignId)).toMatchObject({ status: 'completed' });
    expect(await drain()).toEqual([]);
  });

  it('sends nothing for a cancelled campaign, and nothing again for a completed one', async () => {
    await members(10);
    const cancelled = await campaign();
    await campaigns.transition(merchant.merchantId, cancelled.campaignId, 'cancel', clock);
    expect(await createHandler(deps())(invocationOf(cancelled), context())).toMatchObject({
      outcome: 'skipped',
      reason: 'the campaign is cancelled',
    });
    const done = await campaign();
    await createHandler(deps())(invocationOf(done), context());
    await drain();
    expect(await createHandler(deps())(invocationOf(done), context())).toMatchObject({ outcome: 'skipped' });
    expect(await drain()).toEqual([]);
  });
});
