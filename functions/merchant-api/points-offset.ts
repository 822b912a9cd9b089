import { pointsForOffset } from '../../shared/domain/ledger';
import type { Merchant } from '../../shared/schemas/merchant';
import { HttpError } from './http';

/**
 * Points offsetting a purchase (抵扣) must be what the merchant's rate (`pointsPerYuanOff`) asks for the
 * cents taken off: a till that computed the offset on a stale rate is refused rather than booked wrong.
 */
export function checkOffset(offsetCents: number, points: number, merchant: Merchant) {
  const rate = merchant.loyalty.pointsPerYuanOff;
  if (rate === undefined) {
    throw new HttpError(
      409,
      'offset_not_enabled',
      'offsetCents: no points-per-yuan-off rate is set (pointsPerYuanOff in the loyalty settings), so points cannot offset a purchase',
      [{ path: 'offsetCents', message: 'set pointsPerYuanOff in the loyalty settings first' }],
    );
  }
  const due = pointsForOffset(offsetCents, rate);
  if (due !== points) {
    const message =
      due === undefined
        ? `offsetCents: at ${rate} points per yuan, ${offsetCents} cents is not a whole number of points`
        : `points: at ${rate} points per yuan, ${offsetCents} cents off takes ${due} points, not ${points}`;
    throw new HttpError(400, 'offset_mismatch', message, [
      { path: due === undefined ? 'offsetCents' : 'points', message: message.replace(/^\w+: /, '') },
    ]);
  }
}
