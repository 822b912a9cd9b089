import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Campaign, CampaignRun } from '../../../shared/schemas/campaign';
import { campaignsStore } from '../../../shared/store/campaigns';
import { newMerchant, testEnv } from '../../support';

const env = testEnv();
const store = campaignsStore(env.dynamo(), env.table('campaigns'));
const at = new Date('2027-01-04T02:00:00.000Z');
const runId = '2027-01-04T02:00:00.000Z';

let merchantId: string;
beforeEach(async () => {
  merchantId = (await newMerchant(env)).merchant.merchantId;
});

async function draft(overrides: Partial<Campaign> = {}): Promise<Campaign> {
  const campaign: Campaign = {
    merchantId,
    campaignId: ulid(),
    name: '春季促销',
    templateId: 'spring-sale',
    audience: { definition: { field: 'tier', op: 'eq', value: 'gold' } },
    schedule: { kind: 'now' },
    holdoutPercent: 10,
    testPhones: [],
    status: 'draft',
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    ...overrides,
  };
  await store.create(campaign);
  return campaign;
}

/** A campaign scheduled and running `runId`, and its fresh checkpoint. */
async function running(overrides: Partial<Campaign> = {}): Promise<{ campaign: Campaign; run: CampaignRun }> {
  const campaign = await draft(overrides);
  await store.transition(merchantId, campaign.campaignId, 'schedule', at);
  const start = await store.startRun(merchantId, campaign.campaignId, runId, at);
  if (!start?.started) throw new Error(`run did not start: ${JSON.stringify(start)}`);
  return { campaign, run: start.run };
}

describe('campaigns', () => {
  it('are read back as written, listed newest first a page at a time, and only by their merchant', async () => {
    const first = await draft();
    const second = await draft();
    const third = await draft();
    expect(await store.get(merchantId, first.campaignId)).toEqual(first);
    const page = await store.list(merchantId, { limit: 2 });
    expect(page.campaigns.map((c) => c.campaignId)).toEqual([third.campaignId, second.campaignId]);
    const rest = await store.list(merchantId, { limit: 2, cursor: page.cursor });
    expect(rest.campaigns.map((c) => c.campaignId)).toEqual([first.campaignId]);
    const other = (await newMerchant(env)).merchant.merchantId;
    expect(await store.get(other, first.campaignId)).toBeUndefined();
    expect((await store.list(other, { limit: 10 })).campaigns).toEqual([]);
  });
});

describe('transition', () => {
  it('writes the status the lifecycle allows, with when, and refuses the rest with the reason', async () => {
    const campaign = await draft();
    const scheduled = await store.transition(merchantId, campaign.campaignId, 'schedule', at);
    expect(scheduled).toMatchObject({
      ok: true,
      from: 'draft',
      campaign: { status: 'scheduled', scheduledAt: at.toISOString() },
    });
    expect(await store.transition(merchantId, campaign.campaignId, 'resume', at)).toMatchObject({
      ok: false,
      reason: 'the campaign is scheduled; only a paused campaign can be resumed',
      campaign: { status: 'scheduled' },
    });
    expect(await store.transition(merchantId, 'NOPE', 'pause', at)).toBeUndefined();
  });

  it('lets only one of two actions at once pass the lifecycle', async () => {
    const campaign = await draft();
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => store.transition(merchantId, campaign.campaignId, 'schedule', at)),
    );
    expect(outcomes.filter((outcome) => outcome?.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome?.ok).map((o) => !o?.ok && o?.reason)).toEqual(
      Array(3).fill('the campaign is already scheduled; only a draft can be scheduled'),
    );
  });

  it('resumes a campaign paused mid-run to running, one paused before any run to scheduled', async () => {
    const { campaign } = await running();
    await store.transition(merchantId, campaign.campaignId, 'pause', at);
    expect(await store.transition(merchantId, campaign.campaignId, 'resume', at)).toMatchObject({
      ok: true,
      campaign: { status: 'running', currentRun: runId },
    });
    const waiting = await draft();
    await store.transition(merchantId, waiting.campaignId, 'schedule', at);
    await store.transition(merchantId, waiting.campaignId, 'pause', at);
    expect(await store.transition(merchantId, waiting.campaignId, 'resume', at)).toMatchObject({
      ok: true,
      campaign: { status: 'scheduled' },
    });
  });
});

