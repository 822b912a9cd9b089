import * as z from 'zod';
import { festivalCodeSchema, specialDaySchema } from '../domain/occasions';
import { defaultSendWindow, sendWindowSchema } from '../domain/send-window';
import { templateSchema } from '../domain/templates';
import { lazySchema } from '../lazy-schema';
import { benefitCodeSchema } from './benefit';
import { tagSchema } from './member';

/** Who a greeting goes to: every member, or those of some tiers and/or with some tags. */
export const audienceSchema = lazySchema(() =>
  z.strictObject({
    tiers: z.array(z.string().min(1).max(40)).min(1).optional(),
    tags: z.array(tagSchema).min(1).optional(),
  }),
);
export type Audience = z.infer<typeof audienceSchema>;

const reminder = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject({ enabled: z.boolean().default(true), template: templateSchema, ...shape });

/**
 * A merchant's care automations, set once by marketing staff and run every day by the care job.
 * Greetings are marketing texts (opted-out members are skipped); reminders about a member's own
 * points or package are service texts, sent to opted-out members only if `serviceToOptedOut`.
 */
export const careSettingsSchema = lazySchema(() =>
  z.strictObject({
    sendWindow: sendWindowSchema.default(defaultSendWindow),
    serviceToOptedOut: z.boolean().default(true),
    birthday: z
      .strictObject({
        enabled: z.boolean().default(true),
        template: templateSchema,
        /** A birthday benefit: the greeting names it, and a follow-up with details goes out the day after. */
        benefitCode: benefitCodeSchema.optional(),
        followUpTemplate: templateSchema.optional(),
      })
      .refine((b) => !b.benefitCode || b.followUpTemplate, {
        message: 'a birthday benefit needs a followUpTemplate for the next day',
        path: ['followUpTemplate'],
      })
      .optional(),
    anniversary: z.strictObject({ enabled: z.boolean().default(true), template: templateSchema }).optional(),
    festivals: z
      .array(
        z.strictObject({
          code: festivalCodeSchema,
          template: templateSchema,
          audience: audienceSchema.optional(),
        }),
      )
      .max(30)
      .default([]),
    specialDays: z
      .array(specialDaySchema.extend({ template: templateSchema, audience: audienceSchema.optional() }))
      .max(50)
      .default([]),
    pointsExpiring: reminder({ days: z.int().min(1).max(90) }).optional(),
    /** Stored value below `thresholdCents` after a top-up or spend: one reminder per such change. */
    lowBalance: reminder({ thresholdCents: z.int().min(1).max(100_000_000) }).optional(),
    packageEnding: reminder({ days: z.int().min(1).max(90) }).optional(),
    /** A count card (计次卡) with uses left that expires within `days`: one reminder per card. */
    countCardExpiring: reminder({ days: z.int().min(1).max(90) }).optional(),
  }),
);
export type CareSettings = z.infer<typeof careSettingsSchema>;
export type CareSettingsInput = z.input<typeof careSettingsSchema>;

/** The kinds of text the care job sends; each is sent at most once per member per date. */
export type Occasion =
  | 'birthday'
  | 'birthday-follow-up'
  | 'anniversary'
  | `festival:${string}`
  | `special:${string}`
  | 'points-expiring'
  | 'low-balance'
  | 'package-ending'
  | 'count-card-expiring';
