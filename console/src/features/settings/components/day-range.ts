import dayjs, { type Dayjs } from 'dayjs';

/** A rule's valid days as one range picker holds them (either end may be open). */
export type DayRange = [Dayjs | null, Dayjs | null] | null;

/** The picker's range from a rule's `from` and `to` (YYYY-MM-DD), none when it has neither. */
export function dayRangeOf({ from, to }: { from?: string; to?: string }): DayRange {
  return from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] : null;
}

/** The rule's `from` and `to` from the picker's range: an open end is left out. */
export function datesOf(days: DayRange | undefined): { from?: string; to?: string } {
  const [from, to] = (days ?? [null, null]).map((day) => (day ? day.format('YYYY-MM-DD') : undefined));
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
