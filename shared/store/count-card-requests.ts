import type { CardRefusal } from '../domain/count-cards';
import type { Balances } from '../domain/ledger';
import type { BonusSpendOrder } from '../domain/top-up-bonus';
import type { CardActor, CardPayment, CardProduct, CountCard } from '../schemas/count-card';
import type { MemberRef } from './ledger';

/** What the count cards store (count-cards.ts) is asked, and what it answers. */
export interface Common {
  merchantId: string;
  idempotencyKey: string;
  at: Date;
  by: CardActor;
}

export interface SaleRequest extends Common {
  member: MemberRef;
  product: CardProduct;
  payment: CardPayment;
  /** The last day the card can be used (from the product's validity and the day of sale). */
  expiresOn: string;
  /** Calendar year in the merchant's time zone (the ledger's yearly figures). */
  year: string;
  /** Which part of the stored value the price takes first (充值赠送): the merchant's setting. */
  bonusSpendOrder?: BonusSpendOrder;
  /** The store (门店) it is sold at, recorded on the stored-value entry. */
  storeId?: string;
}

export interface UseRequest extends Common {
  memberId: string;
  cardId: string;
  /** The merchant's date: a card is used on or before its `expiresOn`. */
  today: string;
  /** The store (门店) it is used at: a card valid at some stores only is refused at another. */
  storeId?: string;
}

export interface RefundRequest extends Common {
  member: MemberRef;
  cardId: string;
  year: string;
}

/** Another operation already under the key, or a retry: answered the same way for every operation. */
export type KeyOutcome = { status: 'conflict' } | { status: 'unknown' };

export type SaleOutcome =
  | { status: 'sold' | 'replayed'; card: CountCard; balances?: Balances }
  | { status: 'insufficient'; balance: number }
  | { status: 'no-member' }
  | KeyOutcome;

export type UseOutcome =
  | { status: 'used' | 'replayed'; card: CountCard }
  | { status: 'refused'; reason: CardRefusal; card: CountCard }
  | KeyOutcome;

export type RefundOutcome =
  | { status: 'refunded' | 'replayed'; card: CountCard; balances?: Balances }
  | { status: 'refused'; reason: 'refunded'; card: CountCard }
  | { status: 'no-member' }
  | KeyOutcome;

export interface ExpiringCard {
  cardId: string;
  memberId: string;
  expiresOn: string;
}

export interface CountCardsStore {
  /** The member's cards, oldest first (refunded and expired ones too). */
  cards(merchantId: string, memberId: string): Promise<CountCard[]>;
  card(merchantId: string, memberId: string, cardId: string): Promise<CountCard | undefined>;
  sell(request: SaleRequest): Promise<SaleOutcome>;
  use(request: UseRequest): Promise<UseOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
  /** The cards expiring on `date`, whatever is left on them. */
  expiringOn(merchantId: string, date: string): Promise<ExpiringCard[]>;
}
