import type zh from '../zh-CN/reminders';

/** Reminders: texts at a set time to a member or to staff. */
export default {
  'reminders.about':
    'A text at a time you set, to one member (an appointment reminder, say) or to staff phones: once, or repeating.',
  'reminders.loadFailed': 'Could not read the reminders',
  'reminders.none': 'No reminders yet',
  'reminders.new': 'New reminder',
  'reminders.to': 'To',
  'reminders.member': 'A member',
  'reminders.staff': 'Staff',
  'reminders.memberPhone': "Member's phone",
  'reminders.phoneRequired': "Give the member's phone",
  'reminders.staffPhones': 'Staff phones',
  'reminders.staffHint': 'Type a number and press Enter; up to 20.',
  'reminders.staffRequired': 'Give at least one staff phone',
  'reminders.template': 'Text',
  'reminders.templateRequired': 'Write the text',
  'reminders.staffTemplateHint': 'A reminder to staff may use only {{merchant}} and {{date}}.',
  'reminders.when': 'When',
  'reminders.once': 'Once',
  'reminders.recurring': 'Repeating',
  'reminders.nextAt': 'Next',
  'reminders.status': 'Status',
  'reminders.status.scheduled': 'scheduled',
  'reminders.status.sent': 'sent',
  'reminders.status.cancelled': 'cancelled',
  'reminders.create': 'Create reminder',
  'reminders.createFailed': 'The reminder was not created',
  'reminders.cancel': 'Cancel reminder',
  'reminders.cancelConfirm': 'It will not be sent again. Cancel it?',
  'reminders.cancelFailed': 'The reminder was not cancelled',
} satisfies Record<keyof typeof zh, string>;
