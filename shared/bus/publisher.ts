import type { DomainEvent } from '../../events/catalog';

/** The port domain events are published through: EventBridge in AWS and locally alike. */
export interface EventPublisher {
  publish(...events: DomainEvent[]): Promise<void>;
}

export class EventPublishError extends Error {
  constructor(readonly failed: number) {
    super(`${failed} event(s) were not accepted by the event bus`);
    this.name = 'EventPublishError';
  }
}
