import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardReplies } from '../../../shared/domain/count-card-replies';
import {
  cardExpiresOn,
  cardRefusal,
  chooseCard,
  refundCents,
  usableCards,
} from '../../../shared/domain/count-cards';
import { readKeyword } from '../../../shared/domain/keywords';
import { readStaffCommand } from '../../../shared/domain/staff-commands';

const card = (cardId: string, name: string, usesLeft = 3, expiresOn = '2027-01-31', refundedAt?: string) => ({
  cardId,
  name,
  usesLeft,
  expiresOn,
  ...(refundedAt ? { refundedAt } : {}),
});

describe('count cards', () => {
  it('expire a number of days after the day of sale (that day counted), or on a fixed date', () => {
    expect(cardExpiresOn({ kind: 'days', days: 1 }, '2026-12-08')).toBe('2026-12-08');
    expect(cardExpiresOn({ kind: 'days', days: 30 }, '2026-12-08')).toBe('2027-01-06');
    expect(cardExpiresOn({ kind: 'days', days: 365 }, '2028-02-29')).toBe('2029-02-27');
    expect(cardExpiresOn({ kind: 'until', date: '2027-06-30' }, '2026-12-08')).toBe('2027-06-30');
  });

  it('are usable through their last day, with uses left, unless refunded', () => {
    expect(cardRefusal(card('A', 'x', 1, '2026-12-08'), '2026-12-08')).toBeUndefined();
    expect(cardRefusal(card('A', 'x', 1, '2026-12-07'), '2026-12-08')).toBe('expired');
    expect(cardRefusal(card('A', 'x', 0), '2026-12-08')).toBe('used-up');
    expect(cardRefusal(card('A', 'x', 0, '2027-01-31', '2026-12-01T00:00:00Z'), '2026-12-08')).toBe(
      'refunded',
    );
  });

  it('refund the price paid in proportion to the uses left, rounded down to the cent', () => {
    expect(refundCents(30_000, 10, 10)).toBe(30_000);
    expect(refundCents(9_999, 2, 3)).toBe(6_666);
    expect(refundCents(100, 1, 3)).toBe(33);
    expect(refundCents(0, 5, 10)).toBe(0);
    expect(refundCents(30_000, 0, 10)).toBe(0);
    fc.assert(
      fc.property(
        fc.nat(100_000_000),
        fc.integer({ min: 1, max: 1000 }),
        fc.nat(1000),
        (paid, uses, left) => {
          const cents = refundCents(paid, Math.min(left, uses), uses);
          expect(Number.isInteger(cents)).toBe(true);
          expect(cents).toBeGreaterThanOrEqual(0);
          expect(cents).toBeLessThanOrEqual(paid);
          // Never more than the uses' share: what is kept covers the uses consumed.
          expect(cents * uses).toBeLessThanOrEqual(paid * Math.min(left, uses));
        },
      ),
    );
  });

  it('are chosen as the only usable one, by number in the list, or by name', () => {
    const today = '2026-12-08';
    const held = [
      card('01C', '打蜡5次卡'),
      card('01A', '洗车10次卡'),
      card('01B', '旧卡', 2, '2026-12-01'),
      card('01D', 'Wash Card'),
    ];
    const usable = usableCards(held, today);
    expect(usable.map((c) => c.cardId)).toEqual(['01A', '01C', '01D']);
    expect(chooseCard(usable, { kind: 'only' })).toEqual({ kind: 'choose', cards: usable });
    expect(chooseCard(usable.slice(0, 1), { kind: 'only' })).toEqual({ kind: 'card', card: usable[0] });
    expect(chooseCard(usable, { kind: 'number', number: 2 })).toEqual({ kind: 'card', card: usable[1] });
    expect(chooseCard(usable, { kind: 'number', number: 4 }).kind).toBe('no-match');
    expect(chooseCard(usable, { kind: 'name', name: '洗车' })).toEqual({ kind: 'card', card: usable[0] });
    expect(chooseCard(usable, { kind: 'name', name: 'ｗａｓｈ card' })).toEqual({
      kind: 'card',
      card: usable[2],
    });
    expect(chooseCard(usable, { kind: 'name', name: '卡' }).kind).toBe('choose');
    expect(chooseCard(usable, { kind: 'name', name: '美甲' }).kind).toBe('no-match');
    expect(chooseCard([], { kind: 'only' })).toEqual({ kind: 'none' });
  });

  it('are used by staff with CK and listed by members with 次卡 or CARDS', () => {
    expect(readStaffCommand('CK 13800138000', 'CN')).toEqual({
      kind: 'use-card',
      lang: 'zh',
      phone: '+8613800138000',
      card: { kind: 'only' },
    });
    expect(readStaffCommand('ck 13800138000 2', 'CN')).toMatchObject({ card: { kind: 'number', number: 2 } });
    expect(readStaffCommand('扣次13800138000 洗车 卡', 'CN')).toMatchObject({
      card: { kind: 'name', name: '洗车 卡' },
    });
    expect(readStaffCommand('CARD 13800138000', 'CN')).toMatchObject({ kind: 'use-card', lang: 'en' });
    expect(readStaffCommand('CK', 'CN')).toEqual({
      kind: 'malformed',
      lang: 'zh',
      command: 'use-card',
      problem: 'format',
    });
    expect(readStaffCommand('CK 123', 'CN')).toMatchObject({ kind: 'malformed', problem: 'phone' });
    for (const text of ['次卡', '次卡。', 'cards', 'ＣＡＲＤＳ'])
      expect(readKeyword(text, '2026-12-08').kind, text).toBe('cards');
  });

  it('are answered in short texts naming each card, its uses left and its last day', () => {
    const cards = [card('01A', '洗车10次卡', 4, '2027-06-30'), card('01B', '打蜡5次卡', 1, '2027-01-31')];
    expect(cardReplies.choose('zh', '张三（138****8000）', cards)).toBe(
      '张三（138****8000）有2张可用次卡：1.「洗车10次卡」剩4次，至2027-06-30；2.「打蜡5次卡」剩1次，至2027-01-31。未扣次，请发"CK 手机号 序号"，如 CK 13800138000 2。',
    );
    expect(cardReplies.used('en', 'Amy', cards[0] as (typeof cards)[0])).toBe(
      'Used 1 of "洗车10次卡" for Amy: 4 left, valid until 2027-06-30.',
    );
    expect(
      cardReplies.none('zh', '张三', { card: card('01C', '旧卡', 2, '2026-12-01'), reason: 'expired' }),
    ).toBe('张三没有可用的次卡：「旧卡」已于2026-12-01到期，不能再用。');
    expect(cardReplies.memberCards('zh', '洗车店', cards)).toBe(
      '您在洗车店的次卡：「洗车10次卡」剩4次，至2027-06-30；「打蜡5次卡」剩1次，至2027-01-31。',
    );
    expect(cardReplies.memberCards('en', 'Wash', [])).toBe('You have no count cards to use at Wash.');
  });
});
