import type { Reminder } from '../schemas/reminder';

/** When a reminder fires: once at an instant, or on a cron expression in a time zone. */
export type ReminderTiming = Pick<Reminder, 'merchantId' | 'reminderId'> &
  ({ at: string } | { cron: { expression: string; timeZone: string } });

/** One more invocation for an occurrence the send window held back, at the instant the window opens. */
export interface ReminderDeferral {
  merchantId: string;
  reminderId: string;
  /** The occurrence's scheduled instant: its text keeps the send-once id it would have had. */
  occurrence: string;
  at: Date;
}

/**
 * The port the merchant API and the `scheduled-reminders` function schedule through. In AWS and
 * locally alike it is EventBridge Scheduler's API (locally, the local runtime's emulation of it).
 */
export interface ReminderScheduler {
  /** Creates the reminder's schedule; creating it again changes nothing. */
  schedule(reminder: ReminderTiming): Promise<void>;
  /** Deletes the reminder's schedule; a schedule already gone is no error. */
  cancel(merchantId: string, reminderId: string): Promise<void>;
  /** Deferring the same occurrence, or another one to the same opening, again changes nothing. */
  defer(deferral: ReminderDeferral): Promise<void>;
}

/** The scheduler refused the schedule (Scheduler's ValidationException): the reason is the merchant's to fix. */
export class ScheduleRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ScheduleRefusedError';
  }
}
