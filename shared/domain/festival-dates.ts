/**
 * Festival dates: the Gregorian date of each festival in a year, and the festivals on a date. The
 * lunar festivals need the lunar calendar library, a large module of tables; it is kept apart from
 * occasions.ts so that what needs only the festival catalog (the care settings schema, the API's
 * validation of care settings) does not load it.
 */
import { Lunar } from 'lunar-typescript';
import {
  calendarYear,
  type Festival,
  type FestivalCode,
  type FestivalRule,
  festivalCatalog,
  festivalRules,
} from './occasions';
import { addDays } from './time';

/**
 * The festival's date in the Gregorian `year`. 腊月 straddles the Gregorian new year, so its
 * festivals are those just before this year's Spring Festival, as 除夕 is: every year then has one
 * of each, though 腊八 can come in the last days of the year before (2022-12-30 for 2023).
 */
export function festivalDate(code: FestivalCode, year: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`not a four-digit year: ${year}`);
  }
  const rule: FestivalRule = festivalRules[code];
  if (rule.calendar === 'gregorian') return `${year}-${twoDigits(rule.month)}-${twoDigits(rule.day)}`;
  if (rule.day === 'last') return addDays(lunarToGregorian(year, 1, 1), -1);
  return lunarToGregorian(rule.month === 12 ? year - 1 : year, rule.month, rule.day);
}

/** The festivals on `date`, in catalog order (2020-10-01 was both National Day and Mid-Autumn). */
export function festivalsOn(date: string): Festival[] {
  const year = calendarYear(date);
  // A 腊月 festival in late December belongs to next year's (see festivalDate).
  return festivalCatalog.filter(
    ({ code }) => festivalDate(code, year) === date || festivalDate(code, year + 1) === date,
  );
}

// The library works out a whole lunar year for each conversion (~0.3 ms), so each answer is kept.
const gregorianOfLunar = new Map<string, string>();

function lunarToGregorian(lunarYear: number, month: number, day: number): string {
  const key = `${lunarYear}-${month}-${day}`;
  let date = gregorianOfLunar.get(key);
  if (date === undefined) {
    // A positive month is the regular month, never its leap repeat (闰月): festivals keep to the regular one.
    date = Lunar.fromYmd(lunarYear, month, day).getSolar().toYmd();
    gregorianOfLunar.set(key, date);
  }
  return date;
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}
