import { expiryDate, type Posting } from '../domain/ledger';
import { topUpBonus } from '../domain/top-up-bonus';
import type { Merchant } from '../schemas/merchant';

export interface TopUpRequest {
  merchant: Merchant;
  cents: number;
  reason?: string;
  /** The day of the top-up in the merchant's time zone. */
  today: string;
}

/**
 * The postings of a top-up (充值) with the bonus the merchant's rules give it today (充值赠送): the
 * stored value paid plus the bonus, with the bonus part and the rule on the entry, and the bonus points
 * as a points entry of their own (expiring as earned points do) in the same transaction.
 */
export function topUpPostings(request: TopUpRequest): {
  posting: Posting;
  also?: Posting[];
} {
  const { merchant, cents, reason, today } = request;
  const bonus = topUpBonus(merchant.loyalty.topUpBonuses, cents, today);
  const posting: Posting = {
    book: 'storedValue',
    type: 'top-up',
    delta: cents + (bonus?.bonusCents ?? 0),
    ...(reason !== undefined ? { reason } : {}),
  };
  if (!bonus) return { posting };
  posting.bonusDelta = bonus.bonusCents;
  posting.bonusRule = bonus.rule;
  if (bonus.bonusPoints === 0) return { posting };
  posting.bonusPoints = bonus.bonusPoints;
  const expiresOn = expiryDate(today, merchant.loyalty.expiry);
  const points: Posting = {
    book: 'points',
    type: 'earn',
    delta: bonus.bonusPoints,
    reason: `充值赠送（${bonus.rule}）`,
    ...(expiresOn ? { expiresOn } : {}),
  };
  return { posting, also: [points] };
}
