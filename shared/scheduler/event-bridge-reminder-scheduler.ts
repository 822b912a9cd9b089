import type { CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ReminderInvocation } from '../schemas/reminder';
import {
  atUtc,
  compactMinute,
  createSchedule,
  deleteSchedule,
  firing,
  type ScheduleTarget,
  scheduleName,
} from './event-bridge-schedules';
import type { ReminderDeferral, ReminderScheduler, ReminderTiming } from './reminder-scheduler';

/** The input Scheduler passes the function; it fills in `<aws.scheduler.scheduled-time>` per invocation. */
function inputOf(merchantId: string, reminderId: string, occurrence?: string): string {
  const input: Record<keyof ReminderInvocation, string | undefined> = {
    merchantId,
    reminderId,
    scheduledTime: '<aws.scheduler.scheduled-time>',
    occurrence,
  };
  return JSON.stringify(input);
}

/** The CreateSchedule request for a reminder (exported for the tests). */
export function createScheduleInput(
  reminder: ReminderTiming,
  target: ScheduleTarget,
): CreateScheduleCommandInput {
  return {
    Name: scheduleName(reminder.merchantId, reminder.reminderId),
    GroupName: target.group,
    ...firing('at' in reminder ? { at: new Date(reminder.at) } : reminder),
    ...common(target, inputOf(reminder.merchantId, reminder.reminderId)),
  };
}

/** The CreateSchedule request for a deferred send: one-off, at the window's opening (exported for the tests). */
export function deferralInput(
  deferral: ReminderDeferral,
  target: ScheduleTarget,
): CreateScheduleCommandInput {
  // Named by the opening, so a duplicate invocation, and other occurrences held back until the same
  // opening, find it already there: the window opens to one text per reminder, not a backlog.
  return {
    Name: scheduleName(deferral.merchantId, deferral.reminderId, `${compactMinute(deferral.at)}Z`),
    GroupName: target.group,
    ...atUtc(deferral.at),
    ActionAfterCompletion: 'DELETE',
    ...common(target, inputOf(deferral.merchantId, deferral.reminderId, deferral.occurrence)),
  };
}

function common(target: ScheduleTarget, input: string) {
  return {
    // Reminders go at the minute the merchant chose, not somewhere in a window around it.
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      Input: input,
      // A reminder an hour late is still worth sending; later than that it is noise.
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
    },
  };
}

export function eventBridgeReminderScheduler(
  client: SchedulerClient,
  target: ScheduleTarget,
): ReminderScheduler {
  return {
    schedule: (reminder) => createSchedule(client, createScheduleInput(reminder, target)),
    defer: (deferral) => createSchedule(client, deferralInput(deferral, target)),
    cancel: (merchantId, reminderId) =>
      deleteSchedule(client, target.group, scheduleName(merchantId, reminderId)),
  };
}
