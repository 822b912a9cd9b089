import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  readKeyword,
  systemKeywords,
  toSimplified,
  traditionalToSimplified,
} from '../../shared/domain/keywords';
import { readStaffCommand, staffCommandWords } from '../../shared/domain/staff-commands';

/**
 * Traditional characters: every customer keyword and staff command, written in any mix of traditional
 * and simplified characters, acts as its simplified form. Each Chinese word's traditional spelling is
 * written out here, so a new keyword cannot be added without saying how Hong Kong and Taiwan write it.
 */
const traditionalSpelling: Record<string, string> = {
  注册: '註冊',
  积分: '積分',
  领取: '領取',
  兑换: '兌換',
  券: '券',
  帮助: '幫助',
  退订: '退訂',
  订阅: '訂閱',
  投诉: '投訴',
  举报: '舉報',
  反馈: '反饋',
  建议: '建議',
  加分: '加分',
  核销: '核銷',
  查询: '查詢',
  充值: '充值',
  日报: '日報',
  次卡: '次卡',
  扣次: '扣次',
};

const isChinese = (word: string) => /^\p{Script=Han}+$/u.test(word);
const chineseKeywords = systemKeywords.filter(isChinese);
const chineseCommands = Object.keys(staffCommandWords).filter(isChinese);
const today = '2026-11-23';

/** The word with each character in its simplified or traditional form, as `mask` picks. */
const mixed = (word: string, mask: readonly boolean[]) =>
  [...word]
    .map((char, i) => (mask[i] ? ([...(traditionalSpelling[word] ?? word)][i] ?? char) : char))
    .join('');

const spellings = (words: readonly string[]) =>
  fc
    .constantFrom(...words)
    .chain((word) =>
      fc
        .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
        .map((mask) => ({ word, text: mixed(word, mask) })),
    );

describe('the folding table', () => {
  it('spells every Chinese keyword and staff command, one character for one', () => {
    expect(Object.keys(traditionalSpelling).sort()).toEqual(
      [...new Set([...chineseKeywords, ...chineseCommands])].sort(),
    );
    for (const [word, traditional] of Object.entries(traditionalSpelling)) {
      expect([...traditional]).toHaveLength([...word].length);
      expect(toSimplified(traditional)).toBe(word);
    }
  });

  it('holds only characters some keyword needs, each to a character no keyword writes traditionally', () => {
    const needed = new Set(
      Object.entries(traditionalSpelling).flatMap(([word, traditional]) =>
        [...traditional].filter((char, i) => char !== [...word][i]),
      ),
    );
    expect(new Set(Object.keys(traditionalToSimplified))).toEqual(needed);
    for (const simplified of Object.values(traditionalToSimplified))
      expect(traditionalToSimplified[simplified]).toBeUndefined();
  });

  it('leaves every other text as it is, and folds once for all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const folded = toSimplified(text);
        expect(toSimplified(folded)).toBe(folded);
        expect([...folded]).toHaveLength([...text].length);
        if (![...text].some((char) => char in traditionalToSimplified)) expect(folded).toBe(text);
      }),
    );
  });
});

describe('keywords in traditional characters', () => {
  const rest = fc.constantFrom('', ' 张三', ' ROAM90', '。', ' 菜太咸了');

  it('act as their simplified form, in any mix, with whatever follows', () => {
    fc.assert(
      fc.property(spellings(chineseKeywords), rest, ({ word, text }, after) => {
        expect(readKeyword(text + after, today)).toEqual(readKeyword(word + after, today));
      }),
      { numRuns: 400 },
    );
  });

  it('and staff commands too, each with its arguments or none', () => {
    const args = fc.constantFrom('', ' 13800138000 88', ' K7MW3QXR', ' 13800138000', '13800138000,200', ' x');
    fc.assert(
      fc.property(spellings(chineseCommands), args, ({ word, text }, after) => {
        const command = readStaffCommand(text + after, 'CN');
        expect(command).toEqual(readStaffCommand(word + after, 'CN'));
        expect(command).toBeDefined();
      }),
      { numRuns: 400 },
    );
  });
});
