/**
 * A group of EventBridge Scheduler schedules created at run time, each invoking the group's `target`
 * through a role only Scheduler may assume, for this group only. Functions that create or delete them
 * declare it in `schedules` and get the group, the role and the target in these variables.
 */
export interface ScheduleGroupDefinition {
  group: string;
  /** The function every schedule of the group invokes; its trigger is `{ kind: 'scheduler', group }`. */
  target: string;
  groupEnvVar: string;
  roleEnvVar: string;
  targetEnvVar: string;
}

/** Merchant reminders: one schedule per reminder, and one per send held back to the send window. */
export const reminderSchedules = {
  group: 'mcrm-reminders',
  target: 'scheduled-reminders',
  groupEnvVar: 'REMINDER_SCHEDULE_GROUP',
  roleEnvVar: 'REMINDER_SCHEDULER_ROLE_ARN',
  targetEnvVar: 'REMINDER_TARGET_ARN',
} as const satisfies ScheduleGroupDefinition;

/**
 * Campaigns: one schedule per scheduled campaign (one-off or recurring), and one-offs continuing a
 * fan-out run later (out of Lambda time, outside marketing hours, resumed after a pause).
 */
export const campaignSchedules = {
  group: 'mcrm-campaigns',
  target: 'campaign-fanout',
  groupEnvVar: 'CAMPAIGN_SCHEDULE_GROUP',
  roleEnvVar: 'CAMPAIGN_SCHEDULER_ROLE_ARN',
  targetEnvVar: 'CAMPAIGN_TARGET_ARN',
} as const satisfies ScheduleGroupDefinition;

export const scheduleGroups = { reminders: reminderSchedules, campaigns: campaignSchedules } as const;

export type ScheduleGroupKey = keyof typeof scheduleGroups;

/** What a function may do with a group's schedules: Scheduler's CreateSchedule and DeleteSchedule. */
export type ScheduleAction = 'create' | 'delete';
