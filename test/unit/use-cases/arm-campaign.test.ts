import { describe, expect, it } from 'vitest';
import type { CampaignTiming, RunContinuation } from '../../../shared/scheduler/campaign-scheduler';
import type { Campaign } from '../../../shared/schemas/campaign';
import { armCampaign } from '../../../shared/use-cases/arm-campaign';

const campaignId = '01KAB5M1GZ9Y8X7W6V5T4S3R2Q';

describe('armCampaign', () => {
  const now = new Date('2027-03-01T01:00:00.000Z');
  const base: Campaign = {
    merchantId: 'shop-1',
    campaignId,
    name: '促销',
    templateId: 'sale',
    audience: { audienceId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Z' },
    schedule: { kind: 'now' },
    holdoutPercent: 0,
    testPhones: [],
    status: 'scheduled',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  async function armed(campaign: Partial<Campaign>) {
    const asked: (CampaignTiming | RunContinuation)[] = [];
    const recorder = {
      schedule: async (timing: CampaignTiming) => void asked.push(timing),
      continueRun: async (continuation: RunContinuation) => void asked.push(continuation),
    };
    await armCampaign(recorder, { ...base, ...campaign }, now);
    return asked;
  }
  const dueNow = (campaign: Partial<Campaign>) =>
    armCampaign({ schedule: async () => {}, continueRun: async () => {} }, { ...base, ...campaign }, now);
  const inAMinute = new Date('2027-03-01T01:01:00.000Z');

  it('schedules a one-off at its instant, or in a minute if that has passed or it is for now', async () => {
    expect(await armed({})).toEqual([{ merchantId: 'shop-1', campaignId, at: inAMinute }]);
    const later = '2027-03-02T01:00:00.000Z';
    expect(await armed({ schedule: { kind: 'at', at: later } })).toEqual([
      { merchantId: 'shop-1', campaignId, at: new Date(later) },
    ]);
    expect(await armed({ schedule: { kind: 'at', at: '2027-02-01T00:00:00.000Z' } })).toEqual([
      { merchantId: 'shop-1', campaignId, at: inAMinute },
    ]);
  });

  it('continues an unfinished run in a minute, and schedules a one-off again only if it never fired', async () => {
    const runId = '2027-03-01T00:00:00.000Z';
    expect(await armed({ status: 'running', currentRun: runId })).toEqual([
      { merchantId: 'shop-1', campaignId, runId, at: inAMinute },
    ]);
    expect(await armed({ lastRun: runId })).toEqual([]);
  });

  it('keeps a recurring campaign on its cron, as well as continuing its unfinished run', async () => {
    const schedule = {
      kind: 'recurring' as const,
      cron: { expression: '0 10 ? * FRI *', timeZone: 'Asia/Shanghai' },
    };
    const runId = '2027-02-26T02:00:00.000Z';
    expect(await armed({ schedule, currentRun: runId, lastRun: '2027-02-19T02:00:00.000Z' })).toEqual([
      { merchantId: 'shop-1', campaignId, cron: schedule.cron },
      { merchantId: 'shop-1', campaignId, runId, at: inAMinute },
    ]);
  });

  it('answers the runs due now, named as their schedules name them, so either may start them', async () => {
    const scheduledTime = inAMinute.toISOString();
    expect(await dueNow({})).toEqual([{ merchantId: 'shop-1', campaignId, scheduledTime }]);
    // An instant that has passed, or is within Scheduler's lead, is as soon as possible too.
    expect(await dueNow({ schedule: { kind: 'at', at: '2027-03-01T01:00:30.000Z' } })).toEqual([
      { merchantId: 'shop-1', campaignId, scheduledTime },
    ]);
    expect(await dueNow({ schedule: { kind: 'at', at: '2027-03-01T01:01:01.000Z' } })).toEqual([]);
    const runId = '2027-03-01T00:00:00.000Z';
    expect(await dueNow({ status: 'running', currentRun: runId })).toEqual([
      { merchantId: 'shop-1', campaignId, scheduledTime, runId },
    ]);
    expect(await dueNow({ lastRun: runId })).toEqual([]);
    const cron = { expression: '0 10 ? * FRI *', timeZone: 'Asia/Shanghai' };
    expect(await dueNow({ schedule: { kind: 'recurring', cron } })).toEqual([]);
  });
});
