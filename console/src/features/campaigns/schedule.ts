import dayjs from 'dayjs';
import type { Translate } from '../../lib/i18n';
import type { Campaign } from './api/campaigns';

/** When a campaign sends, in words: now, at an instant, or on its cron (read in its time zone). */
export function scheduleText(t: Translate, schedule: Campaign['schedule']): string {
  if (schedule.kind === 'now') return t('campaigns.schedule.now');
  if (schedule.kind === 'at') return dayjs(schedule.at).format('YYYY-MM-DD HH:mm');
  return t('campaigns.schedule.recurring', { cron: schedule.cron.expression, zone: schedule.cron.timeZone });
}
