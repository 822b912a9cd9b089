import { daysBetween } from './time';

/**
 * Texts held over a carrier's per-number cap (a carrier refuses more than so many texts a day to one
 * number with one signature and template): the cap is a day's, so a held text may go the next day.
 * It is released inside the merchant's send window, and expires, keeping its reason, once it has
 * waited longer than the merchant allows (`sending.heldTextExpiryDays`) since it was first held.
 */
export interface HeldText {
  /** `held`, or `released` and waiting for the sender to take it up again. */
  status: 'held' | 'released';
  /** The merchant's day it was (last) held. */
  heldOn: string;
  /** The day it was first held, when it was held again after a release. */
  heldSince?: string;
  /** When it was released: a release whose text the queue lost is sent again after a while. */
  releasedAt?: string;
}

export type HeldTextDecision =
  /** Not yet: held today (the cap still stands), or outside the send window. */
  | { action: 'wait' }
  | { action: 'release' }
  /** Released a while ago and still not taken up by the sender: queued again under the same id. */
  | { action: 'requeue' }
  | { action: 'expire'; daysHeld: number };

/** How long a released text may wait for the sender before it is queued again (same id: sent once). */
export const requeueAfterMs = 60 * 60 * 1000;

/**
 * What to do with a held text now. `today` is the merchant's date; `inWindow` whether its send window
 * is open; `expiryDays` the merchant's setting.
 */
export function heldTextDecision(
  text: HeldText,
  at: { today: string; now: Date; inWindow: boolean; expiryDays: number },
): HeldTextDecision {
  if (text.status === 'released') {
    const releasedAt = Date.parse(text.releasedAt ?? '');
    const stale = Number.isNaN(releasedAt) || at.now.getTime() - releasedAt >= requeueAfterMs;
    return stale && at.inWindow ? { action: 'requeue' } : { action: 'wait' };
  }
  if (text.heldOn >= at.today) return { action: 'wait' };
  const daysHeld = daysBetween(text.heldSince ?? text.heldOn, at.today);
  if (daysHeld > at.expiryDays) return { action: 'expire', daysHeld };
  return at.inWindow ? { action: 'release' } : { action: 'wait' };
}
