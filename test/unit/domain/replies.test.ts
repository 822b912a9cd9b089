import { describe, expect, it } from 'vitest';
import { maxHelpParts, replies } from '../../../shared/domain/replies';
import { countSegments } from '../../../shared/domain/segments';

const zh = { lang: 'zh', merchantName: '咖啡馆' } as const;
const en = { lang: 'en', merchantName: 'Cafe' } as const;
/** The longest signature a merchant may have: 12 characters in 【】. */
const longest = `【${'长'.repeat(12)}】`;
const parts = (signature: string, text: string) => countSegments(`${signature}${text}`).segments;

describe('the help reply', () => {
  it('names every keyword a member can send, within two parts with the longest signature', () => {
    for (const context of [zh, en]) {
      const help = replies.help(context, [], longest);
      expect(parts(longest, help), help).toBeLessThanOrEqual(maxHelpParts);
    }
    const help = replies.help(zh, [], '【咖啡馆】');
    for (const keyword of ['注册', '积分', '领取', '反馈', '投诉', '退订', '订阅'])
      expect(help).toContain(keyword);
    for (const keyword of ['领取 代码', '券', '建议']) expect(help).toContain(keyword);
    expect(help.match(/营销短信/g)).toHaveLength(1);
    const english = replies.help(en, [], '【咖啡馆】');
    for (const keyword of ['JOIN', 'POINTS', 'CLAIM', 'COUPONS', 'FEEDBACK', '投诉', 'STOP', 'START']) {
      expect(english).toContain(keyword);
    }
  });

  it("lists the merchant's own keywords, and its own opt-out words, within two parts", () => {
    expect(replies.help(zh, ['VIP', '会员日'], '【咖啡馆】')).toMatch(/；另有：VIP、会员日。$/);
    expect(replies.help(en, ['VIP', 'LUCKY'], '【咖啡馆】')).toMatch(/\. Also: VIP, LUCKY\.$/);
    const shop = ['早餐', 'WIFI', '周末', '停车', '生日', '抽奖', '会员卡', '预约'];
    const help = replies.help(zh, shop, '【咖啡馆】', ['不要了', '别发了']);
    expect(help).toContain('退订/不要了/别发了（拒收营销短信）');
    expect(help.endsWith(`；另有：${shop.join('、')}。`)).toBe(true);
    expect(parts('【咖啡馆】', help)).toBeLessThanOrEqual(maxHelpParts);
    // Twenty opt-out words of twenty characters cannot all be listed: as many as leave room.
    const wordy = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(20, '停'));
    expect(parts(longest, replies.help(zh, [], longest, wordy))).toBeLessThanOrEqual(maxHelpParts);
  });

  it('says how many more keywords the merchant answers when not all fit, never cutting one', () => {
    const many = Array.from({ length: 30 }, (_, i) => `会员日${i}`);
    for (const [context, more] of [
      [zh, /等(\d+)个。$/],
      [en, / and (\d+) more\.$/],
    ] as const) {
      const help = replies.help(context, many, longest);
      expect(parts(longest, help)).toBeLessThanOrEqual(maxHelpParts);
      const listed =
        help
          .split(/另有：|Also: /)[1]
          ?.replace(more, '')
          .split(/、|, /) ?? [];
      expect(listed.length).toBeGreaterThan(0);
      expect(listed).toEqual(many.slice(0, listed.length));
      expect(Number(help.match(more)?.[1])).toBe(many.length - listed.length);
    }
    expect(replies.help(zh, ['长'.repeat(200)], longest)).toMatch(/；另有本店指令1个。$/);
  });
});

describe('consent replies', () => {
  it('speak of marketing texts with the same word when opting in and out', () => {
    expect(replies.optedOut(zh)).toContain('营销短信');
    expect(replies.optedIn(zh)).toContain('营销短信');
    expect(replies.optedIn(zh)).not.toContain('优惠短信');
  });
});

describe('the points reply', () => {
  it('says all the points expire when the soonest expiry takes them all', () => {
    expect(replies.points(zh, 50, '银卡', { points: 50, expiresOn: '2026-12-31' })).toBe(
      '您在咖啡馆的积分余额为50分，会员等级：银卡。这些积分将于2026-12-31全部到期。',
    );
    expect(replies.points(en, 50, undefined, { points: 50, expiresOn: '2026-12-31' })).toBe(
      'Your Cafe balance is 50 points. They all expire on 2026-12-31.',
    );
  });

  it('says how many expire when some expire later', () => {
    expect(replies.points(zh, 80, undefined, { points: 30, expiresOn: '2026-12-31' })).toBe(
      '您在咖啡馆的积分余额为80分。其中30分将于2026-12-31到期。',
    );
  });
});

describe("the merchant's answer to a ticket", () => {
  it('carries the ticket number the member was given', () => {
    expect(replies.ticketAnswer(zh, 12, '已为您处理。')).toBe('（回复您的编号12）已为您处理。');
    expect(replies.ticketAnswer(en, 12, 'Sorted, thanks.')).toBe('(Re your no. 12) Sorted, thanks.');
  });
});

describe('the exchange list (兑换)', () => {
  const offer = (i: number) => ({
    code: `GIFT${i}`,
    name: `保温杯${i}号`,
    pricePoints: 100 * i,
    pointsAfter: 5000 - 100 * i,
  });

  it('names each gift with its price and the points left, cheapest first as given', () => {
    expect(replies.exchangeable(zh, [offer(1), offer(2)], 5000, '【咖啡馆】')).toBe(
      '您有5000积分，可兑换：GIFT1 保温杯1号 100分（剩4900）；GIFT2 保温杯2号 200分（剩4800）。回复"兑换 代码"兑换。',
    );
    expect(replies.exchangeable(en, [], 20, '【咖啡馆】')).toContain('You have 20 points');
  });

  it('keeps to two parts with the longest signature, saying how many more there are', () => {
    const many = Array.from({ length: 30 }, (_, i) => offer(i + 1));
    for (const context of [zh, en]) {
      const text = replies.exchangeable(context, many, 5000, longest);
      expect(parts(longest, text), text).toBeLessThanOrEqual(maxHelpParts);
      expect(text).toMatch(/(另有\d+项|\d+ more)/);
    }
  });
});
