import { isDeepStrictEqual } from 'node:util';
import { ulid } from 'ulidx';
import * as z from 'zod';
import { nextRuns, recurrenceProblem } from '../../shared/domain/aws-cron';
import { toMobileE164 } from '../../shared/domain/phone';
import { type ReminderScheduler, ScheduleRefusedError } from '../../shared/scheduler/reminder-scheduler';
import type { Cron } from '../../shared/schemas/cron';
import type { Merchant } from '../../shared/schemas/merchant';
import {
  type Reminder,
  type ReminderBody,
  type ReminderView,
  reminderBodySchema,
  reminderIdSchema,
  reminderViewSchema,
} from '../../shared/schemas/reminder';
import type { MembersStore } from '../../shared/store/members';
import type { RemindersStore } from '../../shared/store/reminders';
import { isConditionFailure } from '../../shared/store/transactions';
import { HttpError, json, pageQuery, parseBody, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';

/**
 * Reminders the merchant schedules: a text to one member (an appointment) or to staff phones, once or
 * recurring. Each is a schedule in EventBridge Scheduler that invokes `scheduled-reminders`.
 */

export interface ReminderRoutesDeps {
  reminders: RemindersStore;
  scheduler: ReminderScheduler;
  members: Pick<MembersStore, 'contact'>;
  clock: () => Date;
}

const remindersQuerySchema = z.strictObject(pageQuery(reminderIdSchema, 20));

const reminderAnswerSchema = z.object({ reminder: reminderViewSchema });
const remindersPageSchema = z.object({
  reminders: z.array(reminderViewSchema),
  cursor: reminderIdSchema.optional(),
});

function viewOf({ merchantId: _tenant, ...reminder }: Reminder, now: Date): ReminderView {
  if (reminder.status !== 'scheduled') return reminder;
  const next =
    'at' in reminder ? reminder.at : nextRuns(reminder.cron.expression, reminder.cron.timeZone, now, 1)[0];
  return { ...reminder, ...(next ? { nextAt: new Date(next).toISOString() } : {}) };
}

const invalid = (path: string, message: string) =>
  new HttpError(400, 'invalid_body', `${path}: ${message}`, [{ path, message }]);

/** Phones read in the merchant's country, as E.164; staff phones once each. */
function recipientsOf(to: ReminderBody['to'], merchant: Merchant): Reminder['to'] {
  const read = (raw: string, path: string) => {
    const phone = toMobileE164(raw, merchant.defaultCountry);
    if (!phone.ok) throw invalid(path, phone.reason);
    return phone.phone;
  };
  if (to.phone !== undefined) return { phone: read(to.phone, 'to.phone') };
  return { staff: [...new Set((to.staff ?? []).map((raw, i) => read(raw, `to.staff.${i}`)))] };
}

/** When the reminder goes, as stored: an instant in whole seconds, or a cron with its zone. */
function storedTiming(body: ReminderBody, merchant: Merchant): { at: string } | { cron: Cron } {
  // Scheduler's at() counts whole seconds, and names each occurrence by the instant it fires.
  if (body.at !== undefined)
    return { at: new Date(Math.floor(Date.parse(body.at) / 1000) * 1000).toISOString() };
  const { expression, timeZone = merchant.timeZone } = body.cron as NonNullable<ReminderBody['cron']>;
  return { cron: { expression, timeZone } };
}

function timingOf(body: ReminderBody, merchant: Merchant, now: Date) {
  const timing = storedTiming(body, merchant);
  if ('at' in timing && Date.parse(timing.at) <= now.getTime())
    throw invalid('at', `must be in the future; it is ${now.toISOString()} now`);
  const problem = 'cron' in timing && recurrenceProblem(timing.cron.expression, timing.cron.timeZone, now);
  if (problem) throw invalid('cron.expression', problem);
  return timing;
}

/** What a repeat of `POST /v1/reminders` must carry the same to be the same reminder. */
const createdFields = (reminder: Reminder) => ({
  to: reminder.to,
  template: reminder.template,
  at: 'at' in reminder ? reminder.at : undefined,
  cron: 'cron' in reminder ? reminder.cron : undefined,
});

/** A create under an id already saved: the same reminder is answered as it is now, another refused. */
function repeated(saved: Reminder, wanted: Reminder, now: Date): Response {
  if (!isDeepStrictEqual(createdFields(saved), createdFields(wanted))) {
    throw new HttpError(409, 'reminder_exists', `reminderId: ${saved.reminderId} is another reminder`);
  }
  return json(200, { reminder: viewOf(saved, now) } satisfies z.infer<typeof reminderAnswerSchema>);
}

/** `POST /v1/reminders`: stored, then scheduled; a schedule Scheduler refuses leaves no reminder behind. */
export async function createReminder(
  request: Request,
  merchant: Merchant,
  deps: ReminderRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, reminderBodySchema);
  const now = deps.clock();
  const to = recipientsOf(body.to, merchant);
  const wanted: Reminder = {
    merchantId: merchant.merchantId,
    reminderId: body.reminderId ?? ulid(now.getTime()),
    to,
    template: body.template,
    status: 'scheduled',
    createdAt: now.toISOString(),
    ...storedTiming(body, merchant),
  };
  const saved = body.reminderId && (await deps.reminders.get(merchant.merchantId, body.reminderId));
  if (saved) return repeated(saved, wanted, now);
  if ('phone' in to) {
    const { member } = await deps.members.contact(merchant.merchantId, to.phone);
    if (!member || member.deletedAt)
      throw new HttpError(404, 'member_not_found', `${to.phone} is not a member`);
  }
  const reminder: Reminder = { ...wanted, ...timingOf(body, merchant, now) };
  // The idempotency key is the reminder's id: a second request with it finds the first one's item.
  try {
    await deps.reminders.create(reminder);
  } catch (error) {
    const first =
      isConditionFailure(error) && (await deps.reminders.get(merchant.merchantId, reminder.reminderId));
    if (!first) throw error;
    return repeated(first, reminder, now);
  }
  try {
    await deps.scheduler.schedule(reminder);
  } catch (error) {
    await deps.reminders.remove(merchant.merchantId, reminder.reminderId);
    if (error instanceof ScheduleRefusedError) throw new HttpError(400, 'invalid_schedule', error.message);
    throw error;
  }
  return json(201, { reminder: viewOf(reminder, now) } satisfies z.infer<typeof reminderAnswerSchema>);
}

