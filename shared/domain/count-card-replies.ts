import type { CountCard } from '../schemas/count-card';
import type { CardRefusal } from './count-cards';
import type { Lang } from './keywords';

/**
 * The texts about count cards (计次卡): the staff's `CK` answers, in the language of the command word,
 * and the member's `次卡` / `CARDS` answer. Short: read on a phone.
 */
type Card = Pick<CountCard, 'name' | 'usesLeft' | 'expiresOn'>;

const line = (lang: Lang, card: Card) =>
  lang === 'zh'
    ? `「${card.name}」剩${card.usesLeft}次，至${card.expiresOn}`
    : `"${card.name}" ${card.usesLeft} left, until ${card.expiresOn}`;

const numbered = (lang: Lang, cards: readonly Card[]) =>
  cards.map((card, i) => `${i + 1}.${line(lang, card)}`).join(lang === 'zh' ? '；' : '; ');

const refusals: Record<CardRefusal, (card: Card) => Record<Lang, string>> = {
  expired: (card) => ({
    zh: `「${card.name}」已于${card.expiresOn}到期，不能再用。`,
    en: `"${card.name}" expired on ${card.expiresOn} and cannot be used.`,
  }),
  'used-up': (card) => ({ zh: `「${card.name}」次数已用完。`, en: `"${card.name}" has no uses left.` }),
  refunded: (card) => ({ zh: `「${card.name}」已退卡。`, en: `"${card.name}" was refunded.` }),
  'other-store': (card) => ({
    zh: `「${card.name}」不能在本店使用。`,
    en: `"${card.name}" cannot be used at this store.`,
  }),
};

export const cardReplies = {
  /** One use taken: what is left, and until when. */
  used: (lang: Lang, who: string, card: Card) =>
    ({
      zh: `已为${who}扣「${card.name}」1次，剩余${card.usesLeft}次，有效期至${card.expiresOn}。`,
      en: `Used 1 of "${card.name}" for ${who}: ${card.usesLeft} left, valid until ${card.expiresOn}.`,
    })[lang],

  /** Several cards could be meant: nothing was used; the numbered list to choose from. */
  choose: (lang: Lang, who: string, cards: readonly Card[]) =>
    ({
      zh: `${who}有${cards.length}张可用次卡：${numbered(lang, cards)}。未扣次，请发"CK 手机号 序号"，如 CK 13800138000 2。`,
      en: `${who} has ${cards.length} cards: ${numbered(lang, cards)}. Nothing used; send CARD, the mobile number and the card's number, e.g. CARD 13800138000 2.`,
    })[lang],

  /** The number or name given fits none of the member's usable cards. */
  noMatch: (lang: Lang, who: string, wanted: string, cards: readonly Card[]) =>
    ({
      zh: `${who}没有"${wanted}"这张可用次卡，可用的有：${numbered(lang, cards)}。未扣次。`,
      en: `${who} has no usable card "${wanted}"; the cards are: ${numbered(lang, cards)}. Nothing used.`,
    })[lang],

  /** No card to use; `unusable`: the card asked for (or the latest) and why it cannot be used. */
  none: (lang: Lang, who: string, unusable?: { card: Card; reason: CardRefusal }) =>
    unusable
      ? `${{ zh: `${who}没有可用的次卡：`, en: `${who} has no usable card: ` }[lang]}${refusals[unusable.reason](unusable.card)[lang]}`
      : { zh: `${who}没有可用的次卡。`, en: `${who} has no count card to use.` }[lang],

  /** A use refused by the write itself: the card changed since it was read (another cashier, a refund). */
  refused: (lang: Lang, card: Card, reason: CardRefusal) => refusals[reason](card)[lang],

  /** 次卡 / CARDS: the member's cards they can use, with the uses left and the last day. */
  memberCards: (lang: Lang, merchantName: string, cards: readonly Card[]) =>
    cards.length === 0
      ? {
          zh: `您在${merchantName}没有可用的次卡。`,
          en: `You have no count cards to use at ${merchantName}.`,
        }[lang]
      : {
          zh: `您在${merchantName}的次卡：${cards.map((card) => line('zh', card)).join('；')}。`,
          en: `Your ${merchantName} cards: ${cards.map((card) => line('en', card)).join('; ')}.`,
        }[lang],
};
