import { describe, expect, it } from 'vitest';
import { erasedSinceQueued } from '../../../shared/domain/erasure';

describe('a text queued before its phone was erased', () => {
  const erasedAt = '2026-11-23T04:00:00.000Z';

  it('is held back when queued before the erasure, at its instant, or within the minute after', () => {
    expect(erasedSinceQueued('2026-11-23T03:59:59.999Z', erasedAt)).toBe(true);
    expect(erasedSinceQueued(erasedAt, erasedAt)).toBe(true);
    // Decided on data read before the erasure, queued a moment after it.
    expect(erasedSinceQueued('2026-11-23T04:01:00.000Z', erasedAt)).toBe(true);
  });

  it('goes when queued more than a minute after the erasure, or when the phone was never erased', () => {
    expect(erasedSinceQueued('2026-11-23T04:01:00.001Z', erasedAt)).toBe(false);
    expect(erasedSinceQueued('2026-11-23T03:00:00.000Z', undefined)).toBe(false);
    expect(erasedSinceQueued(undefined, undefined)).toBe(false);
  });

  it('is held back when it carries no time it was queued: it predates every erasure that left a mark', () => {
    expect(erasedSinceQueued(undefined, erasedAt)).toBe(true);
  });
});