/** `GET /v1/reminders`: newest first, cancelled and sent ones included. */
export async function listReminders(
  request: Request,
  merchant: Merchant,
  deps: ReminderRoutesDeps,
): Promise<Response> {
  const page = await deps.reminders.list(merchant.merchantId, parseQuery(request, remindersQuerySchema));
  const now = deps.clock();
  return json(200, {
    reminders: page.reminders.map((reminder) => viewOf(reminder, now)),
    cursor: page.cursor,
  } satisfies z.infer<typeof remindersPageSchema>);
}

function reminderIdIn(request: Request): string | undefined {
  const reminderId = reminderIdSchema.safeParse(request.pathParameters?.reminderId);
  return reminderId.success ? reminderId.data : undefined;
}

const notFound = () => new HttpError(404, 'reminder_not_found', 'no reminder with this id');

/** `GET /v1/reminders/{reminderId}`; another merchant's reminder is not found. */
export async function getReminder(
  request: Request,
  merchant: Merchant,
  deps: ReminderRoutesDeps,
): Promise<Response> {
  const reminderId = reminderIdIn(request);
  const reminder = reminderId && (await deps.reminders.get(merchant.merchantId, reminderId));
  if (!reminder) throw notFound();
  return json(200, { reminder: viewOf(reminder, deps.clock()) } satisfies z.infer<
    typeof reminderAnswerSchema
  >);
}

