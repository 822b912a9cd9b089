import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busiestWindow, lateToleranceMs, onTime, slotIntervalMs } from '../../../shared/domain/rate-limit';

describe('busiestWindow', () => {
  it('counts the most instants in any window [t, t + 1 s), in any order', () => {
    expect(busiestWindow([])).toBe(0);
    expect(busiestWindow([5, 0, 999, 1000])).toBe(3);
    expect(busiestWindow([0, 999.9, 1999.8])).toBe(2);
    expect(busiestWindow([0, 0, 0])).toBe(3);
  });
});

describe('sender pacing', () => {
  it('uses 95% of the limit: 20 MPS is a slot every 1000/19 ms', () => {
    expect(slotIntervalMs(20)).toBeCloseTo(1000 / 19, 9);
  });

  it('lets a text use its slot up to the tolerance late, and no later', () => {
    expect(onTime(1000, 1000 + lateToleranceMs)).toBe(true);
    expect(onTime(1000, 1000 + lateToleranceMs + 1)).toBe(false);
  });

  // The argument of shared/domain/rate-limit.ts: slots at least one interval apart, each used within
  // the tolerance plus the margin it leaves for jitter (52 ms in all), never put more than `mps`
  // texts in any one-second window, whatever the MPS, gaps and lateness.
  it('never lets any one-second window hold more than the MPS', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(
          fc.record({
            gap: fc.double({ min: 0, max: 200, noNaN: true }),
            late: fc.integer({ min: 0, max: 52 }),
          }),
          {
            minLength: 1,
            maxLength: 3000,
          },
        ),
        (mps, texts) => {
          let slot = 1_763_900_000_000;
          const sentAt = texts.map(({ gap, late }) => {
            slot += slotIntervalMs(mps) + gap;
            return Math.floor(slot + late);
          });
          return busiestWindow(sentAt) <= mps;
        },
      ),
      { numRuns: 300 },
    );
  });
});
