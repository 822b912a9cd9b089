import type * as z from 'zod';

/** An EventBridge event type: its detail-type and the zod schema of its detail. */
export interface EventType<Schema extends z.ZodType> {
  detailType: string;
  detail: Schema;
  example: z.infer<Schema>;
}

export function defineEvent<Schema extends z.ZodType>(
  detailType: string,
  detail: Schema,
  example: z.infer<Schema>,
): EventType<Schema> {
  return { detailType, detail, example };
}

/**
 * An event ready to publish. Every detail carries `merchantId` (events are tenant-scoped like
 * everything else) and `eventId`, stable across retries of the write that caused it, so a
 * subscriber that sees the same event twice can tell.
 */
export interface DomainEvent {
  detailType: string;
  detail: { merchantId: string; eventId: string } & Record<string, unknown>;
}

export function eventOf<Schema extends z.ZodType>(
  type: EventType<Schema>,
  detail: z.infer<Schema>,
): DomainEvent {
  return { detailType: type.detailType, detail: type.detail.parse(detail) as DomainEvent['detail'] };
}
