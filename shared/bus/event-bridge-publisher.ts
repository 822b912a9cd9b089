import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBus } from '../resources';
import { EventPublishError, type EventPublisher } from './publisher';

export function eventBridgePublisher(client: EventBridgeClient, busName: string): EventPublisher {
  return {
    async publish(...events) {
      // PutEvents takes at most 10 entries a call.
      for (let i = 0; i < events.length; i += 10) {
        const result = await client.send(
          new PutEventsCommand({
            Entries: events.slice(i, i + 10).map((event) => ({
              EventBusName: busName,
              Source: eventBus.source,
              DetailType: event.detailType,
              Detail: JSON.stringify(event.detail),
            })),
          }),
        );
        if (result.FailedEntryCount) throw new EventPublishError(result.FailedEntryCount);
      }
    },
  };
}
