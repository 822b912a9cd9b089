import { z } from 'zod';
import { defineEvent } from './catalog';

export const pointsEarned = defineEvent(
  'points.earned',
  z.object({
    eventId: z.string(),
    merchantId: z.string(),
    memberId: z.string(),
    points: z.number().int().positive(),
    reason: z.string().optional(),
    idempotencyKey: z.string(),
    at: z.iso.datetime(),
  }),
  {
    eventId: 'earn:order-1001',
    merchantId: 'demo',
    memberId: '01JD7Q6V4N8K2M5P9R3T6W8Y0Z',
    points: 120,
    reason: 'order 1001',
    idempotencyKey: 'order-1001',
    at: '2026-11-23T08:00:00.000Z',
  },
);
