import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignFanoutDeps } from '../../functions/campaign-fanout/handler';
import { campaignMessageId, isHeldOut } from '../../shared/domain/campaign';
import { memberTemplateValues, renderTemplate } from '../../shared/domain/templates';
import { dateIn } from '../../shared/domain/time';
import { Env, sqsClient } from '../../shared/env';
import { campaignSchedules } from '../../shared/resources';
import { scheduleName } from '../../shared/scheduler/event-bridge-schedules';
import type { Merchant } from '../../shared/schemas/merchant';
import type { OutboundSms } from '../../shared/schemas/sms';
import { seedOptedIn } from './seed';
import { type Body, type Local, startLocal } from './support';

/**
 * Campaigns through the local runtime: created and driven by the merchant API, fired by the local
 * EventBridge Scheduler, fanned out to the outbound queue, sent by send-sms to the simulated carrier,
 * counted in the campaign's stats.
 */
let local: Local;

/**
 * A campaign whose fan-out gets killed, as Lambda can kill an invocation at any moment: at its Nth
 * checkpoint, after that page's texts were queued and before the page is recorded as done. Every text
 * the fan-out queues for the campaign is counted by message id, to see the retry queue that page again.
 */
let kill:
  | {
      campaignId: string;
      atCheckpoint: number;
      checkpoints: number;
      killedPage?: number;
      queued: Map<string, number>;
    }
  | undefined;

function killable(deps: CampaignFanoutDeps): CampaignFanoutDeps {
  return {
    ...deps,
    outbound: {
      enqueueMany(texts) {
        const k = kill;
        for (const sms of texts) {
          if (k && sms.campaignId === k.campaignId)
            k.queued.set(sms.messageId, (k.queued.get(sms.messageId) ?? 0) + 1);
        }
        return deps.outbound.enqueueMany(texts);
      },
    },
    campaigns: {
      ...deps.campaigns,
      advance(merchantId, campaignId, from, page, at) {
        const k = kill;
        if (k && campaignId === k.campaignId && ++k.checkpoints === k.atCheckpoint) {
          k.killedPage = page.targeted;
          throw new Error('Lambda killed');
        }
        return deps.campaigns.advance(merchantId, campaignId, from, page, at);
      },
    },
  };
}

beforeAll(async () => {
  // Minutes of work: the JVM's full compiler pays for itself.
  local = await startLocal({ campaignFanoutDeps: killable, quickJit: false });
});
afterAll(() => local?.stop());

/** A fixed-offset zone where it is about noon now: the default window (09:00–20:00) is open. */
function zoneAtNoon(): string {
  const offset = 12 - new Date().getUTCHours();
  return offset === 0 ? 'UTC' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

interface Member {
  memberId: string;
  phone: string;
  tags: string[];
}

async function shop(sending: Record<string, unknown> = {}) {
  const { merchant, key } = await local.newShop({
    name: '花店',
    signature: '【花店】',
    timeZone: zoneAtNoon(),
    sending: { mps: 1000, ...sending } as Merchant['sending'],
  });
  const call = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
  const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: local.runtime.dynamoEndpoint }).dynamo();

  /** Members who opted in to marketing, written straight to the table (see seed.ts). */
  async function members(count: number, tagged: (i: number) => string[] = () => []): Promise<Member[]> {
    const prefix = String(Math.floor(Math.random() * 1e4)).padStart(4, '0');
    const created = Array.from({ length: count }, (_, i) => ({
      memberId: `mem-${merchant.merchantId}-${i}`,
      phone: `+86137${prefix}${String(i).padStart(4, '0')}`,
      name: `会员${i}`,
      tags: tagged(i),
      // A minute apart, the last joined last.
      joinedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      points: i,
    }));
    await seedOptedIn(db, merchant.merchantId, created, (m) => ({
      status: 'subscribed',
      changedAt: m.joinedAt,
      channel: 'merchant-api',
      source: 'e2e',
      ref: `e2e-${m.memberId}`,
    }));
    return created.map(({ memberId, phone, tags }) => ({ memberId, phone, tags }));
  }

  async function template(body: string): Promise<{ templateId: string; body: string }> {
    const created = await call('POST', '/v1/templates', { name: '促销', body, category: 'marketing' });
    expect(created.status).toBe(201);
    return created.body.template;
  }

  async function draft(campaign: Record<string, unknown>): Promise<string> {
    const created = await call('POST', '/v1/campaigns', { schedule: { kind: 'now' }, ...campaign });
    expect(created.status).toBe(201);
    return created.body.campaign.campaignId;
  }

  /**
   * Schedules the draft (for now): the fan-out starts its run on the merchant API's event, without
   * waiting for the schedule, and the run completes or waits for the marketing hours.
   */
  async function start(campaignId: string): Promise<Body> {
    expect((await call('POST', `/v1/campaigns/${campaignId}/schedule`)).status).toBe(200);
    return until(
      'the run',
      async () => (await call('GET', `/v1/campaigns/${campaignId}`)).body.campaign,
      (c) => c.status === 'completed' || c.status === 'waiting',
    );
  }

  return { merchant, call, members, template, draft, start };
}

