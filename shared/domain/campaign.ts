import { createHash } from 'node:crypto';

/**
 * A campaign's life: `draft` (editable, sends nothing) → `scheduled` (its schedule exists) →
 * `running` (a fan-out run is queueing texts) → `completed`, or back to `scheduled` after each run of a
 * recurring campaign. A scheduled or running campaign may be `paused` and resumed; anything not yet
 * completed may be `cancelled`. Completed and cancelled are final.
 */
export const campaignStatuses = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** What the merchant asks of a campaign through the API. */
export type CampaignAction = 'schedule' | 'pause' | 'resume' | 'cancel';

/** The part of a campaign its transitions depend on. */
export interface CampaignState {
  status: CampaignStatus;
  /** The run a fan-out has started and not finished: a paused campaign with one resumes running it. */
  currentRun?: string;
  /** `recurring` campaigns run again; the others (`now`, `at`) once. */
  schedule: { kind: string };
}

export type Transition = { ok: true; to: CampaignStatus } | { ok: false; reason: string };

const refuse = (reason: string): Transition => ({ ok: false, reason });
const final = (status: CampaignStatus) =>
  status === 'completed' ? 'the campaign has completed' : 'the campaign was cancelled';

/** Where an action takes a campaign, or why it cannot, in words the merchant can act on. */
export function campaignTransition(campaign: CampaignState, action: CampaignAction): Transition {
  const { status } = campaign;
  switch (action) {
    case 'schedule':
      if (status === 'draft') return { ok: true, to: 'scheduled' };
      if (status === 'completed' || status === 'cancelled') return refuse(final(status));
      return refuse(`the campaign is already ${status}; only a draft can be scheduled`);
    case 'pause':
      if (status === 'scheduled' || status === 'running') return { ok: true, to: 'paused' };
      if (status === 'draft') return refuse('a draft sends nothing; there is nothing to pause');
      if (status === 'paused') return refuse('the campaign is already paused');
      return refuse(final(status));
    case 'resume':
      if (status === 'paused') return { ok: true, to: campaign.currentRun ? 'running' : 'scheduled' };
      if (status === 'completed' || status === 'cancelled') return refuse(final(status));
      return refuse(`the campaign is ${status}; only a paused campaign can be resumed`);
    case 'cancel':
      if (status === 'completed' || status === 'cancelled') return refuse(final(status));
      return { ok: true, to: 'cancelled' };
  }
}

/**
 * Why the campaign's definition can no longer be changed, or undefined while it can: a draft, or a
 * scheduled campaign none of whose runs has started (a recurring campaign that has run once is
 * measured against its holdout; a change would measure something else).
 */
export function editRefusal(campaign: CampaignState & { lastRun?: string }): string | undefined {
  const { status } = campaign;
  if (status === 'draft') return undefined;
  if (status === 'scheduled' && !campaign.currentRun && !campaign.lastRun) return undefined;
  if (status === 'completed' || status === 'cancelled') return final(status);
  return `the campaign is ${status} and has started sending; only a draft or a scheduled campaign that has not run yet can be changed — pause or cancel it instead`;
}

/**
 * Whether a fan-out may start (or continue) run `runId` now: the campaign is scheduled, or already
 * running that very run. One run at a time: a recurring firing while another run is unfinished waits
 * for nothing and is skipped, since the unfinished run is still reaching the same audience.
 */
export function runRefusal(campaign: CampaignState, runId: string): string | undefined {
  if (campaign.status === 'scheduled' && !campaign.currentRun) return undefined;
  if (campaign.status === 'running' && campaign.currentRun === runId) return undefined;
  if (campaign.status === 'running' || (campaign.status === 'scheduled' && campaign.currentRun)) {
    return `run ${campaign.currentRun} is not finished`;
  }
  return `the campaign is ${campaign.status}`;
}

/**
 * The campaign's status once run `currentRun` has reached its audience's end: a one-off is completed
 * (even if paused meanwhile: nothing is left to resume), a recurring campaign waits for its next firing,
 * paused if it was paused; a cancelled campaign stays cancelled.
 */
export function statusAfterRun(campaign: CampaignState): CampaignStatus {
  if (campaign.status === 'cancelled') return 'cancelled';
  if (campaign.schedule.kind !== 'recurring') return 'completed';
  return campaign.status === 'paused' ? 'paused' : 'scheduled';
}

/**
 * Whether a member is held out of the campaign (gets no text, to measure the campaign against):
 * a stable hash of campaign and member below the percentage. The same member is held out of every run
 * of a recurring campaign, and raising the percentage only adds members to the holdout.
 */
export function isHeldOut(campaignId: string, memberId: string, percent: number): boolean {
  if (percent <= 0) return false;
  const hash = createHash('sha256').update(`${campaignId}#${memberId}`).digest().readUInt32BE(0);
  return (hash / 2 ** 32) * 100 < percent;
}

/**
 * A run is named by the instant its schedule fired (Scheduler's `scheduled-time`), as an ISO string
 * with milliseconds, so the firing, its retries and its continuations all name the same run.
 */
export const runIdOf = (scheduledTime: string) => new Date(scheduledTime).toISOString();

/**
 * The send-once id of a member's text in one run: a page queued twice (a crash before its checkpoint,
 * a duplicate invocation) queues the same ids, and send-sms sends each once.
 */
export const campaignMessageId = (campaignId: string, runId: string, memberId: string) =>
  `campaign#${campaignId}#${runId}#${memberId}`;

/** Scheduler needs an instant still to come: a one-off is never asked to fire sooner than this. */
export const scheduleLeadMs = 60_000;

/**
 * When a one-off wanted at `wanted` (as soon as possible when absent) can fire: not sooner than the
 * lead from `now`, in whole seconds, since Scheduler's `at()` counts no fractions.
 */
export function oneOffAt(now: Date, wanted?: Date): Date {
  const soonest = Math.max(wanted?.getTime() ?? 0, now.getTime() + scheduleLeadMs);
  return new Date(Math.ceil(soonest / 1000) * 1000);
}
