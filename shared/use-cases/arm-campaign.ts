import { oneOffAt } from '../domain/campaign';
import type { CampaignScheduler } from '../scheduler/campaign-scheduler';
import type { Campaign, CampaignInvocation } from '../schemas/campaign';

/**
 * Creates what a scheduled or running campaign needs to go on: its own schedule (a cron, or a one-off
 * that has not fired into a run yet), and a continuation of the run it has not finished. Used when it
 * is scheduled, when it is resumed, and by a scheduler that lost its schedules.
 *
 * Answers the invocations due as soon as possible (a one-off for now, or whose instant is within
 * Scheduler's lead; a continuation): the caller may start them at once, as the schedules would a
 * minute later, since both name the same run.
 */
export async function armCampaign(
  scheduler: Pick<CampaignScheduler, 'schedule' | 'continueRun'>,
  campaign: Campaign,
  now: Date,
): Promise<CampaignInvocation[]> {
  const { merchantId, campaignId, schedule, currentRun } = campaign;
  const dueNow: CampaignInvocation[] = [];
  if (schedule.kind === 'recurring') {
    await scheduler.schedule({
      merchantId,
      campaignId,
      cron: schedule.cron,
    });
  } else if (!currentRun && !campaign.lastRun) {
    const soonest = oneOffAt(now);
    const at = oneOffAt(now, schedule.kind === 'at' ? new Date(schedule.at) : undefined);
    await scheduler.schedule({ merchantId, campaignId, at });
    if (at.getTime() === soonest.getTime()) {
      dueNow.push({ merchantId, campaignId, scheduledTime: at.toISOString() });
    }
  }
  if (currentRun) {
    const at = oneOffAt(now);
    await scheduler.continueRun({ merchantId, campaignId, runId: currentRun, at });
    dueNow.push({ merchantId, campaignId, scheduledTime: at.toISOString(), runId: currentRun });
  }
  return dueNow;
}
