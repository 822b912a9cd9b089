import { describe, expect, it } from 'vitest';
import { heldTextDecision, requeueAfterMs } from '../../../shared/domain/held-texts';

const now = new Date('2026-12-03T02:00:00Z');
const on = (today: string, inWindow = true, expiryDays = 3) => ({ today, now, inWindow, expiryDays });

describe('a held text', () => {
  it('waits out the day it was held: the carrier cap is a day’s', () => {
    expect(heldTextDecision({ status: 'held', heldOn: '2026-12-03' }, on('2026-12-03'))).toEqual({
      action: 'wait',
    });
  });

  it('is released on a later day inside the send window, and waits for the window outside it', () => {
    const held = { status: 'held', heldOn: '2026-12-02' } as const;
    expect(heldTextDecision(held, on('2026-12-03'))).toEqual({ action: 'release' });
    expect(heldTextDecision(held, on('2026-12-03', false))).toEqual({ action: 'wait' });
  });

  it('expires once more days than the merchant allows have passed since it was first held, window or not', () => {
    const held = { status: 'held', heldOn: '2026-12-01' } as const;
    expect(heldTextDecision(held, on('2026-12-04', true, 3))).toEqual({ action: 'release' });
    expect(heldTextDecision(held, on('2026-12-05', false, 3))).toEqual({ action: 'expire', daysHeld: 4 });
    expect(heldTextDecision(held, on('2026-12-02', true, 1))).toEqual({ action: 'release' });
    expect(heldTextDecision(held, on('2026-12-03', true, 1))).toEqual({ action: 'expire', daysHeld: 2 });
    // Held again after a release: counted from the first hold, not the last.
    const again = { status: 'held', heldOn: '2026-12-04', heldSince: '2026-12-01' } as const;
    expect(heldTextDecision(again, on('2026-12-05', true, 3))).toEqual({ action: 'expire', daysHeld: 4 });
  });

  it('once released and not taken up by the sender within the hour, is queued again inside the window', () => {
    const released = (ms: number) =>
      ({
        status: 'released',
        heldOn: '2026-12-01',
        releasedAt: new Date(now.getTime() - ms).toISOString(),
      }) as const;
    expect(heldTextDecision(released(requeueAfterMs - 1), on('2026-12-03'))).toEqual({ action: 'wait' });
    expect(heldTextDecision(released(requeueAfterMs), on('2026-12-03'))).toEqual({ action: 'requeue' });
    expect(heldTextDecision(released(requeueAfterMs), on('2026-12-03', false))).toEqual({ action: 'wait' });
    expect(heldTextDecision({ status: 'released', heldOn: '2026-12-01' }, on('2026-12-03'))).toEqual({
      action: 'requeue',
    });
  });
});
