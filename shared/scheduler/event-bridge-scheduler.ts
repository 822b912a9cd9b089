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

/** Where reminder schedules live and what they invoke: the group, the function, the role Scheduler assumes. */
export interface ReminderTarget {
  group: string;
  targetArn: string;
  roleArn: string;
}

/** Scheduler's limit on schedule names. */
export const maxScheduleName = 64;

/**
 * `<merchantId>--<reminderId>`, and `.<suffix>` for a deferred send. The reminder id (a ULID) alone is
 * unique; the merchant id is there for whoever reads the console, cut short when a long one would
 * pass the 64 characters Scheduler allows (40 + 2 + 26 would).
 */
export function scheduleName(merchantId: string, reminderId: string, suffix?: string): string {
  const rest = `--${reminderId}${suffix ? `.${suffix}` : ''}`;
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
const atUtc = (instant: Date) => ({
  ScheduleExpression: `at(${instant.toISOString().slice(0, 19)})`,
  ScheduleExpressionTimezone: 'UTC',
});

/** The CreateSchedule request for a reminder (exported for the tests). */
export function createScheduleInput(
  reminder: ReminderTiming,
  target: ReminderTarget,
): CreateScheduleCommandInput {
  const timing =
    'at' in reminder
      ? { ...atUtc(new Date(reminder.at)), ActionAfterCompletion: 'DELETE' as const }
      : {
          ScheduleExpression: `cron(${reminder.cron.expression})`,
          ScheduleExpressionTimezone: reminder.cron.timeZone,
        };
  return {
    Name: scheduleName(reminder.merchantId, reminder.reminderId),
    GroupName: target.group,
    ...timing,
    ...common(target, inputOf(reminder.merchantId, reminder.reminderId)),
  };
}

/** The CreateSchedule request for a deferred send: one-off, at the window's opening (exported for the tests). */
export function deferralInput(
  deferral: ReminderDeferral,
  target: ReminderTarget,
): CreateScheduleCommandInput {
  // Named by the opening, so a duplicate invocation, and other occurrences held back until the same
  // opening, find it already there: the window opens to one text per reminder, not a backlog.
  const opening = deferral.at.toISOString().replace(/[-:]/g, '').slice(0, 13);
  return {
    Name: scheduleName(deferral.merchantId, deferral.reminderId, `${opening}Z`),
    GroupName: target.group,
    ...atUtc(deferral.at),
    ActionAfterCompletion: 'DELETE',
    ...common(target, inputOf(deferral.merchantId, deferral.reminderId, deferral.occurrence)),
  };
}

function common(target: ReminderTarget, input: string) {
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

export function eventBridgeReminderScheduler(
  client: SchedulerClient,
  target: ReminderTarget,
): ReminderScheduler {
  async function create(input: CreateScheduleCommandInput) {
    try {
      await client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (named(error, 'ConflictException')) return; // created before: by a retry, or a duplicate invocation
      if (named(error, 'ValidationException')) throw new ScheduleRefusedError((error as Error).message);
      throw error;
    }
  }
  return {
    schedule: (reminder) => create(createScheduleInput(reminder, target)),
    defer: (deferral) => create(deferralInput(deferral, target)),
    async cancel(merchantId, reminderId) {
      try {
        await client.send(
          new DeleteScheduleCommand({ Name: scheduleName(merchantId, reminderId), GroupName: target.group }),
        );
      } catch (error) {
        if (!named(error, 'ResourceNotFoundException')) throw error;
      }
    },
  };
}
