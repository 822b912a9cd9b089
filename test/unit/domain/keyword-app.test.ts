import { describe, expect, it } from 'vitest';
import {
  appClashReason,
  appLang,
  appWordCandidates,
  appWords,
  listTag,
  repeatedWords,
  replyProblems,
  systemClash,
} from '../../../shared/domain/keyword-app';

describe('appWordCandidates', () => {
  it.each([
    ['VIP', ['VIP']],
    ['ＶＩＰ', ['VIP']],
    ['vip', ['VIP']],
    ['Vip!', ['VIP']],
    ['ｖＩｐ 张三', ['VIP']],
    ['会员日', ['会员日', '会员']],
    ['会员日抽奖。', ['会员日抽奖', '会员日抽', '会员日', '会员']],
    ['会员VIP', ['会员VIP', '会员']],
    ['V', ['V']],
    ['V neck', []],
    ['奖', ['奖']],
    ['', []],
    ['   ', []],
  ])('%j may start the apps of %j, longest first', (text, words) => {
    expect(appWordCandidates(text)).toEqual(words);
  });

  it('looks at no more than the longest keyword of a long first word', () => {
    const candidates = appWordCandidates('长'.repeat(40));
    expect(candidates[0]).toBe('长'.repeat(20));
    expect(candidates).toHaveLength(19);
  });
});

describe('app words', () => {
  it('folds the keyword and aliases as texts are folded, keyword first, once each', () => {
    expect(appWords({ keyword: 'ｖｉｐ', aliases: ['会员', 'Vip', 'gold'] })).toEqual([
      'VIP',
      '会员',
      'GOLD',
    ]);
  });

  it('names an alias that repeats another word once case and width are ignored', () => {
    expect(repeatedWords({ keyword: 'VIP', aliases: ['金卡', 'ｖｉｐ', '金卡'] })).toEqual([
      { path: 'aliases.1', message: '"ｖｉｐ" is the same word as "VIP" once case and width are ignored' },
      { path: 'aliases.2', message: '"金卡" is the same word as "金卡" once case and width are ignored' },
    ]);
    expect(repeatedWords({ keyword: 'VIP', aliases: ['金卡'] })).toEqual([]);
  });
});

describe('systemClash', () => {
  const options = { optOutKeywords: ['不要了'] };

  it('refuses a system keyword in any case or width, saying what it does', () => {
    expect(systemClash(['VIP', '积分'], options)).toEqual({
      word: '积分',
      reason: '"积分" is the system keyword for the points balance',
    });
    expect(systemClash(['ｊｆ'], options)?.reason).toBe(
      '"ｊｆ" is the system keyword for the points balance',
    );
    expect(systemClash(['fk'], options)?.reason).toContain('feedback');
  });

  it('refuses a word a Chinese system keyword would take first', () => {
    expect(systemClash(['积分兑换'], options)?.reason).toBe(
      '"积分兑换" starts with the system keyword "积分" (the points balance), which takes every text that begins with it',
    );
  });

  it("refuses the merchant's own opt-out words", () => {
    expect(systemClash(['不要了'], options)?.reason).toBe(
      '"不要了" is one of your opt-out keywords (sending settings)',
    );
  });

  it('leaves free words alone', () => {
    expect(systemClash(['VIP', '会员日', 'T恤'], options)).toBeUndefined();
  });

  it("names another app's word with the app", () => {
    expect(appClashReason('VIP', { appId: '01A', name: '会员日' })).toContain(
      '"VIP" is already a word of your keyword app "会员日" (01A)',
    );
  });
});

describe('lists and tags', () => {
  it('keeps a list as the tag list:<name>', () => {
    expect(listTag('周末活动')).toBe('list:周末活动');
  });
});

describe('replyProblems', () => {
  it.each(['reply', 'tag', 'join-list'] as const)('a %s app must say something back', (kind) => {
    expect(replyProblems(kind, false)).toEqual([
      { path: 'reply', message: expect.stringContaining(`a ${kind} app`) },
    ]);
    expect(replyProblems(kind, true)).toEqual([]);
  });

  it('a benefit may answer with the standard text, a survey only with its intro', () => {
    expect(replyProblems('grant-benefit', false)).toEqual([]);
    expect(replyProblems('grant-benefit', true)).toEqual([]);
    expect(replyProblems('start-survey', false)).toEqual([]);
    expect(replyProblems('start-survey', true)).toEqual([
      { path: 'reply', message: expect.stringContaining('leave reply out') },
    ]);
  });
});

describe('appLang', () => {
  it("answers in the merchant's language when the app is Chinese, else in the member's", () => {
    expect(appLang({ keyword: 'VIP', reply: { text: '欢迎' } }, 'en')).toBe('zh');
    expect(appLang({ keyword: '会员日' }, 'en')).toBe('zh');
    expect(appLang({ keyword: 'VIP', reply: { text: 'Welcome' } }, 'en')).toBe('en');
    expect(appLang({ keyword: 'VIP' }, 'zh')).toBe('zh');
  });
});
