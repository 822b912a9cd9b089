import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { ScheduleRefusedError } from './reminder-scheduler';

/**
 * What the EventBridge Scheduler adapters of reminders and campaigns share: schedule names, when a
 * schedule fires, and creating and deleting schedules so that a retry of either is no error.
 */

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

/** `20270105T0100`: an instant to the minute, as schedule names may carry it. */
export const compactMinute = (at: Date) => at.toISOString().replace(/[-:]/g, '').slice(0, 13);

/**
 * What a schedule invokes and how: at the minute it names, not somewhere in a window around it, and
 * retried while the invocation is at most `maxLateSeconds` late.
 */
export function invoking(target: ScheduleTarget, input: string, maxLateSeconds: number) {
  return {
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      Input: input,
      RetryPolicy: { MaximumEventAgeInSeconds: maxLateSeconds, MaximumRetryAttempts: 20 },
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