describe('a run', () => {
  it('starts on a scheduled campaign, is continued under the same run id, and shuts out any other run', async () => {
    const { campaign, run } = await running();
    expect(run).toEqual({
      runId,
      status: 'running',
      pages: 0,
      targeted: 0,
      heldOut: 0,
      startedAt: at.toISOString(),
      updatedAt: at.toISOString(),
    });
    expect(await store.get(merchantId, campaign.campaignId)).toMatchObject({
      status: 'running',
      currentRun: runId,
    });
    const again = await store.startRun(merchantId, campaign.campaignId, runId, new Date());
    expect(again).toMatchObject({ started: true, run: { runId, startedAt: at.toISOString() } });
    expect(await store.startRun(merchantId, campaign.campaignId, '2027-01-05T02:00:00.000Z', at)).toEqual({
      started: false,
      reason: `run ${runId} is not finished`,
      finished: false,
    });
  });

  it('does not start on a draft, a paused or a cancelled campaign', async () => {
    const campaign = await draft();
    expect(await store.startRun(merchantId, campaign.campaignId, runId, at)).toMatchObject({
      started: false,
      reason: 'the campaign is draft',
    });
    await store.transition(merchantId, campaign.campaignId, 'schedule', at);
    await store.transition(merchantId, campaign.campaignId, 'pause', at);
    expect(await store.startRun(merchantId, campaign.campaignId, runId, at)).toMatchObject({
      reason: 'the campaign is paused',
    });
    expect(await store.startRun(merchantId, 'NOPE', runId, at)).toBeUndefined();
  });

  it('checkpoints each page once: a replayed page moves nothing and counts nothing', async () => {
    const { campaign, run } = await running();
    const page1 = { cursor: 'c1', targeted: 9, heldOut: 1 };
    const after1 = await store.advance(merchantId, campaign.campaignId, run, page1, at);
    expect(after1).toMatchObject({ cursor: 'c1', pages: 1, targeted: 9, heldOut: 1, status: 'running' });
    expect(await store.advance(merchantId, campaign.campaignId, run, page1, at)).toBeUndefined();
    if (!after1) throw new Error('no checkpoint');
    const after2 = await store.advance(
      merchantId,
      campaign.campaignId,
      after1,
      { cursor: 'c2', targeted: 8, heldOut: 2 },
      at,
    );
    if (!after2) throw new Error('no checkpoint');
    expect(
      await store.advance(
        merchantId,
        campaign.campaignId,
        after1,
        { cursor: 'c2', targeted: 8, heldOut: 2 },
        at,
      ),
    ).toBeUndefined();
    const done = await store.advance(
      merchantId,
      campaign.campaignId,
      after2,
      { targeted: 5, heldOut: 0 },
      at,
    );
    expect(done).toMatchObject({ status: 'completed', pages: 3, targeted: 22, heldOut: 3 });
    expect(done?.cursor).toBeUndefined();
    expect(
      await store.advance(merchantId, campaign.campaignId, after2, { targeted: 5, heldOut: 0 }, at),
    ).toBeUndefined();
    expect(await store.stats(merchantId, campaign.campaignId)).toEqual({ targeted: 22, heldOut: 3 });
    expect(await store.runs(merchantId, campaign.campaignId, 10)).toEqual([done]);
  });

  it('lets one of two invocations advancing the same page at once count it', async () => {
    const { campaign, run } = await running();
    const page = { cursor: 'c1', targeted: 10, heldOut: 0 };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.advance(merchantId, campaign.campaignId, run, page, at)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.stats(merchantId, campaign.campaignId)).toEqual({ targeted: 10 });
  });

  it('closes a completed one-off as completed, once; a late duplicate start finds the run finished', async () => {
    const { campaign, run } = await running();
    await store.advance(merchantId, campaign.campaignId, run, { targeted: 3, heldOut: 0 }, at);
    const closed = await store.closeRun(merchantId, campaign.campaignId, runId, at);
    expect(closed).toMatchObject({ status: 'completed', lastRun: runId, completedAt: at.toISOString() });
    expect(closed?.currentRun).toBeUndefined();
    expect(await store.closeRun(merchantId, campaign.campaignId, runId, new Date())).toEqual(closed);
    expect(await store.startRun(merchantId, campaign.campaignId, runId, at)).toEqual({
      started: false,
      reason: `run ${runId} already completed`,
      finished: true,
    });
  });

  it('closes a recurring campaign back to scheduled, ready for its next run; paused stays paused', async () => {
    const recurring = {
      schedule: {
        kind: 'recurring' as const,
        cron: { expression: '0 10 ? * MON *', timeZone: 'Asia/Shanghai' },
      },
    };
    const { campaign, run } = await running(recurring);
    await store.advance(merchantId, campaign.campaignId, run, { targeted: 3, heldOut: 0 }, at);
    expect(await store.closeRun(merchantId, campaign.campaignId, runId, at)).toMatchObject({
      status: 'scheduled',
    });
    const next = '2027-01-11T02:00:00.000Z';
    expect(await store.startRun(merchantId, campaign.campaignId, next, at)).toMatchObject({ started: true });

    const paused = await running(recurring);
    await store.transition(merchantId, paused.campaign.campaignId, 'pause', at);
    await store.advance(merchantId, paused.campaign.campaignId, paused.run, { targeted: 1, heldOut: 0 }, at);
    expect(await store.closeRun(merchantId, paused.campaign.campaignId, runId, at)).toMatchObject({
      status: 'paused',
      lastRun: runId,
    });
  });

  it('abandoned, is completed with its reason and counts nothing more', async () => {
    const { campaign, run } = await running();
    await store.abandonRun(
      merchantId,
      campaign.campaignId,
      runId,
      'the template spring-sale was deleted',
      at,
    );
    expect(await store.runs(merchantId, campaign.campaignId, 1)).toMatchObject([
      { status: 'completed', problem: 'the template spring-sale was deleted' },
    ]);
    expect(
      await store.advance(merchantId, campaign.campaignId, run, { targeted: 1, heldOut: 0 }, at),
    ).toBeUndefined();
    expect(await store.stats(merchantId, campaign.campaignId)).toEqual({});
  });
});

describe('active', () => {
  it('lists the campaigns that need schedules: scheduled or running', async () => {
    const { campaign: runningOne } = await running();
    const scheduled = await draft();
    await store.transition(merchantId, scheduled.campaignId, 'schedule', at);
    await draft();
    const cancelled = await draft();
    await store.transition(merchantId, cancelled.campaignId, 'cancel', at);
    expect((await store.active(merchantId)).map((c) => c.campaignId).sort()).toEqual(
      [runningOne.campaignId, scheduled.campaignId].sort(),
    );
  });
});
