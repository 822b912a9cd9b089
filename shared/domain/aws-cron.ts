import { Cron } from 'croner';

/**
 * Cron expressions as EventBridge Scheduler reads them: six fields, `minutes hours day-of-month
 * month day-of-week year`, days of the week numbered 1 (Sunday) to 7 (Saturday) or named SUN–SAT,
 * and `?` in exactly one of the two day fields. `croner` evaluates them (in Quartz mode, which numbers
 * weekdays the same way); the checks here are the rules of AWS's dialect croner does not enforce, so
 * an expression accepted here is one Scheduler accepts too.
 */
export type AwsCronResult = { ok: true; cron: Cron } | { ok: false; reason: string };

const fieldNames = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;
const allowed = /^[0-9A-Za-z,\-*/?#]+$/;

/** `cron(0 10 ? * MON-FRI *)` or the fields alone → the fields, single-spaced. */
export function cronFields(expression: string): string {
  const inner = /^\s*cron\((.*)\)\s*$/s.exec(expression)?.[1] ?? expression;
  return inner.trim().split(/\s+/).join(' ');
}

export function parseAwsCron(expression: string, timeZone = 'UTC'): AwsCronResult {
  const fields = cronFields(expression).split(' ');
  if (fields.length !== 6) {
    return { ok: false, reason: `${fields.length} fields; write six: ${fieldNames.join(' ')}` };
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const unknown = fields.findIndex((field) => !allowed.test(field));
  if (unknown !== -1)
    return { ok: false, reason: `${fieldNames[unknown]}: ${fields[unknown]} is not allowed` };
  const questionMarks = fields.flatMap((field, i) => (field.includes('?') ? [i] : []));
  if (questionMarks.some((i) => i !== 2 && i !== 4)) {
    return { ok: false, reason: '? is allowed only in day-of-month or day-of-week' };
  }
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return { ok: false, reason: 'put ? in exactly one of day-of-month and day-of-week, e.g. 0 10 ? * MON *' };
  }
  // The weekday before `#` (or alone); the number after `#` is the week of the month.
  const weekdays = dayOfWeek.split(',').flatMap((part) => part.split('#')[0]?.match(/\d+/g) ?? []);
  if (weekdays.some((day) => Number(day) < 1 || Number(day) > 7)) {
    return { ok: false, reason: 'day-of-week: 1 (SUN) to 7 (SAT), or SUN-SAT' };
  }
  try {
    const cron = new Cron(`0 ${minutes} ${hours} ${dayOfMonth} ${month} ${dayOfWeek} ${year}`, {
      timezone: timeZone,
      mode: '7-part',
      alternativeWeekdays: true,
      // AWS writes steps from a start value, `0/15`, which croner calls sloppy.
      sloppyRanges: true,
    });
    return { ok: true, cron };
  } catch (error) {
    return { ok: false, reason: (error as Error).message.replace(/^CronPattern: /, '') };
  }
}

/** The next `count` instants the expression fires after `after`, in its time zone. */
export function nextRuns(expression: string, timeZone: string, after: Date, count: number): Date[] {
  const parsed = parseAwsCron(expression, timeZone);
  if (!parsed.ok) throw new RangeError(`not an AWS cron expression: ${parsed.reason}`);
  return parsed.cron.nextRuns(count, after);
}

/** Texts to a member must not repeat more often than this, however the expression is written. */
export const minimumRepeatMinutes = 60;

/**
 * Why a recurring reminder or campaign cannot be scheduled from `now`, if it cannot: it never fires
 * again, or it fires more often than once an hour (a text a minute to a member is a mistake, and costs
 * per text).
 */
export function recurrenceProblem(expression: string, timeZone: string, now: Date): string | undefined {
  const runs = nextRuns(expression, timeZone, now, 25);
  if (runs.length === 0) return 'the expression never fires after now';
  for (let i = 1; i < runs.length; i += 1) {
    const gap = (runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime();
    if (gap < minimumRepeatMinutes * 60_000) {
      return `it would repeat within ${Math.round(gap / 60_000)} minutes; at most once an hour`;
    }
  }
  return undefined;
}
