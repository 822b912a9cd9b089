import { nameProblem } from './member-name';

/**
 * What a customer's text asks for. Customers type on phones in every input mode, so matching
 * ignores case, full-width forms (ＪＯＩＮ, １９９０), extra or ideographic spaces, trailing
 * punctuation and traditional characters (積分 is 积分). Pure: the caller passes today's date in the
 * merchant's time zone.
 */

export type Lang = 'zh' | 'en';

export type Intent =
  /**
   * `referrer`: the phone written after 推荐 (REF), as written (digits only, `''` when nothing readable
   * followed): the member who brought this one (推荐有礼).
   */
  | { kind: 'join'; lang: Lang; name?: string; birthday?: string; referrer?: string }
  | { kind: 'join-invalid'; lang: Lang; problem: 'birthday' | 'name' }
  | { kind: 'points'; lang: Lang }
  /** Claim a benefit by its code; without a code, the member is told what they can claim. */
  | { kind: 'claim'; lang: Lang; code?: string }
  /**
   * Exchange points for a benefit priced in points (兑换 code); without a code, what the member can
   * exchange now. `unreadable`: something followed that is no benefit code (兑换 @@).
   */
  | { kind: 'exchange'; lang: Lang; code?: string; unreadable?: true }
  /** The member's coupons they can still use: each claim's name, redemption code and end. */
  | { kind: 'coupons'; lang: Lang }
  | { kind: 'help'; lang: Lang }
  /** `keyword`: the word read, folded (`TD`, `退订`, a merchant's own word), for the consent record. */
  | { kind: 'opt-out'; lang: Lang; keyword: string }
  | { kind: 'opt-in'; lang: Lang; keyword: string }
  /** 投诉 or 举报, with or without what follows: marketing stops until a person has dealt with it. */
  | { kind: 'complaint'; lang: Lang }
  /** 反馈, FK, FEEDBACK or 建议 and what the member has to say (empty when they said nothing more). */
  | { kind: 'feedback'; lang: Lang; type: 'feedback' | 'suggestion'; text: string }
  /** Longer than any keyword text; nothing in it is acted on. */
  | { kind: 'too-long'; lang: Lang }
  | { kind: 'unknown'; lang: Lang };

/** What a system keyword does; a merchant's keyword app cannot take a word that reads as one. */
export type Command =
  | 'join'
  | 'points'
  | 'claim'
  | 'exchange'
  | 'coupons'
  | 'help'
  | 'opt-out'
  | 'opt-in'
  | 'complaint'
  | 'feedback'
  | 'suggestion';

const keywords: Record<string, { command: Command; lang: Lang }> = {
  注册: { command: 'join', lang: 'zh' },
  JOIN: { command: 'join', lang: 'en' },
  积分: { command: 'points', lang: 'zh' },
  JF: { command: 'points', lang: 'zh' },
  POINTS: { command: 'points', lang: 'en' },
  领取: { command: 'claim', lang: 'zh' },
  LQ: { command: 'claim', lang: 'zh' },
  CLAIM: { command: 'claim', lang: 'en' },
  兑换: { command: 'exchange', lang: 'zh' },
  DH: { command: 'exchange', lang: 'zh' },
  EXCHANGE: { command: 'exchange', lang: 'en' },
  券: { command: 'coupons', lang: 'zh' },
  QUAN: { command: 'coupons', lang: 'zh' },
  COUPONS: { command: 'coupons', lang: 'en' },
  帮助: { command: 'help', lang: 'zh' },
  HELP: { command: 'help', lang: 'en' },
  退订: { command: 'opt-out', lang: 'zh' },
  TD: { command: 'opt-out', lang: 'zh' },
  T: { command: 'opt-out', lang: 'zh' },
  N: { command: 'opt-out', lang: 'zh' },
  R: { command: 'opt-out', lang: 'zh' },
  STOP: { command: 'opt-out', lang: 'en' },
  UNSUBSCRIBE: { command: 'opt-out', lang: 'en' },
  订阅: { command: 'opt-in', lang: 'zh' },
  START: { command: 'opt-in', lang: 'en' },
  投诉: { command: 'complaint', lang: 'zh' },
  举报: { command: 'complaint', lang: 'zh' },
  反馈: { command: 'feedback', lang: 'zh' },
  FK: { command: 'feedback', lang: 'zh' },
  FEEDBACK: { command: 'feedback', lang: 'en' },
  建议: { command: 'suggestion', lang: 'zh' },
};

/** Every system keyword as matched (folded): what the folding table must cover. */
export const systemKeywords: readonly string[] = Object.keys(keywords);

/**
 * The traditional forms of the keywords' and staff commands' characters: members in Hong Kong and
 * Taiwan, and phones set to traditional input, write 積分 and 幫助, staff 核銷 and 查詢. One character
 * for one, so what follows a keyword is still found at the same place. Every character of a keyword
 * that has a traditional form is here (test/fuzz/keyword-folding.test.ts checks it).
 */
