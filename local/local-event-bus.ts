import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import { eventCatalog } from '../events';
import { eventBus } from '../shared/resources';

export interface BusEvent {
  id: string;
  time: string;
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

/** The event a rule's Lambda target receives, as EventBridge delivers it. */
export type RuleEvent = EventBridgeEvent<string, Record<string, unknown>>;

/** A function subscribed by rule (an `events` trigger): each event of a listed detail-type invokes it. */
export interface EventSubscriber {
  name: string;
  detailTypes: readonly string[];
  invoke(event: RuleEvent): Promise<unknown>;
}

/**
 * An event a function still failed on after its last attempt, kept with the error as Lambda's
 * on-failure destination keeps it in AWS.
 */
export interface DeadLetter {
  function: string;
  event: RuleEvent;
  error: { type: string; message: string };
  attempts: number;
  time: string;
}

export interface LocalEventBusOptions {
  subscribers?: readonly EventSubscriber[];
  /**
   * The waits before each retry of a failed invocation: one attempt more than there are waits. Lambda
   * retries an asynchronous invocation twice, a minute or two apart; locally the same count, sooner.
   */
  retryDelaysMs?: readonly number[];
  /**
   * Delivers each event to each subscriber a second time once the first delivery is done, as
   * EventBridge may (it delivers at least once): how a test shows a subscriber counts an event once.
   */
  deliverTwice?: boolean;
  /** How many recent events (and dead letters) to keep for reading. */
  keep?: number;
}

interface PutEventsEntry {
  EventBusName?: string;
  Source?: string;
  DetailType?: string;
  Detail?: string;
}

type PutEventsResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const localAccount = '000000000000';

/**
 * The local stand-in for the EventBridge bus: it answers the PutEvents API (so functions use the
 * same EventBridge client as in AWS), checks each event against the catalog in events/, keeps the
 * recent ones for developers and tests to read, and hands each accepted event to the functions whose
 * rule matches its detail-type: after PutEvents has answered, retried on failure, and kept as a dead
 * letter with its error after the last attempt.
 */
export function localEventBus({
  subscribers = [],
  retryDelaysMs = [200, 1000],
  deliverTwice = false,
  keep = 1000,
}: LocalEventBusOptions = {}) {
  const events: BusEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  const pending = new Set<Promise<void>>();
  const schemas = new Map(eventCatalog.map((type) => [type.detailType, type.detail]));

  function accept(entry: PutEventsEntry): PutEventsResult {
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
    const detail = parseDetail(entry.Detail);
    if (detail === undefined)
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
    const parsed = schema.safeParse(detail);
    if (!parsed.success) return { ErrorCode: 'InvalidArgument', ErrorMessage: parsed.error.message };
    const event: BusEvent = {
      id: randomUUID(),
      time: new Date().toISOString(),
      source: entry.Source,
      detailType: entry.DetailType as string,
      detail: parsed.data as Record<string, unknown>,
    };
    keepRecent(events, event);
    dispatch(event);
    return { EventId: event.id };
  }

  function keepRecent<T>(list: T[], item: T) {
    list.push(item);
    if (list.length > keep) list.shift();
  }

  function dispatch(event: BusEvent) {
    const ruleEvent: RuleEvent = {
      version: '0',
      id: event.id,
      'detail-type': event.detailType,
      source: event.source,
      account: localAccount,
      time: event.time,
      region: 'local',
      resources: [],
      detail: event.detail,
    };
    for (const subscriber of subscribers) {
      if (!subscriber.detailTypes.includes(event.detailType)) continue;
      const delivered = (async () => {
        await deliver(subscriber, ruleEvent);
        if (deliverTwice) await deliver(subscriber, ruleEvent);
      })().finally(() => pending.delete(delivered));
      pending.add(delivered);
    }
  }

  async function deliver(subscriber: EventSubscriber, event: RuleEvent) {
    // Asynchronous, as Lambda's event invocation: the publisher has its answer before the function runs.
    await new Promise((resolve) => setImmediate(resolve));
    for (let attempt = 1; ; attempt++) {
      try {
        // A copy each time: one invocation changing its event cannot change what the next receives.
        await subscriber.invoke(structuredClone(event));
        return;
      } catch (error) {
        const delay = retryDelaysMs[attempt - 1];
        if (delay === undefined) return keepDeadLetter(subscriber, event, error, attempt);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  function keepDeadLetter(subscriber: EventSubscriber, event: RuleEvent, error: unknown, attempts: number) {
    const failure = error instanceof Error ? error : new Error(String(error));
    keepRecent(deadLetters, {
      function: subscriber.name,
      event,
      error: { type: failure.name, message: failure.message },
      attempts,
      time: new Date().toISOString(),
    });
    console.error(
      `${subscriber.name} failed ${event['detail-type']} ${event.id} ${attempts} times; kept as a dead letter: ${failure.message}`,
    );
  }

  return {
    events,
    deadLetters,
    /** The body of a PutEvents call (AWS JSON 1.1) → its response body. */
    putEvents(body: { Entries?: PutEventsEntry[] }) {
      const results = (body.Entries ?? []).map(accept);
      return { Entries: results, FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length };
    },
    /**
     * Resolves once every event accepted so far has been handled or dead-lettered, and so have the
     * events its handlers published in turn.
     */
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

function parseDetail(detail: string | undefined): unknown {
  try {
    return JSON.parse(detail ?? 'null');
  } catch {
    return undefined;
  }
}
