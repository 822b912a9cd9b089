import { describe, expect, it } from 'vitest';
import { cronFields, nextRuns, parseAwsCron, recurrenceProblem } from '../../../shared/domain/aws-cron';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const from = new Date('2027-01-01T00:00:00Z'); // a Friday

describe('AWS cron expressions', () => {
  it.each([
    '0 10 ? * MON-FRI *',
    '0/15 9-17 ? * 2-6 *',
    '30 8 1 * ? *',
    '0 10 L * ? *',
    '0 10 15W * ? 2027',
    '0 10 ? * 6#3 *',
    '0 10 ? * 6L *',
    'cron(0 10 * * ? *)',
  ])('accepts %s', (expression) => {
    expect(parseAwsCron(expression)).toMatchObject({ ok: true });
  });

  it.each([
    ['0 10 * * *', /5 fields/],
    ['0 10 * * ? * *', /7 fields/],
    ['0 10 * * * *', /exactly one/],
    ['0 10 ? * ? *', /exactly one/],
    ['? 10 * * ? *', /only in day-of-month or day-of-week/],
    ['0 10 ? * 0 *', /1 \(SUN\) to 7 \(SAT\)/],
    ['0 10 ? * 8 *', /1 \(SUN\) to 7 \(SAT\)/],
    ['0 25 * * ? *', /hour/],
    ['0 10 ? * +MON *', /day-of-week: \+MON is not allowed/],
    ['0 10 $ * ? *', /day-of-month: \$ is not allowed/],
  ])('refuses %s', (expression, reason) => {
    const parsed = parseAwsCron(expression);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('reads the fields out of cron(…) and closes up spaces', () => {
    expect(cronFields(' cron(0  10 ? * MON *) ')).toBe('0 10 ? * MON *');
    expect(cronFields('0 10 ? *  MON *')).toBe('0 10 ? * MON *');
  });

  it('numbers weekdays as AWS does: 1 is Sunday, 2 is Monday', () => {
    expect(iso(nextRuns('0 10 ? * 2 *', 'UTC', from, 2))).toEqual([
      '2027-01-04T10:00:00.000Z',
      '2027-01-11T10:00:00.000Z',
    ]);
    expect(iso(nextRuns('0 10 ? * 1 *', 'UTC', from, 1))).toEqual(['2027-01-03T10:00:00.000Z']);
  });

  it('steps from a start value (0/15) and fires in the given time zone', () => {
    expect(iso(nextRuns('0/15 * * * ? *', 'UTC', from, 2))).toEqual([
      '2027-01-01T00:15:00.000Z',
      '2027-01-01T00:30:00.000Z',
    ]);
    expect(iso(nextRuns('0 10 * * ? *', 'Asia/Shanghai', from, 1))).toEqual(['2027-01-01T02:00:00.000Z']);
    // New York's clocks go forward on 14 March 2027: 10:00 is 15:00 UTC before and 14:00 after.
    expect(iso(nextRuns('0 10 ? * SUN *', 'America/New_York', new Date('2027-03-06T00:00:00Z'), 2))).toEqual([
      '2027-03-07T15:00:00.000Z',
      '2027-03-14T14:00:00.000Z',
    ]);
  });
});

describe('recurrenceProblem', () => {
  it('accepts a reminder at most once an hour', () => {
    expect(recurrenceProblem('0 * * * ? *', 'UTC', from)).toBeUndefined();
    expect(recurrenceProblem('0 9,18 ? * MON-FRI *', 'Asia/Shanghai', from)).toBeUndefined();
  });

  it('refuses one that repeats within the hour', () => {
    expect(recurrenceProblem('0/15 * * * ? *', 'UTC', from)).toMatch(/within 15 minutes/);
    expect(recurrenceProblem('0,30 10 * * ? *', 'UTC', from)).toMatch(/within 30 minutes/);
  });

  it('refuses one that never fires again', () => {
    expect(recurrenceProblem('0 10 1 1 ? 2026', 'UTC', from)).toBe('the expression never fires after now');
  });
});
