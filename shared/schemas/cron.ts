import * as z from 'zod';
import { cronFields, parseAwsCron } from '../domain/aws-cron';
import { isTimeZone } from '../domain/time';
import { lazySchema } from '../lazy-schema';

const cronExpressionSchema = z
  .string()
  .max(200)
  .transform(cronFields)
  .superRefine((fields, ctx) => {
    const parsed = parseAwsCron(fields);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
  });

const timeZoneSchema = lazySchema(() =>
  z.string().max(64).refine(isTimeZone, 'an IANA time zone such as Asia/Shanghai'),
);

/**
 * A recurring schedule as the merchant writes it, for campaigns and reminders alike: an EventBridge
 * Scheduler cron `expression` (six fields), read in `timeZone` (the merchant's when left out).
 */
export const cronInputSchema = lazySchema(() =>
  z.strictObject({
    expression: cronExpressionSchema,
    timeZone: timeZoneSchema.optional(),
  }),
);
export type CronInput = z.infer<typeof cronInputSchema>;

/** A recurring schedule as stored: the expression's six fields and the zone it is read in. */
export const cronSchema = lazySchema(() => z.strictObject({ expression: z.string(), timeZone: z.string() }));
export type Cron = z.infer<typeof cronSchema>;
