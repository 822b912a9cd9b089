import { describe, expect, it } from 'vitest';
import { maxScheduleName, scheduleName } from '../../../shared/scheduler/event-bridge-schedules';

const reminderId = '01KAB5M1GZ9Y8X7W6V5T4S3R2Q';
const longestMerchantId = `m${'x'.repeat(39)}`;

describe('schedule names', () => {
  it('are <merchantId>--<reminderId> when that fits', () => {
    expect(scheduleName('shop-1', reminderId)).toBe(`shop-1--${reminderId}`);
  });

  it('stay within 64 characters for the longest merchant id, keeping the whole reminder id', () => {
    const name = scheduleName(longestMerchantId, reminderId);
    expect(name).toHaveLength(maxScheduleName);
    expect(name.endsWith(`--${reminderId}`)).toBe(true);
    const deferred = scheduleName(longestMerchantId, reminderId, '20270105T0100Z');
    expect(deferred.length).toBeLessThanOrEqual(maxScheduleName);
    expect(deferred).toMatch(/^[0-9a-zA-Z\-_.]+$/);
  });
});
