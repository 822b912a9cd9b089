import * as z from 'zod';
import { lazySchema } from '../shared/lazy-schema';
import { defineEvent } from './catalog';

/**
 * A campaign's run is due now (scheduled "now", or resumed mid-run): the fan-out starts it on this
 * event, within seconds, rather than at the next minute Scheduler fires on. The one-off schedule made
 * for the same instant stays as the guarantee; both name the same run, so whichever comes second finds
 * it started and changes nothing.
 */
export const campaignRunRequested = defineEvent(
  'campaign.run-requested',
  lazySchema(() =>
    z.object({
      eventId: z.string(),
      merchantId: z.string(),
      campaignId: z.string(),
      /** The instant of the one-off schedule made for the same run: the run's id is derived from it. */
      scheduledTime: z.iso.datetime(),
      /** The run to continue, when the campaign was resumed mid-run. */
      runId: z.iso.datetime().optional(),
    }),
  ),
  {
    eventId: 'run:01KAB5M1GZ9Y8X7W6V5T4S3R2Q:2026-11-23T08:01:00.000Z',
    merchantId: 'demo',
    campaignId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
    scheduledTime: '2026-11-23T08:01:00.000Z',
  },
);
