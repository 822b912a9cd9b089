/**
 * Days worth a greeting SMS: festivals, birthdays, membership anniversaries and the merchant's own
 * special days. Pure: dates are YYYY-MM-DD in the merchant's time zone (see `dateIn`). Festival
 * dates, which need the lunar calendar, are in festival-dates.ts.
 */
import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { isBirthdayOn } from './benefits';
import type { Lang } from './keywords';

export type FestivalRule = { name: Record<Lang, string>; month: number } & (
  | { calendar: 'gregorian' | 'lunar'; day: number }
  /** 除夕: the last day of the lunar year, 腊月廿九 or 三十, so the eve of the next Spring Festival. */
  | { calendar: 'lunar'; month: 12; day: 'last' }
);

export const festivalRules = {
  'new-year': { name: { zh: '元旦', en: "New Year's Day" }, calendar: 'gregorian', month: 1, day: 1 },
  valentines: { name: { zh: '情人节', en: "Valentine's Day" }, calendar: 'gregorian', month: 2, day: 14 },
  'womens-day': { name: { zh: '妇女节', en: "Women's Day" }, calendar: 'gregorian', month: 3, day: 8 },
  'labour-day': { name: { zh: '劳动节', en: 'Labour Day' }, calendar: 'gregorian', month: 5, day: 1 },
  'childrens-day': { name: { zh: '儿童节', en: "Children's Day" }, calendar: 'gregorian', month: 6, day: 1 },
  'national-day': { name: { zh: '国庆节', en: 'National Day' }, calendar: 'gregorian', month: 10, day: 1 },
  christmas: { name: { zh: '圣诞节', en: 'Christmas' }, calendar: 'gregorian', month: 12, day: 25 },
  'spring-festival': { name: { zh: '春节', en: 'Spring Festival' }, calendar: 'lunar', month: 1, day: 1 },
  lantern: { name: { zh: '元宵节', en: 'Lantern Festival' }, calendar: 'lunar', month: 1, day: 15 },
  'dragon-boat': { name: { zh: '端午节', en: 'Dragon Boat Festival' }, calendar: 'lunar', month: 5, day: 5 },
  qixi: { name: { zh: '七夕', en: 'Qixi Festival' }, calendar: 'lunar', month: 7, day: 7 },
  'mid-autumn': { name: { zh: '中秋节', en: 'Mid-Autumn Festival' }, calendar: 'lunar', month: 8, day: 15 },
  'double-ninth': {
    name: { zh: '重阳节', en: 'Double Ninth Festival' },
    calendar: 'lunar',
    month: 9,
    day: 9,
  },
  laba: { name: { zh: '腊八节', en: 'Laba Festival' }, calendar: 'lunar', month: 12, day: 8 },
  'new-years-eve': {
    name: { zh: '除夕', en: "Lunar New Year's Eve" },
    calendar: 'lunar',
    month: 12,
    day: 'last',
  },
} satisfies Record<string, FestivalRule>;

export type FestivalCode = keyof typeof festivalRules;
export const festivalCodeSchema = lazySchema(() =>
  z.enum(Object.keys(festivalRules) as [FestivalCode, ...FestivalCode[]]),
);
export type Festival = FestivalRule & { code: FestivalCode };

export const festivalCatalog: readonly Festival[] = Object.entries(festivalRules).map(([code, rule]) => ({
  code: code as FestivalCode,
  ...rule,
}));

const leapDay = '02-29';

/**
 * The birthdays (MM-DD) to greet on `date`. 29 February birthdays are greeted on 28 February in
 * common years and on the day itself in leap years: once every year, as `isBirthdayOn` decides.
 */
export function birthdayKeysOn(date: string): string[] {
  const monthDay = date.slice(5);
  return monthDay !== leapDay && isYearlyOn(leapDay, date) ? [monthDay, leapDay] : [monthDay];
}

/**
 * The membership year completed on `date` (1, 2, …), or undefined when it is not an anniversary.
 * Someone who joined on 29 February is greeted on 28 February in common years, as for birthdays.
 * Tenure points (`tiers.ts`) count that year from 1 March instead, so they are never early.
 */
export function anniversaryOn(joinedOn: string, date: string): number | undefined {
  const years = calendarYear(date) - calendarYear(joinedOn);
  return years >= 1 && isBirthdayOn(joinedOn, date) ? years : undefined;
}

const isoDate = lazySchema(() => z.iso.date());

/** MM-DD (every year) or YYYY-MM-DD (once); 2000 is a leap year, so a yearly 02-29 passes. */
function isSpecialDayDate(date: string): boolean {
  return isoDate.safeParse(/^\d{2}-\d{2}$/.test(date) ? `2000-${date}` : date).success;
}

export const specialDaySchema = lazySchema(() =>
  z.object({
    code: z.string().regex(/^[a-z0-9-]{1,30}$/, 'special day codes: 1–30 lowercase letters, digits or -'),
    name: z.string().trim().min(1, 'every special day needs a name').max(40),
    date: z
      .string()
      .refine(isSpecialDayDate, 'special day date: a real date, MM-DD for every year or YYYY-MM-DD for once'),
  }),
);
export type SpecialDay = z.infer<typeof specialDaySchema>;

/** The merchant's special days on `date`; a yearly 02-29 is kept on 28 February in common years. */
export function specialDaysOn(days: readonly SpecialDay[], date: string): SpecialDay[] {
  return days.filter((day) => (day.date.length === 5 ? isYearlyOn(day.date, date) : day.date === date));
}

/** Whether a yearly MM-DD falls on `date`, by the birthday rule for 29 February. */
function isYearlyOn(monthDay: string, date: string): boolean {
  return isBirthdayOn(`${date.slice(0, 4)}-${monthDay}`, date);
}

/** The year of a YYYY-MM-DD date; anything else is a RangeError. */
export function calendarYear(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return Number(date.slice(0, 4));
}
