/** Date arithmetic on YYYY-MM-DD calendar dates, at midnight UTC where days are all 24 hours. */
const dayMs = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday: the calendar's weeks start on Monday, as in China. */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The stretch the calendar shows, in days: one dry run covers at most 30. */
export const calendarLength = 30;
