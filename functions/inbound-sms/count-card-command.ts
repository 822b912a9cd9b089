import { cardReplies } from '../../shared/domain/count-card-replies';
import { cardRefusal, chooseCard, usableCards } from '../../shared/domain/count-cards';
import type { Staff } from '../../shared/domain/staff';
import type { StaffCommand } from '../../shared/domain/staff-commands';
import { memberLabel } from '../../shared/domain/staff-replies';
import { dateIn } from '../../shared/domain/time';
import type { Member } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import type { CountCardsStore } from '../../shared/store/count-cards';

export interface CardCommandDeps {
  countCards: Pick<CountCardsStore, 'cards' | 'use'>;
}

interface CardAnswer {
  reply: string;
  status: 200 | 201 | 404 | 409;
  ids: Record<string, string>;
}

/**
 * `CK <mobile> [number | name]`: one use of the member's card, once per inbound text. With several
 * usable cards and nothing to tell them apart, nothing is used and the reply numbers them, so the next
 * text can say which (`CK 13800138000 2`); the list is the usable cards in the order they were sold,
 * the same for both texts unless a card was used up or expired in between.
 */
export async function deductCardUse(
  command: Extract<StaffCommand, { kind: 'use-card' }>,
  staff: Staff,
  context: { merchant: Merchant; member: Member; now: Date; inboundMessageId: string },
  deps: CardCommandDeps,
): Promise<CardAnswer> {
  const { merchant, member, now } = context;
  const { lang, card: selector } = command;
  const today = dateIn(merchant.timeZone, now);
  const who = memberLabel(member);
  const ids = { phone: member.phone, memberId: member.memberId };
  const held = await deps.countCards.cards(merchant.merchantId, member.memberId);
  // Staff of one store see, and use, the cards valid at their store.
  const choice = chooseCard(usableCards(held, today, staff.storeId), selector);
  if (choice.kind === 'none' || (choice.kind === 'no-match' && choice.cards.length === 0)) {
    // Why the card asked for (or else the latest card) cannot be used: expired, used up, refunded.
    const named =
      selector.kind === 'name'
        ? held.filter((card) => card.name.toLowerCase().includes(selector.name.toLowerCase()))
        : held;
    const latest = named.at(-1);
    const reason = latest && cardRefusal(latest, today, staff.storeId);
    return {
      reply: cardReplies.none(lang, who, latest && reason ? { card: latest, reason } : undefined),
      status: held.length === 0 ? 404 : 409,
      ids,
    };
  }
  if (choice.kind === 'choose')
    return { reply: cardReplies.choose(lang, who, choice.cards), status: 200, ids };
  if (choice.kind === 'no-match') {
    const wanted =
      selector.kind === 'number' ? String(selector.number) : selector.kind === 'name' ? selector.name : '';
    return { reply: cardReplies.noMatch(lang, who, wanted, choice.cards), status: 404, ids };
  }
  const outcome = await deps.countCards.use({
    merchantId: merchant.merchantId,
    memberId: member.memberId,
    cardId: choice.card.cardId,
    idempotencyKey: `sms:${context.inboundMessageId}`,
    at: now,
    today,
    by: { kind: 'staff', id: staff.staffId, name: staff.name },
    ...(staff.storeId ? { storeId: staff.storeId } : {}),
  });
  const cardIds = { ...ids, cardId: choice.card.cardId };
  switch (outcome.status) {
    case 'used':
    case 'replayed':
      return { reply: cardReplies.used(lang, who, outcome.card), status: 201, ids: cardIds };
    case 'refused':
      return { reply: cardReplies.refused(lang, outcome.card, outcome.reason), status: 409, ids: cardIds };
    default:
      throw new Error(`a card use by text was refused as ${outcome.status}`);
  }
}
