import type { CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { CampaignInvocation } from '../schemas/campaign';
import type { CampaignScheduler, CampaignTiming, RunContinuation } from './campaign-scheduler';
import {
  atUtc,
  compactMinute,
  createSchedule,
  deleteSchedule,
  firing,
  invoking,
  type ScheduleTarget,
  scheduleName,
} from './event-bridge-schedules';

/** The input Scheduler passes the fan-out; it fills in `<aws.scheduler.scheduled-time>` per invocation. */
function inputOf(merchantId: string, campaignId: string, runId?: string): string {
  const input: Record<keyof CampaignInvocation, string | undefined> = {
    merchantId,
    campaignId,
    scheduledTime: '<aws.scheduler.scheduled-time>',
    runId,
  };
  return JSON.stringify(input);
}

/**
 * A campaign a few hours late still reaches members the same day; later, the merchant decides again.
 * (The merchant chose the minute; continuations go as soon as the window or the Lambda allows.)
 */
const maxLateSeconds = 3 * 3600;

/** The CreateSchedule request for a campaign's own schedule (exported for the tests). */
export function campaignScheduleInput(
  timing: CampaignTiming,
  target: ScheduleTarget,
): CreateScheduleCommandInput {
  return {
    Name: scheduleName(timing.merchantId, timing.campaignId),
    GroupName: target.group,
    ...firing(timing),
    ...invoking(target, inputOf(timing.merchantId, timing.campaignId), maxLateSeconds),
  };
}

/**
 * The CreateSchedule request continuing a run: one-off, named by the minute it fires, so a duplicate
 * invocation stopping at the same page asks for the schedule already there (exported for the tests).
 */
export function continuationInput(
  continuation: RunContinuation,
  target: ScheduleTarget,
): CreateScheduleCommandInput {
  const { merchantId, campaignId, runId, at } = continuation;
  return {
    Name: scheduleName(merchantId, campaignId, `${compactMinute(at)}Z`),
    GroupName: target.group,
    ...atUtc(at),
    ActionAfterCompletion: 'DELETE',
    ...invoking(target, inputOf(merchantId, campaignId, runId), maxLateSeconds),
  };
}

export function eventBridgeCampaignScheduler(
  client: SchedulerClient,
  target: ScheduleTarget,
): CampaignScheduler {
  return {
    schedule: (timing) => createSchedule(client, campaignScheduleInput(timing, target)),
    continueRun: (continuation) => createSchedule(client, continuationInput(continuation, target)),
    cancel: (merchantId, campaignId) =>
      deleteSchedule(client, target.group, scheduleName(merchantId, campaignId)),
  };
}