export const traditionalToSimplified: Readonly<Record<string, string>> = {
  註: '注',
  冊: '册',
  積: '积',
  領: '领',
  幫: '帮',
  訂: '订',
  閱: '阅',
  訴: '诉',
  舉: '举',
  報: '报',
  饋: '馈',
  議: '议',
  銷: '销',
  詢: '询',
  兌: '兑',
  換: '换',
};
const traditional = new RegExp(`[${Object.keys(traditionalToSimplified).join('')}]`, 'gu');

/** The text with every traditional character of a keyword in its simplified form. */
export const toSimplified = (text: string) =>
  text.replace(traditional, (c) => traditionalToSimplified[c] ?? c);

/** Chinese keywords are often typed without a space before what follows: 注册张三. */
const chineseKeywords = Object.keys(keywords).filter((word) => /^\p{Script=Han}+$/u.test(word));

/** Longest name we keep; longer is a typo or abuse, and the customer is asked again. */
export const maxNameLength = 40;

/** The longest inbound text we act on (ten concatenated GSM-7 parts). */
export const maxInboundTextLength = 1600;

export const trailingPunctuation = /[\s.!?,;:~。！？，；：、…]+$/u;

/** Case-, width- and whitespace-insensitive form of a text; control characters become spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]+/gu, ' ')
    .trim();
}

export interface KeywordOptions {
  /**
   * The merchant's own opt-out words (`sending.optOutKeywords`), on top of the standard ones. One
   * opts out only as the whole text (trailing punctuation aside): a merchant's word may be an
   * everyday one, and a customer writing it in a sentence did not ask to opt out.
   */
  optOutKeywords?: readonly string[];
}

/** A keyword as it is matched: folded like a text, upper case, without trailing punctuation. */
export function foldKeyword(word: string): string {
  return normalizeText(word).toUpperCase().replace(trailingPunctuation, '');
}

interface Match {
  command: Command;
  lang: Lang;
  /** The system word matched, folded. */
  keyword: string;
  /** What follows the keyword. */
  args: string;
}

/** The system keyword a text (normalized, without trailing punctuation) starts with, and what follows it. */
function matchKeyword(normal: string): Match | undefined {
  const folded = toSimplified(normal);
  const upper = folded.toUpperCase();
  const [first = '', ...rest] = upper.split(' ');
  const firstWord = first.replace(trailingPunctuation, '');
  const word = keywords[firstWord];
  // A single letter is a keyword only when it is the whole text: "T" opts out, "T shirt" does not.
  if (word && (firstWord.length > 1 || rest.length === 0))
    return { ...word, keyword: firstWord, args: normal.slice(first.length).trim() };
  const prefix = chineseKeywords.find((chinese) => folded.startsWith(chinese));
  const chinese = prefix && keywords[prefix];
  if (!prefix || !chinese) return undefined;
  return { ...chinese, keyword: prefix, args: normal.slice(prefix.length).trim() };
}

export function readKeyword(
  text: string,
  today: string,
  { optOutKeywords = [] }: KeywordOptions = {},
): Intent {
  // Trailing punctuation is never part of a keyword, even after a space: "T ." opts out.
  const normal = normalizeText(text).replace(trailingPunctuation, '');
  const upper = normal.toUpperCase();
  const fallbackLang: Lang = /\p{Script=Han}/u.test(normal) ? 'zh' : 'en';
  if (text.length > maxInboundTextLength) return { kind: 'too-long', lang: fallbackLang };

  const match = matchKeyword(normal);
  if (!match) {
    if (upper !== '' && optOutKeywords.some((word) => foldKeyword(word) === upper))
      return { kind: 'opt-out', lang: fallbackLang, keyword: upper };
    return { kind: 'unknown', lang: fallbackLang };
  }
  const { command, lang, keyword, args } = match;
  if (command === 'join') return readJoin(args.replace(trailingPunctuation, ''), lang, today);
  if (command === 'claim') return readClaim(args.replace(trailingPunctuation, ''), lang);
  if (command === 'exchange') return readExchange(args.replace(trailingPunctuation, ''), lang);
  if (command === 'opt-out' || command === 'opt-in') return { kind: command, lang, keyword };
  if (command === 'feedback' || command === 'suggestion')
    return { kind: 'feedback', lang, type: command, text: args.replace(leadingSeparators, '') };
  return { kind: command, lang };
}

/**
 * Whether the whole text is one system keyword and nothing more (积分, 帮助。, ＨＥＬＰ, 積分): a member
 * writing just that asks for the keyword, even where free text is expected.
 */
export function isExactKeyword(text: string): boolean {
  const match = matchKeyword(normalizeText(text).replace(trailingPunctuation, ''));
  return match !== undefined && match.args === '';
}

