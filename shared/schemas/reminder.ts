import * as z from 'zod';
import { templateSchema } from '../domain/templates';
import { lazySchema } from '../lazy-schema';
import { cronInputSchema, cronSchema } from './cron';
import { merchantIdSchema } from './merchant';

/**
 * A text the merchant schedules for one member (an appointment reminder) or for staff phones, once
 * (`at`) or recurring (`cron`). EventBridge Scheduler carries the schedule; the Care table keeps the
 * reminder, its status and the last occurrence sent.
 */

/** A ULID, so a merchant's reminders sort by creation time. */
export const reminderIdSchema = lazySchema(() =>
  z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'reminder id: 26 characters, as POST /v1/reminders gave it'),
);

export const maxStaffPhones = 20;

/** Variables a staff reminder may use: staff are not members, so there are no points or tier to show. */
export const staffTemplateVariables = ['merchant', 'date'] as const;

/** A recurring schedule as stored. */
export const reminderCronSchema = lazySchema(() => cronSchema);

/** `POST /v1/reminders`. Phones are read in the merchant's country by the route, so they are strings here. */
export const reminderBodySchema = lazySchema(() =>
  z
    .strictObject({
      /**
       * Your own id for the new reminder (a ULID you make, e.g. when the form opens): a repeat of the
       * request schedules nothing more and answers the reminder (200); the id of another reminder is
       * refused (409).
       */
      reminderId: reminderIdSchema.optional(),
      /** `{ phone }`: one member; `{ staff: [phones] }`: staff, who need not be members. */
      to: z
        .strictObject({
          phone: z.string().min(1).max(32).optional(),
          staff: z
            .array(z.string().min(1).max(32))
            .min(1, 'staff: at least one phone')
            .max(maxStaffPhones, `staff: at most ${maxStaffPhones} phones`)
            .optional(),
        })
        .refine((to) => (to.phone === undefined) !== (to.staff === undefined), {
          message: 'give either `phone` (a member) or `staff` (staff phones)',
        }),
      template: templateSchema,
      /** Once, at this instant: an ISO date-time with its offset, e.g. 2027-03-01T09:30:00+08:00. */
      at: z.iso.datetime({ offset: true }).optional(),
      /** Recurring: an EventBridge Scheduler cron expression, read in `timeZone` (the merchant's by default). */
      cron: cronInputSchema.optional(),
    })
    .superRefine((body, ctx) => {
      if ((body.at === undefined) === (body.cron === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['at'],
          message:
            body.at === undefined
              ? 'give `at` for a one-off reminder or `cron` for a recurring one'
              : 'give `at` or `cron`, not both',
        });
      }
      if (body.to.staff) {
        const used = [...body.template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] as string);
        const memberOnly = used.filter(
          (name) => !(staffTemplateVariables as readonly string[]).includes(name),
        );
        if (memberOnly.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['template'],
            message: `a staff reminder may use only {{${staffTemplateVariables.join('}}, {{')}}}, not {{${memberOnly.join('}}, {{')}}}`,
          });
        }
      }
    }),
);
export type ReminderBody = z.infer<typeof reminderBodySchema>;

export const reminderStatusSchema = lazySchema(() => z.enum(['scheduled', 'sent', 'cancelled']));

const storedReminder = lazySchema(() =>
  z.object({
    merchantId: merchantIdSchema,
    reminderId: reminderIdSchema,
    /** A member's phone, or staff phones, in E.164. */
    to: z.union([z.object({ phone: z.string() }), z.object({ staff: z.array(z.string()) })]),
    template: z.string(),
    /** `scheduled` until cancelled; a one-off becomes `sent` once its text is queued. */
    status: reminderStatusSchema,
    createdAt: z.iso.datetime(),
    cancelledAt: z.iso.datetime().optional(),
    sentAt: z.iso.datetime().optional(),
    /** The occurrence (its scheduled instant) whose text was queued last. */
    lastOccurrence: z.iso.datetime().optional(),
  }),
);

/** Once (`at`, an instant in UTC) or recurring (`cron`). */
const timed = <Shape extends z.ZodRawShape>(fields: z.ZodObject<Shape>) =>
  z.union([fields.extend({ at: z.iso.datetime() }), fields.extend({ cron: reminderCronSchema })]);

export const reminderSchema = timed(storedReminder);
export type Reminder = z.infer<typeof reminderSchema>;

/** A reminder as the merchant sees it: no tenant id, and when it fires next while it is scheduled. */
export const reminderViewSchema = timed(
  storedReminder.omit({ merchantId: true }).extend({ nextAt: z.iso.datetime().optional() }),
);
export type ReminderView = z.infer<typeof reminderViewSchema>;

/**
 * What EventBridge Scheduler passes the `scheduled-reminders` function: the reminder, the instant this
 * invocation was due (`<aws.scheduler.scheduled-time>`, filled in by Scheduler), and, for a text the
 * send window held back, the occurrence it belongs to.
 */
export const reminderInvocationSchema = lazySchema(() =>
  z.object({
    merchantId: merchantIdSchema,
    reminderId: reminderIdSchema,
    scheduledTime: z.iso.datetime().optional(),
    occurrence: z.iso.datetime().optional(),
  }),
);
export type ReminderInvocation = z.infer<typeof reminderInvocationSchema>;