const schedules = async (): Promise<Body[]> => (await local.call('GET', '/local/schedules')).body.schedules;
const fire = (name: string) => local.call('POST', `/local/schedules/${campaignSchedules.group}/${name}`);
const texts = (phone: string) => local.runtime.outbox.to(phone).map((text) => text.body);

/**
 * Reads until `done`, failing after `ms` without it; with `progress`, after `ms` without progress (the
 * number it reads growing), however long the whole takes.
 */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 60_000,
  progress?: (value: T) => number,
) {
  let deadline = Date.now() + ms;
  let last = Number.NEGATIVE_INFINITY;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    const now = progress?.(value);
    if (now !== undefined && now > last) {
      last = now;
      deadline = Date.now() + ms;
    }
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('a campaign through the API', () => {
  it('is drafted, tested, scheduled, paused, resumed, fired and completed, with its counts', async () => {
    const { merchant, call, members, template } = await shop();
    const vip = await members(20, (i) => (i % 2 === 0 ? ['vip'] : []));
    const { templateId } = await template('{{name}}，会员专享8折');
    const staff = '+8613600000001';
    const body = {
      name: '会员专享',
      templateId,
      audience: { definition: { field: 'tags', op: 'contains', value: 'vip' } },
      // Later today, so it can be paused and resumed before it fires.
      schedule: { kind: 'at', at: new Date(Math.ceil((Date.now() + 3_600_000) / 1000) * 1000).toISOString() },
      testPhones: [staff],
    };

    const refusals = await Promise.all([
      call('POST', '/v1/campaigns', { ...body, templateId: 'nope' }),
      call('POST', '/v1/campaigns', { ...body, holdoutPercent: 60 }),
      call('POST', '/v1/campaigns', { ...body, testPhones: Array(6).fill(staff) }),
      call('POST', '/v1/campaigns', { ...body, schedule: { kind: 'at', at: '2020-01-01T00:00:00Z' } }),
      call('POST', '/v1/campaigns', {
        ...body,
        schedule: { kind: 'recurring', cron: { expression: '0/15 * * * ? *' } },
      }),
      call('POST', '/v1/campaigns', { ...body, audience: { audienceId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q' } }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.error.issues?.[0]?.path])).toEqual([
      [400, 'templateId'],
      [400, 'holdoutPercent'],
      [400, 'testPhones'],
      [400, 'schedule.at'],
      [400, 'schedule.cron'],
      [400, 'audience.audienceId'],
    ]);

    const created = await call('POST', '/v1/campaigns', body);
    expect(created.status).toBe(201);
    const { campaignId } = created.body.campaign;
    expect(created.body.campaign).toMatchObject({ status: 'draft', holdoutPercent: 0, testPhones: [staff] });
    const other = await shop();
    expect((await other.call('GET', `/v1/campaigns/${campaignId}`)).status).toBe(404);
    expect((await other.call('POST', `/v1/campaigns/${campaignId}/cancel`)).status).toBe(404);

    const test = await call('POST', `/v1/campaigns/${campaignId}/test`);
    expect(test.status).toBe(202);
    expect(await local.replies(staff, 1)).toEqual(['【花店】会员，会员专享8折 回复TD退订']);

    const name = scheduleName(merchant.merchantId, campaignId);
    const path = `/v1/campaigns/${campaignId}`;
    expect((await call('POST', `${path}/schedule`)).body.campaign.status).toBe('scheduled');
    expect((await schedules()).find((s) => s.name === name)).toMatchObject({
      group: campaignSchedules.group,
    });
    expect(await call('POST', `${path}/schedule`)).toMatchObject({
      status: 409,
      body: { error: { code: 'campaign_state', message: expect.stringMatching(/already scheduled/) } },
    });
    expect((await call('POST', `${path}/pause`)).body.campaign.status).toBe('paused');
    expect((await schedules()).map((s) => s.name)).not.toContain(name);
    expect((await call('POST', `${path}/pause`)).status).toBe(409);
    expect((await call('POST', `${path}/resume`)).body.campaign.status).toBe('scheduled');
    expect((await schedules()).map((s) => s.name)).toContain(name);

    expect((await fire(name)).status).toBe(200);
    const audience = vip.filter((m) => m.tags.includes('vip'));
    for (const m of audience) await local.replies(m.phone, 1);
    const i = vip.indexOf(audience[0] as Member);
    expect(texts(audience[0]?.phone ?? '')).toEqual([`【花店】会员${i}，会员专享8折 回复TD退订`]);
    expect(vip.filter((m) => !m.tags.includes('vip')).flatMap((m) => texts(m.phone))).toEqual([]);

    const read = await call('GET', path);
    expect(read.body.campaign).toMatchObject({
      status: 'completed',
      runs: [{ status: 'completed', targeted: 10 }],
    });
    const stats = await until(
      'stats',
      async () => (await call('GET', `${path}/stats`)).body.stats,
      (s) => s.delivered === 10,
    );
    expect(stats).toEqual({
      status: 'completed',
      targeted: 10,
      heldOut: 0,
      serviceNotices: 0,
      sent: 10,
      delivered: 10,
      failed: 0,
      segments: 10,
      optOuts: 0,
      complaints: 0,
      suppressed: { total: 0, byReason: {} },
      held: { total: 0, byReason: {} },
      released: 0,
      expired: { total: 0, byReason: {} },
      sentPerMinute: expect.any(Array),
    });
    expect((stats.sentPerMinute as { sent: number }[]).reduce((sum, m) => sum + m.sent, 0)).toBe(10);
    expect(await call('POST', `${path}/cancel`)).toMatchObject({
      status: 409,
      body: { error: { message: 'the campaign has completed' } },
    });
  });
});

describe('changing a campaign', () => {
  it('takes the fields sent while a draft and while scheduled, moves its schedule, and is refused once it has sent', async () => {
    const { merchant, call, members, template } = await shop();
    const [member] = await members(1, () => ['vip']);
    const first = await template('第一版');
    const second = await template('{{name}}，第二版');
    const created = await call('POST', '/v1/campaigns', {
      name: '草稿',
      templateId: first.templateId,
      audience: { definition: { field: 'tags', op: 'contains', value: 'vip' } },
      schedule: { kind: 'at', at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const path = `/v1/campaigns/${created.body.campaign.campaignId}`;
    const name = scheduleName(merchant.merchantId, created.body.campaign.campaignId);

    const refusals = await Promise.all([
      call('PATCH', path, {}),
      call('PATCH', path, { templateId: 'nope' }),
      call('PATCH', path, { surveyId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q' }),
      call('PATCH', path, { schedule: { kind: 'at', at: '2020-01-01T00:00:00Z' } }),
      call('PATCH', path, { audience: { definition: { field: 'tier', op: 'eq', value: 'emerald' } } }),
      call('PATCH', path, { holdoutPercent: 51 }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.error.issues?.[0]?.path])).toEqual([
      [400, '(body)'],
      [400, 'templateId'],
      [400, 'surveyId'],
      [400, 'schedule.at'],
      [400, 'audience.definition'],
      [400, 'holdoutPercent'],
    ]);
    expect((await call('GET', path)).body.campaign).toMatchObject({
      name: '草稿',
      templateId: first.templateId,
    });

    const renamed = await call('PATCH', path, { name: '会员日', holdoutPercent: 10 });
    expect(renamed).toMatchObject({
      status: 200,
      body: {
        campaign: { name: '会员日', holdoutPercent: 10, status: 'draft', templateId: first.templateId },
      },
    });
    expect((await call('POST', `${path}/schedule`)).status).toBe(200);
    const armed = (await schedules()).find((s) => s.name === name);
    expect(armed?.nextAt).toBe(renamed.body.campaign.schedule.at);

    // Scheduled and not yet fired: a new time replaces the schedule, and the new template goes. The
    // holdout goes back to none, so the one member cannot be the one in ten held out.
    const soon = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 1000) * 1000).toISOString();
    const moved = await call('PATCH', path, {
      templateId: second.templateId,
      schedule: { kind: 'at', at: soon },
      holdoutPercent: 0,
    });
    expect(moved.body.campaign).toMatchObject({
      status: 'scheduled',
      nextAt: soon,
      templateId: second.templateId,
      holdoutPercent: 0,
    });
    expect((await schedules()).filter((s) => s.name === name).map((s) => s.nextAt)).toEqual([soon]);

    expect((await fire(name)).status).toBe(200);
    expect(await local.replies(member?.phone ?? '', 1)).toEqual(['【花店】会员0，第二版 回复TD退订']);
    expect(await call('PATCH', path, { name: '太晚了' })).toMatchObject({
      status: 409,
      body: { error: { code: 'campaign_state', message: 'the campaign has completed' } },
    });
  });
});

describe('a campaign for now', () => {
  it('starts on the merchant API’s request, not a minute later when its schedule would', async () => {
    const { merchant, members, template, draft, start } = await shop();
    const three = await members(3);
    const { templateId } = await template('{{name}}，今日到店有礼');
    const campaignId = await draft({
      name: '今日',
      templateId,
      audience: { definition: { field: 'points', op: 'gte', value: 0 } },
    });
    const name = scheduleName(merchant.merchantId, campaignId);
    const done = await start(campaignId);
    expect(done).toMatchObject({ status: 'completed', runs: [{ status: 'completed', targeted: 3 }] });
    for (const m of three) await local.replies(m.phone, 1);
    // The run is the one its one-off schedule, made for the same instant as the guarantee, would have
    // started a minute later; once started, the run deleted that schedule, so nothing fires again.
    expect(Date.parse(done.runs[0].runId) - Date.parse(done.scheduledAt)).toBeLessThanOrEqual(61_000);
    expect((await schedules()).map((s) => s.name)).not.toContain(name);
    expect(three.flatMap((m) => texts(m.phone))).toHaveLength(3);
  });
});

describe('the acceptance campaign', () => {
  it('reaches 10,000 members once each, through quiet hours, a fan-out killed half-way, an opt-out after enqueue, a capped member and a batch delivered twice', async () => {
    const { merchant, call, members, template, draft, start } = await shop({
      frequencyCap: { perDay: 1, perWeek: 5 },
    });
    const all = await members(10_000);
    const { templateId, body: templateBody } = await template('{{name}}，周末全场8折');
    const campaignId = await draft({
      name: '周末促销',
      templateId,
      audience: { definition: { field: 'points', op: 'gte', value: 0 } },
      holdoutPercent: 10,
    });
    const held = new Set(all.filter((m) => isHeldOut(campaignId, m.memberId, 10)));
    // The fan-out that queues the audience (the one fired when quiet hours end) is killed at its 10th
    // checkpoint of 20 (500 members a page), half-way; the local scheduler invokes it again with the
    // same event a second later, as Lambda retries a failed asynchronous invocation. The retry goes on
    // from the last checkpoint, so it queues the killed page's texts a second time.
    kill = { campaignId, atCheckpoint: 10, checkpoints: 0, queued: new Map() };
    const targets = all.filter((m) => !held.has(m));
    const capped = targets[0] as Member;
    const optingOut = targets.at(-1) as Member; // joined last: among the last texts queued

    // The capped member's one marketing text of the day, from an earlier campaign.
    expect(
      (await call('PATCH', `/v1/members/${encodeURIComponent(capped.phone)}`, { tags: ['primed'] })).status,
    ).toBe(200);
    const primer = await template('{{name}}，新品上市');
    await start(
      await draft({
        name: '新品',
        templateId: primer.templateId,
        audience: { definition: { field: 'tags', op: 'contains', value: 'primed' } },
      }),
    );
    await local.replies(capped.phone, 1);

    // The quiet-hours window opens at the next whole minute at least 15 s away (the merchant's clock):
    // the run waits for it.
    const current = (await call('GET', '/v1/settings/sending')).body.sending;
    const opening = new Date(Math.ceil((Date.now() + 15_000) / 60_000) * 60_000);
    const startsAt = new Intl.DateTimeFormat('en-GB', {
      timeZone: merchant.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(opening);
    const put = await call('PUT', '/v1/settings/sending', {
      ...current,
      marketingHours: { start: startsAt, end: '23:00' },
    });
    expect(put.status).toBe(200);
    await start(campaignId);
    const path = `/v1/campaigns/${campaignId}`;
    const waiting = (await schedules()).filter((s) =>
      s.name.startsWith(scheduleName(merchant.merchantId, campaignId)),
    );
    expect(waiting.map((s) => s.nextAt)).toEqual([expect.any(String)]);
    expect(Date.parse(waiting[0]?.nextAt)).toBeGreaterThanOrEqual(opening.getTime());
    // Not stuck: waiting for the window, with why and until when, in the campaign and in its stats.
    const waitingFor = {
      status: 'waiting',
      nextAt: waiting[0]?.nextAt,
      waitingReason: 'outside the marketing hours in your sending settings',
    };
    expect((await call('GET', path)).body.campaign).toMatchObject({ ...waitingFor, runs: [{ pages: 0 }] });
    expect((await call('GET', `${path}/stats`)).body.stats).toMatchObject({ ...waitingFor, targeted: 0 });

    const run = await until(
      'the fan-out',
      async () => (await call('GET', path)).body.campaign,
      (c) => c.status === 'completed',
      240_000,
    );
    // Right after the enqueue, before send-sms reaches the member's text.
    expect((await local.sms(optingOut.phone, 'TD', { to: merchant.senderNumber })).status).toBe(202);
    expect(run.runs[0]).toMatchObject({ targeted: targets.length, heldOut: held.size });
    // Every member queued, and only the killed page twice: send-sms sends each message id once.
    expect(kill.killedPage).toBeGreaterThan(0);
    const queuedTimes = [...kill.queued.values()];
    expect({
      ids: kill.queued.size,
      twice: queuedTimes.filter((n) => n === 2).length,
      more: queuedTimes.filter((n) => n > 2).length,
    }).toEqual({ ids: targets.length, twice: kill.killedPage, more: 0 });

    // SQS delivers a batch a second time: the same ten texts, as the fan-out queued them.
    const runId = run.runs[0].runId as string;
    const date = dateIn(merchant.timeZone, new Date(runId));
    const again: OutboundSms[] = targets.slice(1, 11).map((m) => ({
      messageId: campaignMessageId(campaignId, runId, m.memberId),
      merchantId: merchant.merchantId,
      to: m.phone,
      body: renderTemplate(
        templateBody,
        memberTemplateValues(
          { name: `会员${all.indexOf(m)}`, points: all.indexOf(m), storedValue: 0 },
          merchant,
          date,
        ),
      ),
      category: 'marketing',
      template: templateId,
      campaignId,
    }));
    // fauxqs names queues by a host (sqs.<region>.127.0.0.1) that is no URL host; its port is the server's.
    const port = /:(\d+)\//.exec(local.runtime.dlqUrl)?.[1];
    const sqs = sqsClient(new Env({ AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${port}` }));
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: local.runtime.dlqUrl.replace(/-dlq$/, ''),
        Entries: again.map((sms, i) => ({ Id: String(i), MessageBody: JSON.stringify(sms) })),
      }),
    );

    const sent = targets.length - 2;
    const stats = await until(
      'the sends',
      async () => (await call('GET', `${path}/stats`)).body.stats,
      (s) => s.sent + s.suppressed.total >= targets.length && s.delivered >= sent,
      // A guard against a stall, not a speed check: 9,000 texts through one DynamoDB Local on two
      // busy cores take five to fifteen minutes; two minutes without a text sent is a stall.
      120_000,
      (s) => s.sent + s.delivered,
    );
    await local.runtime.carrier.receiptsSettled();
    const final = (await call('GET', `${path}/stats`)).body.stats;
    // Every text sent is in its minute: the run took minutes, well within the hour the stats show.
    expect((final.sentPerMinute as { sent: number }[]).reduce((sum, m) => sum + m.sent, 0)).toBe(sent);
    expect({
      ...final,
      segments: undefined,
      optOuts: undefined,
      sentPerMinute: undefined,
    }).toEqual({
      status: 'completed',
      targeted: targets.length,
      heldOut: held.size,
      serviceNotices: 0,
      sent,
      delivered: sent,
      failed: 0,
      segments: undefined,
      optOuts: undefined,
      sentPerMinute: undefined,
      complaints: 0,
      suppressed: { total: 2, byReason: { 'opted-out': 1, 'frequency-cap': 1 } },
      held: { total: 0, byReason: {} },
      released: 0,
      expired: { total: 0, byReason: {} },
    });
    expect(stats.segments).toBe(sent);

    const copies = (m: Member) => texts(m.phone).filter((text) => text.includes('周末全场8折')).length;
    const nothing = new Set([...held, optingOut, capped]);
    const wrong = all.filter((m) => copies(m) !== (nothing.has(m) ? 0 : 1));
    expect(wrong.map((m) => [m.phone, copies(m)])).toEqual([]);
    // The capped member's one text of the day is the earlier campaign's.
    expect(texts(capped.phone)).toEqual([`【花店】会员${all.indexOf(capped)}，新品上市 回复TD退订`]);
  }, 2_400_000);
});
