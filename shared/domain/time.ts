const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateIn(timeZone: string, at: Date): string {
  // A formatter is costly to make and cheap to use: the nightly scoring asks once per member and date.
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The calendar date `days` days after `date` (both YYYY-MM-DD; a negative `days` goes back). */
export function addDays(date: string, days: number): string {
  // Midnight UTC has no daylight-saving jumps, so whole days are exact.
  const start = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(start)) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return new Date(start + days * 86_400_000).toISOString().slice(0, 10);
}

const minuteFormats = new Map<string, Intl.DateTimeFormat>();

/** Date and time to the minute (YYYY-MM-DD HH:mm) of an instant in a time zone, as a text says it. */
export function minuteIn(timeZone: string, at: Date): string {
  let format = minuteFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    minuteFormats.set(timeZone, format);
  }
  return `${dateIn(timeZone, at)} ${format.format(at)}`;
}
