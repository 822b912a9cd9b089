import { defaultSendWindow, windowDecision } from '../../shared/domain/send-window';
import { memberTemplateValues, renderTemplate } from '../../shared/domain/templates';
import { dateIn } from '../../shared/domain/time';
import type { OutboundQueue } from '../../shared/queue/outbound-queue';
import type { ReminderScheduler } from '../../shared/scheduler/reminder-scheduler';
import type { Reminder, ReminderInvocation } from '../../shared/schemas/reminder';
import type { OutboundSms } from '../../shared/schemas/sms';
import type { CareStore } from '../../shared/store/care';
import type { DirectoryStore } from '../../shared/store/directory';
import type { MembersStore } from '../../shared/store/members';
import type { RemindersStore } from '../../shared/store/reminders';

export interface ReminderDeps {
  reminders: Pick<RemindersStore, 'get' | 'recordOccurrence'>;
  directory: Pick<DirectoryStore, 'merchant'>;
  members: Pick<MembersStore, 'contact'>;
  care: Pick<CareStore, 'settings'>;
  outbound: Pick<OutboundQueue, 'enqueueMany'>;
  clock: () => Date;
}

export type ReminderOutcome =
  | { outcome: 'sent'; texts: number }
  | { outcome: 'deferred'; until: string }
  | { outcome: 'skipped'; reason: string };

/** A deferred send is never scheduled sooner than this from now: Scheduler needs an instant to come. */
const deferralLeadMs = 60_000;

/**
 * The send-once id of an occurrence's text to one phone: a schedule that fires twice, a retried
 * invocation or a deferred send of the same occurrence all queue the same id, and send-sms sends it once.
 */
export const reminderMessageId = (reminderId: string, occurrence: string, phone: string) =>
  `reminder:${reminderId}:${occurrence}:${phone}`;

/**
 * One invocation of a reminder's schedule. The instant it was due (`scheduledTime`) is "now" for the
 * send window, as a scheduled event's time is for the care job. A member's reminder outside the
 * merchant's send window is deferred to the window's opening, not dropped; a staff reminder goes at
 * the time the merchant chose, whatever the hour: staff asked for it.
 */
export async function sendReminder(
  invocation: ReminderInvocation,
  scheduler: Pick<ReminderScheduler, 'defer'>,
  deps: ReminderDeps,
): Promise<ReminderOutcome> {
  const { merchantId, reminderId } = invocation;
  const now = invocation.scheduledTime ? new Date(invocation.scheduledTime) : startOfMinute(deps.clock());
  const occurrence = new Date(invocation.occurrence ?? now).toISOString();
  const reminder = await deps.reminders.get(merchantId, reminderId);
  if (!reminder) return { outcome: 'skipped', reason: 'no such reminder' };
  if (reminder.status !== 'scheduled') return { outcome: 'skipped', reason: reminder.status };
  const merchant = await deps.directory.merchant(merchantId);
  if (!merchant) return { outcome: 'skipped', reason: 'no such merchant' };
  const date = dateIn('cron' in reminder ? reminder.cron.timeZone : merchant.timeZone, new Date(occurrence));

  let texts: OutboundSms[];
  if ('staff' in reminder.to) {
    const body = renderTemplate(reminder.template, { merchant: merchant.name, date });
    texts = reminder.to.staff.map((phone) => text(reminder, occurrence, phone, body));
  } else {
    const { member } = await deps.members.contact(merchantId, reminder.to.phone);
    if (!member || member.deletedAt) return { outcome: 'skipped', reason: 'no longer a member' };
    const settings = await deps.care.settings(merchantId);
    const decision = windowDecision(now, merchant.timeZone, settings?.sendWindow ?? defaultSendWindow);
    if (!decision.send) {
      const soonest = deps.clock().getTime() + deferralLeadMs;
      const at = new Date(Math.max(Date.parse(decision.notBefore), soonest));
      await scheduler.defer({ merchantId, reminderId, occurrence, at });
      return { outcome: 'deferred', until: at.toISOString() };
    }
    const body = renderTemplate(reminder.template, memberTemplateValues(member, merchant, date));
    // An appointment reminder is a service text: it reaches a member who opted out of marketing,
    // unless the merchant chose (`serviceToOptedOut: false`) not to send service texts to them.
    texts = [
      {
        ...text(reminder, occurrence, member.phone, body),
        ...(settings?.serviceToOptedOut === false ? { respectOptOut: true } : {}),
      },
    ];
  }
  await deps.outbound.enqueueMany(texts);
  await deps.reminders.recordOccurrence(merchantId, reminderId, occurrence, 'at' in reminder, deps.clock());
  return { outcome: 'sent', texts: texts.length };
}

function text(reminder: Reminder, occurrence: string, phone: string, body: string): OutboundSms {
  return {
    messageId: reminderMessageId(reminder.reminderId, occurrence, phone),
    merchantId: reminder.merchantId,
    to: phone,
    body,
    category: 'service',
  };
}

const startOfMinute = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000);