/**
 * `DELETE /v1/reminders/{reminderId}`: cancelled, then its schedule deleted. Again answers the same,
 * and deletes the schedule again in case a first attempt failed after the cancellation was stored.
 */
export async function cancelReminder(
  request: Request,
  merchant: Merchant,
  deps: ReminderRoutesDeps,
): Promise<Response> {
  const reminderId = reminderIdIn(request);
  const now = deps.clock();
  const reminder = reminderId && (await deps.reminders.cancel(merchant.merchantId, reminderId, now));
  if (!reminder) throw notFound();
  if (reminder.status === 'sent') {
    throw new HttpError(
      409,
      'reminder_sent',
      `the reminder was sent at ${reminder.sentAt}; nothing is left to cancel`,
    );
  }
  await deps.scheduler.cancel(merchant.merchantId, reminder.reminderId);
  return json(200, { reminder: viewOf(reminder, now) } satisfies z.infer<typeof reminderAnswerSchema>);
}

export const reminderRouteDocs: RouteDocsFor<'/v1/reminders'> = {
  'POST /v1/reminders': {
    summary: 'Schedule a reminder',
    description:
      'A text at a time you choose, for one member (`to.phone`, e.g. an appointment reminder) or for up ' +
      'to 20 staff phones (`to.staff`): once (`at`, an ISO date-time with its offset, in the future) or ' +
      'recurring (`cron`: six fields, `minutes hours day-of-month month day-of-week year`, days of the ' +
      'week 1 = SUN to 7 = SAT, `?` in one of the two day fields, e.g. `0 10 ? * MON *`; read in ' +
      '`timeZone`, yours by default; at most once an hour). A member reminder is a service text and ' +
      'keeps to your send window: due outside it, it goes when the window next opens. A staff reminder ' +
      'goes at the time you set, and its template may use only {{merchant}} and {{date}}.',
    body: reminderBodySchema,
    responses: {
      201: { description: 'The reminder, scheduled', body: reminderAnswerSchema },
      200: {
        description: 'The reminder created before under the same `reminderId`, as it is now',
        body: reminderAnswerSchema,
      },
    },
    errors: {
      400: anyOf(
        invalidBody,
        'a phone is not a mobile number, `at` is past, the cron expression is malformed, never fires ' +
          'again or repeats within the hour, or EventBridge Scheduler refused the schedule (`invalid_schedule`)',
      ),
      404: 'The phone is not a member',
      409: 'The `reminderId` already names a reminder with other recipients, text or timing',
    },
  },
  'GET /v1/reminders': {
    summary: 'List reminders',
    description:
      'Your reminders, newest first, cancelled and sent ones included; a scheduled one says when it ' +
      'fires next (`nextAt`). Pass the `cursor` of a page to get the next one.',
    query: remindersQuerySchema,
    responses: { 200: { description: 'A page of reminders', body: remindersPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'GET /v1/reminders/{reminderId}': {
    summary: 'A reminder',
    description:
      '`scheduled` (with `nextAt`), `sent` (a one-off, once its text was queued) or `cancelled`; ' +
      '`lastOccurrence` is the scheduled time of the last text sent.',
    pathParameters: { reminderId: 'The id `POST /v1/reminders` answered with' },
    responses: { 200: { description: 'The reminder', body: reminderAnswerSchema } },
    errors: { 404: 'There is no reminder with the id' },
  },
  'DELETE /v1/reminders/{reminderId}': {
    summary: 'Cancel a reminder',
    description:
      'No more texts: the reminder is `cancelled` and its schedule deleted. Cancelling again answers as ' +
      'the first time.',
    pathParameters: { reminderId: 'The id `POST /v1/reminders` answered with' },
    responses: { 200: { description: 'The reminder, cancelled', body: reminderAnswerSchema } },
    errors: {
      404: 'There is no reminder with the id',
      409: 'A one-off reminder that was already sent',
    },
  },
};
