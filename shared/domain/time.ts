/** Calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function dateIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
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
