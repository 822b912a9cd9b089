import { Lunar } from 'lunar-typescript';
import { describe, expect, it } from 'vitest';
import { festivalDate, festivalsOn } from '../../../shared/domain/festival-dates';
import {
  anniversaryOn,
  birthdayKeysOn,
  type FestivalCode,
  festivalCatalog,
  festivalCodeSchema,
  type SpecialDay,
  specialDaySchema,
  specialDaysOn,
} from '../../../shared/domain/occasions';
import { addDays } from '../../../shared/domain/time';

const codesOn = (date: string) => festivalsOn(date).map((festival) => festival.code);

describe('festivalDate', () => {
  // The published Chinese calendar (中国农历). 2025–2029 have no 腊月三十, so 除夕 is 腊月廿九;
  // 2030 has it again.
  const published: Record<number, Partial<Record<FestivalCode, string>>> = {
    2026: {
      'spring-festival': '2026-02-17',
      lantern: '2026-03-03',
      'dragon-boat': '2026-06-19',
      qixi: '2026-08-19',
      'mid-autumn': '2026-09-25',
      'double-ninth': '2026-10-18',
      laba: '2026-01-26',
      'new-years-eve': '2026-02-16',
    },
    2027: {
      'spring-festival': '2027-02-06',
      lantern: '2027-02-20',
      'dragon-boat': '2027-06-09',
      qixi: '2027-08-08',
      'mid-autumn': '2027-09-15',
      'double-ninth': '2027-10-08',
      laba: '2027-01-15',
      'new-years-eve': '2027-02-05',
    },
    2028: {
      'spring-festival': '2028-01-26',
      lantern: '2028-02-09',
      'dragon-boat': '2028-05-28',
      qixi: '2028-08-26',
      'mid-autumn': '2028-10-03',
      'double-ninth': '2028-10-26',
      laba: '2028-01-04',
      'new-years-eve': '2028-01-25',
    },
    2029: {
      'spring-festival': '2029-02-13',
      lantern: '2029-02-27',
      'dragon-boat': '2029-06-16',
      qixi: '2029-08-16',
      'mid-autumn': '2029-09-22',
      'double-ninth': '2029-10-16',
      laba: '2029-01-22',
      'new-years-eve': '2029-02-12',
    },
    2030: {
      'spring-festival': '2030-02-03',
      lantern: '2030-02-17',
      'dragon-boat': '2030-06-05',
      qixi: '2030-08-05',
      'mid-autumn': '2030-09-12',
      'double-ninth': '2030-10-05',
      laba: '2030-01-11',
      'new-years-eve': '2030-02-02',
    },
  };
  const rows = Object.entries(published).flatMap(([year, dates]) =>
    Object.entries(dates).map(([code, date]) => [code as FestivalCode, Number(year), date] as const),
  );

  it.each(rows)('%s %i is %s, as published', (code, year, date) => {
    expect(festivalDate(code, year)).toBe(date);
    expect(codesOn(date)).toContain(code);
  });

  it.each([
    ['new-year', '2027-01-01'],
    ['valentines', '2027-02-14'],
    ['womens-day', '2027-03-08'],
    ['labour-day', '2027-05-01'],
    ['childrens-day', '2027-06-01'],
    ['national-day', '2027-10-01'],
    ['christmas', '2027-12-25'],
  ] as const)('%s 2027 is %s', (code, date) => {
    expect(festivalDate(code, 2027)).toBe(date);
  });

  it('finds the Spring Festival of a Gregorian leap year (2028: 26 January)', () => {
    expect(festivalDate('spring-festival', 2028)).toBe('2028-01-26');
    expect(festivalDate('new-years-eve', 2028)).toBe('2028-01-25');
  });

  it.each([
    ['dragon-boat', 2028, '2028-05-28', '2028-06-27', '闰五月初五'],
    ['dragon-boat', 2020, '2020-06-25', '2020-05-27', '闰四月初五, a month early'],
    ['qixi', 2025, '2025-08-29', '2025-07-31', '闰六月初七, a month early'],
  ] as const)(
    '%s %i is %s in the regular month, not %s (%s)',
    (code, year, date, leapMonthDate, _leapDay) => {
      expect(festivalDate(code, year)).toBe(date);
      expect(codesOn(leapMonthDate)).toEqual([]);
    },
  );

  it.each([
    [2022, '2022-01-10'],
    [2023, '2022-12-30'],
    [2024, '2024-01-18'],
  ])('takes 腊八 before the Spring Festival of %i: %s', (year, date) => {
    expect(festivalDate('laba', year)).toBe(date);
  });

  it('puts 除夕 on the eve of the Spring Festival, 腊月廿九 or 三十, in every year 1901–2099', () => {
    for (let year = 1901; year <= 2099; year++) {
      const eve = festivalDate('new-years-eve', year);
      expect(eve).toBe(addDays(festivalDate('spring-festival', year), -1));
      const lunar = Lunar.fromYmd(year - 1, 12, 29)
        .getSolar()
        .toYmd();
      expect([lunar, addDays(lunar, 1)]).toContain(eve);
    }
  });

  it.each([
    [2029, '2029-02-12', 29],
    [2030, '2030-02-02', 30],
    [2031, '2031-01-22', 29],
  ])('%i: 除夕 is %s, 腊月 day %i', (year, date, lunarDay) => {
    expect(festivalDate('new-years-eve', year)).toBe(date);
    expect(
      Lunar.fromYmd(year - 1, 12, lunarDay)
        .getSolar()
        .toYmd(),
    ).toBe(date);
  });

  it.each([999, 10000, 2026.5])('rejects year %s', (year) => {
    expect(() => festivalDate('spring-festival', year)).toThrow(RangeError);
  });
});

