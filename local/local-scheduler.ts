import { randomBytes } from 'node:crypto';
import { Cron } from 'croner';
import { parseAwsCron } from '../shared/domain/aws-cron';
import { isTimeZone } from '../shared/domain/time';
import type { CampaignScheduler } from '../shared/scheduler/campaign-scheduler';
import type { ReminderScheduler } from '../shared/scheduler/reminder-scheduler';
import type { Merchant } from '../shared/schemas/merchant';
import type { CampaignsStore } from '../shared/store/campaigns';
import type { RemindersStore } from '../shared/store/reminders';
import { armCampaign } from '../shared/use-cases/arm-campaign';

/**
 * The local stand-in for EventBridge Scheduler. It answers the part of Scheduler's REST-JSON API the
 * functions use (CreateSchedule, DeleteSchedule, GetSchedule), so they schedule through the same
 * client and adapter as in AWS; it keeps the schedules in memory and, once a second, invokes each due
 * schedule's target with its input, context attributes filled in as Scheduler fills them. It honours
 * `at()` and `cron()` in their time zone, `State` and `ActionAfterCompletion`; not `rate()`, flexible
 * windows, start and end dates, or dead-letter queues. A failed invocation is tried twice more, a
 * second apart, as Lambda retries an asynchronous invocation twice.
 */

export interface LocalSchedule {
  group: string;
  name: string;
  expression: string;
  timeZone: string;
  target: { Arn: string; RoleArn: string; Input?: string };
  flexibleTimeWindow: { Mode: string };
  actionAfterCompletion: 'NONE' | 'DELETE';
  state: 'ENABLED' | 'DISABLED';
  /** When it fires next (epoch ms); undefined once a one-off has fired. */
  next?: number;
}

/** Invokes a target (a function ARN) with the schedule's input, as Scheduler invokes Lambda. */
export type Invoke = (targetArn: string, input: string) => Promise<void>;

export interface SchedulerReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** The path the Scheduler API is served under; AWS_ENDPOINT_URL_SCHEDULER points here. */
export const schedulerApiPath = '/local/scheduler';

const scheduleNamePattern = /^[0-9a-zA-Z\-_.]{1,64}$/;
const atPattern = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const cronPattern = /^cron\((.+)\)$/;
const retryDelayMs = 1000;

class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}
const validation = (message: string) => new SchedulerError(400, 'ValidationException', message);

/** Scheduler's `<aws.scheduler.scheduled-time>`: to the second, in UTC, e.g. 2022-03-22T18:59:43Z. */
const scheduledTimeOf = (instant: number) => new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The first instant the expression fires after `after`, or undefined if it never does. */
function nextFiring(expression: string, timeZone: string, after: number): number | undefined {
  const at = atPattern.exec(expression)?.[1];
  if (at) {
    const once = new Cron(at, { timezone: timeZone }).getOnce()?.getTime();
    return once !== undefined && once > after ? once : undefined;
  }
  const cron = cronPattern.exec(expression)?.[1];
  const parsed = cron ? parseAwsCron(cron, timeZone) : undefined;
  return parsed?.ok ? parsed.cron.nextRun(new Date(after))?.getTime() : undefined;
}

function checkExpression(expression: string, timeZone: string): void {
  if (!isTimeZone(timeZone)) throw validation(`Invalid ScheduleExpressionTimezone ${timeZone}.`);
  if (atPattern.test(expression)) return;
  const cron = cronPattern.exec(expression)?.[1];
  if (cron) {
    const parsed = parseAwsCron(cron, timeZone);
    if (!parsed.ok) throw validation(`Invalid Schedule Expression ${expression}: ${parsed.reason}.`);
    return;
  }
  throw validation(`Invalid Schedule Expression ${expression}: the local scheduler knows at() and cron().`);
}

