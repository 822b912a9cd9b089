import type { CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ReminderInvocation } from '../schemas/reminder';
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
import type { ReminderDeferral, ReminderScheduler, ReminderTiming } from './reminder-scheduler';

/** A reminder an hour late is still worth sending; later than that it is noise. */
const maxLateSeconds = 3600;

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
    ...invoking(target, inputOf(reminder.merchantId, reminder.reminderId), maxLateSeconds),
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
    ...invoking(
      target,
      inputOf(deferral.merchantId, deferral.reminderId, deferral.occurrence),
      maxLateSeconds,
    ),
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