describe('festivalsOn', () => {
  it.each([
    ['2020-10-01', ['national-day', 'mid-autumn']],
    ['2031-10-01', ['national-day', 'mid-autumn']],
    ['2031-01-01', ['new-year', 'laba']],
    ['2022-12-30', ['laba']],
    ['2022-01-10', ['laba']],
    ['2028-10-03', ['mid-autumn']],
    ['2026-02-14', ['valentines']],
    ['2026-02-16', ['new-years-eve']],
    ['2026-02-17', ['spring-festival']],
    ['2026-02-18', []],
    ['2027-12-31', []],
  ])('%s: %j', (date, codes) => {
    expect(codesOn(date)).toEqual(codes);
  });

  it('no two festivals share a day in 2026–2030', () => {
    for (let date = '2026-01-01'; date <= '2030-12-31'; date = addDays(date, 1)) {
      expect(festivalsOn(date).length, date).toBeLessThanOrEqual(1);
    }
  });

  it('returns whole catalog entries', () => {
    expect(festivalsOn('2026-09-25')).toEqual([
      {
        code: 'mid-autumn',
        name: { zh: '中秋节', en: 'Mid-Autumn Festival' },
        calendar: 'lunar',
        month: 8,
        day: 15,
      },
    ]);
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => festivalsOn('2026-9-25')).toThrow(RangeError);
  });
});

describe('festivalCatalog and festivalCodeSchema', () => {
  it('lists every code once, in the schema', () => {
    const codes = festivalCatalog.map((festival) => festival.code);
    expect(codes).toEqual(festivalCodeSchema.options);
    expect(new Set(codes).size).toBe(15);
  });

  it.each([
    ['mid-autumn', true],
    ['qixi', true],
    ['halloween', false],
    ['Mid-Autumn', false],
  ])('%s → %s', (code, ok) => {
    expect(festivalCodeSchema.safeParse(code).success).toBe(ok);
  });
});

describe('birthdayKeysOn', () => {
  it.each([
    ['2027-02-27', ['02-27']],
    ['2027-02-28', ['02-28', '02-29'], '28 Feb of a common year also greets 29 Feb birthdays'],
    ['2027-03-01', ['03-01']],
    ['2028-02-28', ['02-28'], '28 Feb of a leap year'],
    ['2028-02-29', ['02-29'], '29 Feb of a leap year'],
    ['2028-03-01', ['03-01']],
    ['2100-02-28', ['02-28', '02-29'], '2100 is not a leap year'],
    ['2027-12-31', ['12-31']],
  ])('%s → %j', (date, keys, _why?: string) => {
    expect(birthdayKeysOn(date)).toEqual(keys);
  });

  it('greets a 29 Feb birthday exactly once every year 2026–2030', () => {
    for (let year = 2026; year <= 2030; year++) {
      let greetings = 0;
      for (let date = `${year}-01-01`; date <= `${year}-12-31`; date = addDays(date, 1)) {
        if (birthdayKeysOn(date).includes('02-29')) greetings++;
      }
      expect(greetings, String(year)).toBe(1);
    }
  });
});