/** "反馈：菜太咸" — what a member writes between the keyword and their words. */
const leadingSeparators = /^[\s:：,，、;；.。\-—~]+/u;

/**
 * The system keyword a merchant's word would be read as, and what it does; undefined when the word
 * is free. A word is taken when a text of just that word would not reach a keyword app: it is a
 * system keyword, starts with a Chinese one (积分兑换 reads as 积分), or is one of the merchant's own
 * opt-out words. Folded as texts are: ＶＩＰ, vip and VIP are one word.
 */
export function systemKeywordOf(
  word: string,
  { optOutKeywords = [] }: KeywordOptions = {},
): { keyword: string; command: Command } | undefined {
  const folded = foldKeyword(word);
  const match = matchKeyword(normalizeText(word).replace(trailingPunctuation, ''));
  if (match) return { keyword: match.keyword, command: match.command };
  const optOut = optOutKeywords.find((own) => foldKeyword(own) === folded);
  return optOut === undefined ? undefined : { keyword: folded, command: 'opt-out' };
}

/** 推荐 (推薦) or REF, and the referrer's phone after it: `注册 张三 推荐 13800138000`, `JOIN Tom REF 138…`. */
const referralWord = /(?:推荐|推薦|(?<![\p{L}\p{N}])REF(?![\p{L}]))[\s:：,，、;；]*/iu;

/**
 * The referrer's phone as written after 推荐, and what follows it: the words that read as a phone
 * (digits, maybe a leading + and dashes), taken in turn until they make a whole mobile number (11
 * digits, 13 with a +86-style country code), so a birthday after the phone stays the birthday.
 */
function splitReferral(args: string): { rest: string; referrer?: string } {
  const found = referralWord.exec(args);
  if (!found) return { rest: args };
  const before = args.slice(0, found.index).trim();
  const after = args
    .slice(found.index + found[0].length)
    .split(/[\s,，、;；]+/u)
    .filter(Boolean);
  let referrer = '';
  let taken = 0;
  for (const word of after) {
    const digits = referrer.replace(/\D/gu, '').length;
    if (digits >= (referrer.startsWith('+') ? 13 : 11) || !/^\+?\d[\d-]*$/u.test(word)) break;
    if (referrer !== '' && word.startsWith('+')) break;
    referrer += word.replace(/-/gu, '');
    taken += 1;
  }
  return { rest: [before, ...after.slice(taken)].join(' ').trim(), referrer };
}

function readJoin(text: string, lang: Lang, today: string): Intent {
  const { rest: args, referrer } = splitReferral(text);
  const words = args.split(/[\s,，、;；]+/u).filter(Boolean);
  const nameWords: string[] = [];
  let birthday: string | undefined;
  for (const word of words) {
    const date = readDate(word);
    if (date === undefined) {
      nameWords.push(word);
    } else if (date === null || date > today || date < '1900-01-01' || birthday) {
      return { kind: 'join-invalid', lang, problem: 'birthday' };
    } else {
      birthday = date;
    }
  }
  const name = nameWords.join(' ');
  if (name.length > maxNameLength || /[<>{}\\]/.test(name) || nameProblem(name))
    return { kind: 'join-invalid', lang, problem: 'name' };
  return {
    kind: 'join',
    lang,
    ...(name ? { name } : {}),
    ...(birthday ? { birthday } : {}),
    ...(referrer !== undefined ? { referrer } : {}),
  };
}

function readClaim(args: string, lang: Lang): Intent {
  const code = args.split(' ')[0]?.toUpperCase();
  return code && /^[A-Z0-9]{2,20}$/.test(code) ? { kind: 'claim', lang, code } : { kind: 'claim', lang };
}

/** 兑换 alone lists; 兑换 and a code exchanges; anything else after it is read as a code it cannot be. */
function readExchange(args: string, lang: Lang): Intent {
  if (args === '') return { kind: 'exchange', lang };
  const code = args.split(' ')[0]?.toUpperCase() ?? '';
  return /^[A-Z0-9]{2,20}$/.test(code)
    ? { kind: 'exchange', lang, code }
    : { kind: 'exchange', lang, unreadable: true };
}

/**
 * A birthday as YYYY-MM-DD. Accepts 1990-05-01, 1990/5/1, 1990.05.01, 19900501 and 1990年5月1日.
 * Returns undefined when the word is not a date at all, null when it looks like one but is not
 * a real calendar day.
 */
export function readDate(word: string): string | null | undefined {
  const parts =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/u.exec(word) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(word);
  if (!parts) return /^\d[\d\-/.年月日]*$/u.test(word) && /\d{4,}|[-/.年月]/u.test(word) ? null : undefined;
  const [, year, month, day] = parts.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date.toISOString().slice(0, 10);
}
