import { randomUUID } from 'node:crypto';
import { eventCatalog } from '../events';
import { eventBus } from '../shared/resources';

export interface BusEvent {
  id: string;
  time: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
}

/**
 * The local stand-in for the EventBridge bus: it answers the PutEvents API (so functions use the
 * same EventBridge client as in AWS), checks each event against the catalog in events/, and keeps
 * the recent ones for developers and tests to read.
 */
export function localEventBus(keep = 1000) {
  const events: BusEvent[] = [];
  const schemas = new Map(eventCatalog.map((type) => [type.detailType, type.detail]));

  function accept(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    if (entry.EventBusName !== eventBus.name || entry.Source !== eventBus.source) {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `unknown bus ${entry.EventBusName} or source ${entry.Source}`,
      };
    }
    const schema = entry.DetailType ? schemas.get(entry.DetailType) : undefined;
    if (!schema)
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: `${entry.DetailType} is not in the event catalog`,
      };
    const parsed = schema.safeParse(JSON.parse(entry.Detail ?? 'null'));
    if (!parsed.success) return { ErrorCode: 'InvalidArgument', ErrorMessage: parsed.error.message };
    const event: BusEvent = {
      id: randomUUID(),
      time: new Date().toISOString(),
      source: entry.Source,
      detailType: entry.DetailType as string,
      detail: parsed.data as Record<string, unknown>,
    };
    events.push(event);
    if (events.length > keep) events.shift();
    return { EventId: event.id };
  }

  return {
    events,
    /** The body of a PutEvents call (AWS JSON 1.1) → its response body. */
    putEvents(body: { Entries?: PutEventsEntry[] }) {
      const results = (body.Entries ?? []).map(accept);
      return { Entries: results, FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length };
    },
  };
}