describe('anniversaryOn', () => {
  it.each([
    ['2025-06-15', '2026-06-15', 1, 'the 1st anniversary'],
    ['2020-06-15', '2030-06-15', 10, 'the 10th anniversary'],
    ['2025-06-15', '2026-06-14', undefined, 'the day before'],
    ['2025-06-15', '2026-06-16', undefined, 'the day after'],
    ['2026-06-15', '2026-06-15', undefined, 'the day of joining'],
    ['2027-06-15', '2026-06-15', undefined, 'a day before joining'],
    ['2024-02-29', '2027-02-28', 3, '29 Feb joiner, 28 Feb of a common year'],
    ['2024-02-29', '2027-03-01', undefined, '29 Feb joiner, 1 Mar of a common year'],
    ['2024-02-29', '2028-02-28', undefined, '29 Feb joiner, 28 Feb of a leap year'],
    ['2024-02-29', '2028-02-29', 4, '29 Feb joiner, 29 Feb of a leap year'],
    ['2023-02-28', '2028-02-28', 5, '28 Feb joiner, 28 Feb of a leap year'],
  ])('joined %s, on %s: %s (%s)', (joinedOn, date, years, _case) => {
    expect(anniversaryOn(joinedOn, date)).toBe(years);
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => anniversaryOn('2024-02-29T00:00:00Z', '2027-02-28')).toThrow(RangeError);
  });
});

describe('specialDaySchema', () => {
  const day = { code: 'store-opening', name: '店庆', date: '05-20' };

  it.each(['05-20', '02-29', '2027-05-20', '2028-02-29'])('accepts date %s', (date) => {
    expect(specialDaySchema.parse({ ...day, date })).toEqual({ ...day, date });
  });

  const dateMessage = 'special day date: a real date, MM-DD for every year or YYYY-MM-DD for once';
  it.each([
    ['date 02-30', { ...day, date: '02-30' }, dateMessage],
    ['date 13-01', { ...day, date: '13-01' }, dateMessage],
    ['date 2027-02-29', { ...day, date: '2027-02-29' }, dateMessage],
    ['date 5-20', { ...day, date: '5-20' }, dateMessage],
    ['date 2027/05/20', { ...day, date: '2027/05/20' }, dateMessage],
    [
      'an uppercase code',
      { ...day, code: 'Opening' },
      'special day codes: 1–30 lowercase letters, digits or -',
    ],
    [
      'a 31-character code',
      { ...day, code: 'a'.repeat(31) },
      'special day codes: 1–30 lowercase letters, digits or -',
    ],
    ['a blank name', { ...day, name: ' ' }, 'every special day needs a name'],
  ])('rejects %s', (_, input, message) => {
    const result = specialDaySchema.safeParse(input);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([message]);
  });

  it('accepts a 30-character code and a 40-character name, not a 41-character one', () => {
    expect(specialDaySchema.safeParse({ ...day, code: 'a'.repeat(30), name: '店'.repeat(40) }).success).toBe(
      true,
    );
    expect(specialDaySchema.safeParse({ ...day, name: '店'.repeat(41) }).success).toBe(false);
  });
});

describe('specialDaysOn', () => {
  const days: SpecialDay[] = [
    { code: 'store-opening', name: '店庆', date: '05-20' },
    { code: 'leap-sale', name: '闰日特惠', date: '02-29' },
    { code: 'grand-reopening', name: '重装开业', date: '2027-05-20' },
  ];
  const codesOnDay = (date: string) => specialDaysOn(days, date).map((day) => day.code);

  it.each([
    ['2026-05-20', ['store-opening']],
    ['2027-05-20', ['store-opening', 'grand-reopening']],
    ['2028-05-20', ['store-opening']],
    ['2027-02-28', ['leap-sale'], 'a yearly 02-29 on 28 Feb of a common year'],
    ['2028-02-28', []],
    ['2028-02-29', ['leap-sale']],
    ['2027-05-21', []],
  ])('%s: %j', (date, codes, _why?: string) => {
    expect(codesOnDay(date)).toEqual(codes);
  });
});