export function localScheduler(invoke: Invoke, now: () => number = Date.now) {
  const schedules = new Map<string, LocalSchedule>();
  const keyOf = (group: string, name: string) => `${group}/${name}`;
  let timer: NodeJS.Timeout | undefined;

  function inputFor(schedule: LocalSchedule, scheduledTime: number, attempt: number): string {
    return (schedule.target.Input ?? '{}')
      .replaceAll('<aws.scheduler.scheduled-time>', scheduledTimeOf(scheduledTime))
      .replaceAll(
        '<aws.scheduler.schedule-arn>',
        `arn:aws:scheduler:local:000000000000:schedule/${schedule.group}/${schedule.name}`,
      )
      .replaceAll('<aws.scheduler.execution-id>', randomBytes(8).toString('hex'))
      .replaceAll('<aws.scheduler.attempt-number>', String(attempt));
  }

  /** The invocation due at `scheduledTime`; a one-off's schedule is done with (and deleted, if asked). */
  function take(schedule: LocalSchedule, scheduledTime: number): void {
    schedule.next = nextFiring(schedule.expression, schedule.timeZone, Math.max(scheduledTime, now()));
    if (schedule.next === undefined && schedule.actionAfterCompletion === 'DELETE') {
      schedules.delete(keyOf(schedule.group, schedule.name));
    }
  }

  async function deliver(schedule: LocalSchedule, scheduledTime: number): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await invoke(schedule.target.Arn, inputFor(schedule, scheduledTime, attempt));
      } catch (error) {
        if (attempt === 3) {
          console.error(`schedule ${schedule.group}/${schedule.name} failed`, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    }
  }

  function tick(): void {
    const instant = now();
    for (const schedule of [...schedules.values()]) {
      if (schedule.state !== 'ENABLED' || schedule.next === undefined || schedule.next > instant) continue;
      const due = schedule.next;
      take(schedule, due);
      void deliver(schedule, due);
    }
  }

  function create(name: string, request: Record<string, unknown>): SchedulerReply {
    const group = typeof request.GroupName === 'string' ? request.GroupName : 'default';
    if (!scheduleNamePattern.test(name)) throw validation(`Invalid Name ${name}: 1-64 of [0-9a-zA-Z-_.].`);
    const expression = String(request.ScheduleExpression ?? '');
    const timeZone =
      typeof request.ScheduleExpressionTimezone === 'string' ? request.ScheduleExpressionTimezone : 'UTC';
    checkExpression(expression, timeZone);
    const target = request.Target as LocalSchedule['target'] | undefined;
    if (!target?.Arn || !target.RoleArn) throw validation('Target.Arn and Target.RoleArn are required.');
    const flexibleTimeWindow = request.FlexibleTimeWindow as { Mode?: string } | undefined;
    if (!flexibleTimeWindow?.Mode) throw validation('FlexibleTimeWindow.Mode is required.');
    if (schedules.has(keyOf(group, name))) {
      throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists.`);
    }
    // A one-off whose time has passed (say, re-created after the runtime was stopped) fires at once.
    const schedule: LocalSchedule = {
      group,
      name,
      expression,
      timeZone,
      target,
      flexibleTimeWindow: { Mode: flexibleTimeWindow.Mode },
      actionAfterCompletion: request.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
      state: request.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      next: atPattern.test(expression)
        ? nextFiring(expression, timeZone, Number.NEGATIVE_INFINITY)
        : nextFiring(expression, timeZone, now()),
    };
    schedules.set(keyOf(group, name), schedule);
    return { status: 200, body: { ScheduleArn: arnOf(schedule) } };
  }

  const arnOf = (s: LocalSchedule) => `arn:aws:scheduler:local:000000000000:schedule/${s.group}/${s.name}`;

  function existing(group: string, name: string): LocalSchedule {
    const schedule = schedules.get(keyOf(group, name));
    if (!schedule)
      throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return schedule;
  }

  /** A request to the Scheduler API, path relative to the endpoint, e.g. `POST /schedules/{Name}`. */
  function api(method: string, path: string, query: URLSearchParams, body: Buffer): SchedulerReply {
    try {
      const name = /^\/schedules\/([^/]+)\/?$/.exec(path)?.[1];
      if (!name) throw new SchedulerError(404, 'UnknownOperationException', `${method} ${path}`);
      const scheduleName = decodeURIComponent(name);
      const group = query.get('groupName') ?? 'default';
      if (method === 'POST') return create(scheduleName, JSON.parse(body.toString('utf8') || '{}'));
      if (method === 'DELETE') {
        existing(group, scheduleName);
        schedules.delete(keyOf(group, scheduleName));
        return { status: 200, body: {} };
      }
      if (method === 'GET') {
        const s = existing(group, scheduleName);
        return {
          status: 200,
          body: {
            Arn: arnOf(s),
            GroupName: s.group,
            Name: s.name,
            ScheduleExpression: s.expression,
            ScheduleExpressionTimezone: s.timeZone,
            Target: s.target,
            FlexibleTimeWindow: s.flexibleTimeWindow,
            ActionAfterCompletion: s.actionAfterCompletion,
            State: s.state,
          },
        };
      }
      throw new SchedulerError(404, 'UnknownOperationException', `${method} ${path}`);
    } catch (error) {
      const known = error instanceof SchedulerError ? error : validation((error as Error).message);
      return {
        status: known.status,
        headers: { 'x-amzn-errortype': known.code },
        body: { Message: known.message },
      };
    }
  }

  /** What `GET /local/schedules` shows: every schedule and when it fires next. */
  const view = (s: LocalSchedule) => ({
    group: s.group,
    name: s.name,
    expression: s.expression,
    timeZone: s.timeZone,
    state: s.state,
    nextAt: s.next === undefined ? undefined : new Date(s.next).toISOString(),
  });

  return {
    /**
     * Serves the Scheduler API under `/local/scheduler/`, `GET /local/schedules` (the schedules) and
     * `POST /local/schedules/<group>/<name>` with an optional `{"time"}` (invokes the schedule now as
     * its invocation due at `time`, by default the one due next); undefined for any other request.
     */
    async serve(method: string, url: URL, body: Buffer): Promise<SchedulerReply | undefined> {
      if (url.pathname.startsWith(`${schedulerApiPath}/`)) {
        return api(method, url.pathname.slice(schedulerApiPath.length), url.searchParams, body);
      }
      if (method === 'GET' && url.pathname === '/local/schedules') {
        return { status: 200, body: { schedules: [...schedules.values()].map(view) } };
      }
      const [, group, name] = /^\/local\/schedules\/([^/]+)\/([^/]+)$/.exec(url.pathname) ?? [];
      if (method !== 'POST' || !group || !name) return undefined;
      const schedule = schedules.get(keyOf(group, decodeURIComponent(name)));
      if (!schedule) return { status: 404, body: { error: { message: `no schedule ${group}/${name}` } } };
      const time =
        body.length > 0 ? (JSON.parse(body.toString('utf8')) as { time?: string }).time : undefined;
      const due = time ? Date.parse(time) : schedule.next;
      if (due === undefined || Number.isNaN(due)) {
        return {
          status: 400,
          body: { error: { message: 'send {"time": "<ISO date-time>"}: the schedule is not due again' } },
        };
      }
      if (schedule.next !== undefined && due >= schedule.next) take(schedule, due);
      await invoke(schedule.target.Arn, inputFor(schedule, due, 1));
      return {
        status: 200,
        body: { fired: `${group}/${schedule.name}`, scheduledTime: scheduledTimeOf(due) },
      };
    },
    schedules: () => [...schedules.values()].map(view),
    start(tickMs = 1000): void {
      timer ??= setInterval(tick, tickMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * Schedules every reminder still to fire again: the local scheduler keeps schedules in memory, so a
 * restarted runtime re-creates them from the Care table, as they would have lived on in AWS.
 */
export async function rearmReminders(
  merchants: AsyncIterable<Merchant>,
  reminders: Pick<RemindersStore, 'scheduled'>,
  scheduler: Pick<ReminderScheduler, 'schedule'>,
): Promise<number> {
  let count = 0;
  for await (const merchant of merchants) {
    for (const reminder of await reminders.scheduled(merchant.merchantId)) {
      await scheduler.schedule(reminder);
      count += 1;
    }
  }
  return count;
}

/**
 * Schedules every scheduled or running campaign again, as rearmReminders does reminders: its own
 * schedule, and a continuation of the run it had not finished when the runtime stopped.
 */
export async function rearmCampaigns(
  merchants: AsyncIterable<Merchant>,
  campaigns: Pick<CampaignsStore, 'active'>,
  scheduler: Pick<CampaignScheduler, 'schedule' | 'continueRun'>,
  now: Date,
): Promise<number> {
  let count = 0;
  for await (const merchant of merchants) {
    for (const campaign of await campaigns.active(merchant.merchantId)) {
      await armCampaign(scheduler, campaign, now);
      count += 1;
    }
  }
  return count;
}
