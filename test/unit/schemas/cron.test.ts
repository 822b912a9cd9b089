import { describe, expect, it } from 'vitest';
import { campaignBodySchema } from '../../../shared/schemas/campaign';
import { reminderBodySchema } from '../../../shared/schemas/reminder';

/** Campaigns and reminders take a recurring schedule in one shape: `{ expression, timeZone? }`. */
const campaignWith = (cron: unknown) =>
  campaignBodySchema.safeParse({
    name: '周五上新',
    templateId: 'friday',
    audience: { audienceId: 'all' },
    schedule: { kind: 'recurring', cron },
  });
const reminderWith = (cron: unknown) =>
  reminderBodySchema.safeParse({ to: { staff: ['13800138000'] }, template: '盘点', cron });

describe('a recurring schedule', () => {
  it.each([{ expression: '0 10 ? * FRI *' }, { expression: '0 10 ? * FRI *', timeZone: 'Asia/Shanghai' }])(
    'is taken in the same shape by campaigns and reminders: %j',
    (cron) => {
      const campaign = campaignWith(cron);
      const reminder = reminderWith(cron);
      expect(campaign.success && campaign.data.schedule).toEqual({ kind: 'recurring', cron });
      expect(reminder.success && reminder.data.cron).toEqual(cron);
    },
  );

  it.each([
    ['a bare expression', '0 10 ? * FRI *'],
    ['five fields', { expression: '0 10 * * FRI' }],
    ['an unknown time zone', { expression: '0 10 ? * FRI *', timeZone: 'Mars/Olympus' }],
  ])('is refused alike by both when it is %s', (_what, cron) => {
    expect(campaignWith(cron).success).toBe(false);
    expect(reminderWith(cron).success).toBe(false);
  });
});
