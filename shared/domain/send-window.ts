import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

/**
 * The hours of the merchant's day in which marketing and care texts may go out. A text due outside
 * them waits for the next opening rather than waking a member at night.
 */
const clockTime = lazySchema(() =>
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time: HH:MM on a 24-hour clock, e.g. 09:00'),
);
/** The end may also be 24:00, the end of the day: 00:00–24:00 is a window that never closes. */
const endTime = lazySchema(() =>
  z
    .string()
    .regex(
      /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/,
      'end: HH:MM on a 24-hour clock, or 24:00 for the end of the day',
    ),
);

export const sendWindowSchema = lazySchema(() =>
  z.object({ start: clockTime, end: endTime }).refine((window) => window.start < window.end, {
    message: 'send window: start must be before end on the same day',
    path: ['end'],
  }),
);
export type SendWindow = z.infer<typeof sendWindowSchema>;

export const defaultSendWindow: SendWindow = { start: '09:00', end: '20:00' };

export type WindowDecision = { send: true } | { send: false; notBefore: string };

/**
 * Whether a text may go out at `at` in the merchant's time zone: inside [start, end) it may;
 * otherwise `notBefore` is the instant the window next opens (today's start before it, tomorrow's
 * from its end on).
 */
export function windowDecision(at: Date, timeZone: string, window: SendWindow): WindowDecision {
  const local = wallClock(at.getTime(), timeZone);
  const now = minutesInto(local) + at.getUTCMilliseconds() / 60_000;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (now >= start && now < end) return { send: true };
  // A window wholly inside the hour clocks skip (00:15–00:45 in Santiago on the September change)
  // does not open that day; the next day's does.
  for (let day = now < start ? local.day : local.day + 1; ; day += 1) {
    const wall = { ...local, day, hour: 0, minute: start, second: 0 };
    const opening = firstInstantShowing(wall, timeZone, at.getTime());
    if (opening !== undefined && minutesInto(wallClock(opening, timeZone)) < end) {
      return { send: false, notBefore: new Date(opening).toISOString() };
    }
  }
}

const minutesInto = (w: WallClock) => w.hour * 60 + w.minute + w.second / 60;

function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall time as if it were UTC; out-of-range fields roll over (day 32, minute 540). */
const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/**
 * The first instant after `after` at which the merchant's clock reads `wall`, or reads past it
 * having jumped over it. Usually the one instant showing it; when clocks fall back and it shows
 * twice, the first still to come (01:45 EDT, or 01:45 EST once it is 01:00 EST); when clocks spring
 * forward over it (02:30 in New York on the March change), the moment of the jump.
 */
function firstInstantShowing(wall: WallClock, timeZone: string, after: number): number | undefined {
  const target = asUtc(wall);
  // Offsets a day either side cover both sides of any one change; zones change at most twice a year.
  const offsets = [offsetAt(target - 86_400_000, timeZone), offsetAt(target + 86_400_000, timeZone)];
  const shown = offsets.map((offset) => target - offset).filter((t) => offsetAt(t, timeZone) === target - t);
  if (shown.length > 0) {
    const ahead = shown.filter((t) => t > after);
    return ahead.length > 0 ? Math.min(...ahead) : undefined;
  }
  // In the gap: the jump lies between the instants the two offsets give; find it to the minute.
  let beforeJump = target - Math.max(...offsets);
  let afterJump = target - Math.min(...offsets);
  while (afterJump - beforeJump > 60_000) {
    const middle = beforeJump + Math.floor((afterJump - beforeJump) / 120_000) * 60_000;
    if (asUtc(wallClock(middle, timeZone)) < target) beforeJump = middle;
    else afterJump = middle;
  }
  return afterJump;
}

/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return asUtc(wallClock(whole, timeZone)) - whole;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: number, timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const { type, value } of format.formatToParts(instant)) {
    if (type in wall) wall[type as keyof WallClock] = Number(value);
  }
  return wall;
}
