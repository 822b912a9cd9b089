import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { ReminderInvocation } from '../schemas/reminder';
import {
  type ReminderDeferral,
  type ReminderScheduler,
  type ReminderTiming,
  ScheduleRefusedError,
} from './reminder-scheduler';

/** Where a group's schedules live and what they invoke: the group, the function, the role Scheduler assumes. */
export interface ScheduleTarget {
  group: string;
  targetArn: string;
  roleArn: string;
}

/** Scheduler's limit on schedule names. */
export const maxScheduleName = 64;

/**
 * `<merchantId>--<id>` (a reminder's or a campaign's), and `.<suffix>` for a later invocation (a
 * deferred send, a continued run). The id (a ULID) alone is unique; the merchant id is there for
 * whoever reads the console, cut short when a long one would pass the 64 characters Scheduler allows
 * (40 + 2 + 26 would).
 */
export function scheduleName(merchantId: string, id: string, suffix?: string): string {
  const rest = `--${id}${suffix ? `.${suffix}` : ''}`;
  return `${merchantId.slice(0, maxScheduleName - rest.length)}${rest}`;
}

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

/**
 * `at(…)` takes a wall-clock time in ScheduleExpressionTimezone. A one-off's instant is known exactly,
 * so it is written in UTC: a local time in the hour clocks fall back would name two instants.
 */
export const atUtc = (instant: Date) => ({
  ScheduleExpression: `at(${instant.toISOString().slice(0, 19)})`,
  ScheduleExpressionTimezone: 'UTC',
});

/** When a schedule fires: once at an instant, the schedule deleting itself after, or by cron in a time zone. */
export function firing(when: { at: Date } | { cron: { expression: string; timeZone: string } }) {
  return 'at' in when
    ? { ...atUtc(when.at), ActionAfterCompletion: 'DELETE' as const }
    : { ScheduleExpression: `cron(${when.cron.expression})`, ScheduleExpressionTimezone: when.cron.timeZone };
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

/** `20270105T0100`: an instant to the minute, as schedule names may carry it. */
export const compactMinute = (at: Date) => at.toISOString().replace(/[-:]/g, '').slice(0, 13);

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

const named = (error: unknown, name: string) => (error as { name?: string } | undefined)?.name === name;

/** Creates a schedule; one that exists already (a retry, a duplicate invocation made it) is no error. */
export async function createSchedule(client: SchedulerClient, input: CreateScheduleCommandInput) {
  try {
    await client.send(new CreateScheduleCommand(input));
  } catch (error) {
    if (named(error, 'ConflictException')) return;
    if (named(error, 'ValidationException')) throw new ScheduleRefusedError((error as Error).message);
    throw error;
  }
}

/** Deletes a schedule; one already gone (fired and deleted itself, or deleted before) is no error. */
export async function deleteSchedule(client: SchedulerClient, group: string, name: string) {
  try {
    await client.send(new DeleteScheduleCommand({ Name: name, GroupName: group }));
  } catch (error) {
    if (!named(error, 'ResourceNotFoundException')) throw error;
  }
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
