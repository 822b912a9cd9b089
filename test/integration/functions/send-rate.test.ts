import { describe, expect, it } from 'vitest';
import { drainBacklog } from '../../../bench/sender';
import { busiestWindow } from '../../../shared/domain/rate-limit';
import { testEnv } from '../../support';

/**
 * About 32 s of sending at 19 a second; longer than drainBacklog's own deadline (three times the
 * paced time plus a minute), so a drain too slow fails with the count it reached.
 */
const drainTimeoutMs = 240_000;

describe('send-sms: the sender rate limit', () => {
  // npm run bench drains 2,000 texts the same way and prints the throughput it reaches; this checks
  // only the rule that must always hold, on the recorded timeline, never on wall time: 600 texts keep
  // four senders contending for the same slots for half a minute.
  it(
    'never sends more than a 20-MPS sender allows in any one-second window, draining 600 texts with 4 senders at once',
    async () => {
      const sentAt = await drainBacklog(testEnv().dynamo(), { texts: 600, pollers: 4, mps: 20 });
      expect(sentAt).toHaveLength(600);
      expect(busiestWindow(sentAt)).toBeLessThanOrEqual(20);
    },
    drainTimeoutMs,
  );
});
