import { oneOffAt } from '../domain/campaign';
import type { CampaignScheduler } from '../scheduler/campaign-scheduler';
import type { Campaign } from '../schemas/campaign';

/**
 * Creates what a scheduled or running campaign needs to go on: its own schedule (a cron, or a one-off
 * that has not fired into a run yet), and a continuation of the run it has not finished. Used when it
 * is scheduled, when it is resumed, and by a scheduler that lost its schedules.
 */
export async function armCampaign(
  scheduler: Pick<CampaignScheduler, 'schedule' | 'continueRun'>,
  campaign: Campaign,
  now: Date,
): Promise<void> {
  const { merchantId, campaignId, schedule, currentRun } = campaign;
  if (schedule.kind === 'recurring') {
    await scheduler.schedule({
      merchantId,
      campaignId,
      cron: schedule.cron,
    });
  } else if (!currentRun && !campaign.lastRun) {
    const at = oneOffAt(now, schedule.kind === 'at' ? new Date(schedule.at) : undefined);
    await scheduler.schedule({ merchantId, campaignId, at });
  }
  if (currentRun)
    await scheduler.continueRun({ merchantId, campaignId, runId: currentRun, at: oneOffAt(now) });
}
