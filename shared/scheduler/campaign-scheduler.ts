import type { CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler';
import { oneOffAt } from '../domain/campaign';
import type { Campaign, CampaignInvocation } from '../schemas/campaign';
import {
  atUtc,
  compactMinute,
  createSchedule,
  deleteSchedule,
  firing,
  type ScheduleTarget,
  scheduleName,
} from './event-bridge-scheduler';

/** When a campaign's schedule fires: once at an instant, or on a cron expression in a time zone. */
export type CampaignTiming = { merchantId: string; campaignId: string } & (
  | { at: Date }
  | { cron: { expression: string; timeZone: string } }
);

/** One more invocation of a run that stopped before its audience's end, at an instant to come. */
export interface RunContinuation {
  merchantId: string;
  campaignId: string;
  runId: string;
  at: Date;
}

/**
 * The port the merchant API and `campaign-fanout` schedule campaigns through: EventBridge Scheduler's
 * API in AWS, the local runtime's emulation of it locally.
 */
export interface CampaignScheduler {
  /** Creates the campaign's schedule; creating it again changes nothing. */
  schedule(timing: CampaignTiming): Promise<void>;
  /** Deletes the campaign's schedule; a schedule already gone is no error. */
  cancel(merchantId: string, campaignId: string): Promise<void>;
  /** Continuing the same run at the same minute again changes nothing. */
  continueRun(continuation: RunContinuation): Promise<void>;
}

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

function common(target: ScheduleTarget, input: string) {
  return {
    // The merchant chose the minute; continuations go as soon as the window or the Lambda allows.
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      Input: input,
      // A campaign a few hours late still reaches members the same day; later, the merchant decides again.
      RetryPolicy: { MaximumEventAgeInSeconds: 3 * 3600, MaximumRetryAttempts: 20 },
    },
  };
}

/** The CreateSchedule request for a campaign's own schedule (exported for the tests). */
export function campaignScheduleInput(
  timing: CampaignTiming,
  target: ScheduleTarget,
): CreateScheduleCommandInput {
  return {
    Name: scheduleName(timing.merchantId, timing.campaignId),
    GroupName: target.group,
    ...firing(timing),
    ...common(target, inputOf(timing.merchantId, timing.campaignId)),
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
    ...common(target, inputOf(merchantId, campaignId, runId)),
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

/**
 * Creates what a scheduled or running campaign needs to go on: its own schedule (a cron, or a one-off
 * that has not fired into a run yet), and a continuation of the run it has not finished. Used when it
 * is scheduled, when it is resumed, and by a scheduler that lost its schedules.
 */
export async function armCampaign(
  scheduler: Pick<CampaignScheduler, 'schedule' | 'continueRun'>,
  campaign: Campaign,
  now: Date,
): Promise<void> {
  const { merchantId, campaignId, schedule, currentRun } = campaign;
  if (schedule.kind === 'recurring') {
    await scheduler.schedule({
      merchantId,
      campaignId,
      cron: { expression: schedule.cron, timeZone: schedule.timeZone },
    });
  } else if (!currentRun && !campaign.lastRun) {
    const at = oneOffAt(now, schedule.kind === 'at' ? new Date(schedule.at) : undefined);
    await scheduler.schedule({ merchantId, campaignId, at });
  }
  if (currentRun)
    await scheduler.continueRun({ merchantId, campaignId, runId: currentRun, at: oneOffAt(now) });
}
