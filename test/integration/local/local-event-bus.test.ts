import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DomainEvent, eventOf, pointsEarned, tierChanged } from '../../../events';
import { type EventSubscriber, localEventBus, type RuleEvent } from '../../../local/local-event-bus';
import { eventBridgePublisher } from '../../../shared/bus/event-bridge-publisher';
import { EventPublishError } from '../../../shared/bus/publisher';
import { eventBus } from '../../../shared/resources';

/**
 * The local bus as functions reach it (the EventBridge client, PutEvents over HTTP) and as a rule
 * delivers: each accepted event to the subscribers of its detail-type, after PutEvents has answered,
 * retried on failure and kept as a dead letter after the last attempt.
 */
let bus = localEventBus();
let server: Server;
let client: EventBridgeClient;

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const reply = bus.putEvents(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new EventBridgeClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => server?.close());
afterEach(() => vi.restoreAllMocks());

const publisher = () => eventBridgePublisher(client, eventBus.name);
const earned = (eventId: string): DomainEvent => eventOf(pointsEarned, { ...pointsEarned.example, eventId });
const upgraded = (eventId: string): DomainEvent => eventOf(tierChanged, { ...tierChanged.example, eventId });

/** A subscriber that records what it receives and fails its first `failures` invocations. */
function recorder(name: string, detailTypes: string[], failures = 0) {
  const received: RuleEvent[] = [];
  let calls = 0;
  const subscriber: EventSubscriber = {
    name,
    detailTypes,
    async invoke(event) {
      calls++;
      if (calls <= failures) throw new TypeError(`${name} is not ready (call ${calls})`);
      received.push(event);
    },
  };
  return { subscriber, received, calls: () => calls };
}

describe('the local event bus', () => {
  it('delivers an event to the functions whose rule lists its detail-type, shaped as EventBridge sends it', async () => {
    const activity = recorder('member-activity', ['points.earned', 'benefit.claimed']);
    const tiers = recorder('tier-watch', ['tier.changed']);
    bus = localEventBus({ subscribers: [activity.subscriber, tiers.subscriber] });

    await publisher().publish(earned('earn-1'));
    await bus.settled();

    expect(activity.received).toEqual([
      {
        version: '0',
        id: bus.events[0]?.id,
        'detail-type': 'points.earned',
        source: eventBus.source,
        account: '000000000000',
        time: bus.events[0]?.time,
        region: 'local',
        resources: [],
        detail: { ...pointsEarned.example, eventId: 'earn-1' },
      },
    ]);
    expect(tiers.calls()).toBe(0);
  });

  it('answers PutEvents without waiting for the functions it invokes', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled: unknown[] = [];
    const slow: EventSubscriber = {
      name: 'member-activity',
      detailTypes: ['points.earned'],
      async invoke(event) {
        await gate;
        handled.push(event.detail.eventId);
      },
    };
    bus = localEventBus({ subscribers: [slow] });

    await publisher().publish(earned('earn-2'));
    expect(handled).toEqual([]);

    release();
    await bus.settled();
    expect(handled).toEqual(['earn-2']);
  });

  it('delivers nothing for an event no rule lists, nor for one the catalog refuses', async () => {
    const tiers = recorder('tier-watch', ['tier.changed']);
    bus = localEventBus({ subscribers: [tiers.subscriber] });

    await publisher().publish(earned('earn-3'));
    const refused = publisher().publish({
      detailType: 'tier.changed',
      detail: { merchantId: 'm', eventId: 'x' },
    });
    await expect(refused).rejects.toBeInstanceOf(EventPublishError);
    await bus.settled();

    expect(bus.events.map((event) => event.detailType)).toEqual(['points.earned']);
    expect(tiers.calls()).toBe(0);
  });

  it('retries a function that fails, and delivers the event once it succeeds', async () => {
    const flaky = recorder('member-activity', ['points.earned'], 2);
    bus = localEventBus({ subscribers: [flaky.subscriber], retryDelaysMs: [10, 10] });

    await publisher().publish(earned('earn-4'));
    await bus.settled();

    expect(flaky.calls()).toBe(3);
    expect(flaky.received.map((event) => event.detail.eventId)).toEqual(['earn-4']);
    expect(bus.deadLetters).toEqual([]);
  });

  it('keeps the event with its error as a dead letter after the last attempt, and other functions still get it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = recorder('retention-actions', ['points.earned'], Number.POSITIVE_INFINITY);
    const healthy = recorder('member-activity', ['points.earned']);
    bus = localEventBus({ subscribers: [broken.subscriber, healthy.subscriber], retryDelaysMs: [10, 10] });

    await publisher().publish(earned('earn-5'));
    await bus.settled();

    expect(broken.calls()).toBe(3);
    expect(bus.deadLetters).toEqual([
      {
        function: 'retention-actions',
        event: expect.objectContaining({ id: bus.events[0]?.id, 'detail-type': 'points.earned' }),
        error: { type: 'TypeError', message: 'retention-actions is not ready (call 3)' },
        attempts: 3,
        time: expect.any(String),
      },
    ]);
    expect(healthy.received).toHaveLength(1);
  });

  it('settles only once the events the functions published in turn are handled too', async () => {
    const tiers = recorder('tier-watch', ['tier.changed']);
    const ledger: EventSubscriber = {
      name: 'tier-evaluation',
      detailTypes: ['points.earned'],
      async invoke(event) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        await publisher().publish(upgraded(`tier-for-${event.detail.eventId}`));
      },
    };
    bus = localEventBus({ subscribers: [ledger, tiers.subscriber] });

    await publisher().publish(earned('earn-6'), earned('earn-7'));
    await bus.settled();

    expect(tiers.received.map((event) => event.detail.eventId).sort()).toEqual([
      'tier-for-earn-6',
      'tier-for-earn-7',
    ]);
  });

  it('can deliver every event twice, as EventBridge may, each a copy the function cannot change', async () => {
    const received: unknown[] = [];
    const meddler: EventSubscriber = {
      name: 'member-activity',
      detailTypes: ['points.earned'],
      async invoke(event) {
        received.push(structuredClone(event.detail));
        event.detail.delta = -1;
      },
    };
    bus = localEventBus({ subscribers: [meddler], deliverTwice: true });

    await publisher().publish(earned('earn-8'));
    await bus.settled();

    const detail = { ...pointsEarned.example, eventId: 'earn-8' };
    expect(received).toEqual([detail, detail]);
  });
});
