/** When a campaign's schedule fires: once at an instant, or on a cron expression in a time zone. */
export type CampaignTiming = { merchantId: string; campaignId: string } & (
  | { at: Date }
  | { cron: { expression: string; timeZone: string } }
);

/** One more invocation of a run that stopped before its audience's end, at an instant to come. */
export interface RunContinuation {
  merchantId: string;
  campaignId: string;
  runId: string;
  at: Date;
}

/**
 * The port the merchant API and `campaign-fanout` schedule campaigns through: EventBridge Scheduler's
 * API in AWS, the local runtime's emulation of it locally.
 */
export interface CampaignScheduler {
  /** Creates the campaign's schedule; creating it again changes nothing. */
  schedule(timing: CampaignTiming): Promise<void>;
  /** Deletes the campaign's schedule; a schedule already gone is no error. */
  cancel(merchantId: string, campaignId: string): Promise<void>;
  /** Continuing the same run at the same minute again changes nothing. */
  continueRun(continuation: RunContinuation): Promise<void>;
}
