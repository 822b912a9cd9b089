import type { CardValidity, CountCard } from '../schemas/count-card';
import { addDays } from './time';

/**
 * The rules of count cards (计次卡), pure: when a card sold today expires, whether a card may be used,
 * what a refund of its unused uses pays back, and which card a staff text means.
 */

/** The last day a card sold on `soldOn` (YYYY-MM-DD, merchant time zone) can be used. */
export function cardExpiresOn(validity: CardValidity, soldOn: string): string {
  return validity.kind === 'days' ? addDays(soldOn, validity.days - 1) : validity.date;
}

export type CardRefusal = 'used-up' | 'expired' | 'refunded' | 'other-store';

/**
 * Why a card cannot be used on `today` at `storeId` (the store the use is recorded at, if any), or
 * undefined when it can. A card valid at some stores only is refused at another; a use recorded at no
 * store (the owner's, an API call that names none) is not held to them.
 */
export function cardRefusal(
  card: Pick<CountCard, 'usesLeft' | 'expiresOn' | 'refundedAt' | 'stores'>,
  today: string,
  storeId?: string,
) {
  if (card.refundedAt) return 'refunded' as const;
  if (card.expiresOn < today) return 'expired' as const;
  if (card.usesLeft <= 0) return 'used-up' as const;
  if (storeId !== undefined && card.stores?.length && !card.stores.includes(storeId))
    return 'other-store' as const;
  return undefined;
}

/**
 * What a refund of the unused uses pays back: the price paid in proportion to the uses left,
 * rounded down to the cent (the merchant never pays back more than was paid for those uses).
 * 3 uses left of 10 on a card sold for ¥99.99 pay back floor(9999 × 3 / 10) = 2999 cents.
 */
export function refundCents(pricePaid: number, usesLeft: number, uses: number): number {
  if (uses <= 0 || usesLeft <= 0) return 0;
  return Math.floor((pricePaid * Math.min(usesLeft, uses)) / uses);
}

/** The cards a member can use on `today`, in the order they were sold: the list a staff text numbers. */
export function usableCards<
  Card extends Pick<CountCard, 'cardId' | 'usesLeft' | 'expiresOn' | 'refundedAt' | 'stores'>,
>(cards: readonly Card[], today: string, storeId?: string): Card[] {
  return cards
    .filter((card) => cardRefusal(card, today, storeId) === undefined)
    .sort((a, b) => a.cardId.localeCompare(b.cardId));
}

/** Which card a staff text (`CK <phone> [n | name]`) chooses: by number in the list, or by name. */
export type CardSelector =
  | { kind: 'only' }
  | { kind: 'number'; number: number }
  | { kind: 'name'; name: string };

export type CardChoice<Card> =
  | { kind: 'card'; card: Card }
  /** Several cards fit: the list to choose from (numbered from 1). */
  | { kind: 'choose'; cards: Card[] }
  /** None fits the number or the name given. */
  | { kind: 'no-match'; cards: Card[] }
  /** The member has no card they can use now. */
  | { kind: 'none' };

/** The folded form names are compared in: case, width and spaces do not matter. */
const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');

export function chooseCard<Card extends Pick<CountCard, 'name'>>(
  usable: readonly Card[],
  selector: CardSelector,
): CardChoice<Card> {
  if (usable.length === 0) return { kind: 'none' };
  switch (selector.kind) {
    case 'only':
      return usable.length === 1
        ? { kind: 'card', card: usable[0] as Card }
        : { kind: 'choose', cards: [...usable] };
    case 'number': {
      const card = usable[selector.number - 1];
      return card ? { kind: 'card', card } : { kind: 'no-match', cards: [...usable] };
    }
    case 'name': {
      const wanted = fold(selector.name);
      const exact = usable.filter((card) => fold(card.name) === wanted);
      const matching = exact.length > 0 ? exact : usable.filter((card) => fold(card.name).includes(wanted));
      if (matching.length === 0) return { kind: 'no-match', cards: [...usable] };
      // The same product bought twice: the older card goes first, as it expires no later than the newer.
      const [first] = matching;
      const oneProduct = matching.every((card) => fold(card.name) === fold(first?.name ?? ''));
      return oneProduct ? { kind: 'card', card: first as Card } : { kind: 'choose', cards: matching };
    }
  }
}
