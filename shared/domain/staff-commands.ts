import type { CardSelector } from './count-cards';
import { readCouponCode } from './coupons';
import {
  type Lang,
  maxInboundTextLength,
  normalizeText,
  toSimplified,
  trailingPunctuation,
} from './keywords';
import { maxCentsPerOperation } from './ledger';
import { toMobileE164 } from './phone';
import type { Role } from './staff';

/**
 * What a member of staff asks for by text from their own phone, at the counter: earn points for a
 * purchase, redeem a coupon, look a member up, top up stored value, today's figures, the list of
 * commands. Read as customer keywords are (case, full width, spaces, trailing punctuation and
 * traditional characters: 核銷 is 核销), then strictly: a command that does not have exactly its
 * arguments, each well formed, is `malformed` and does nothing but answer with its usage.
 *
 * The grammar, one command a text, arguments separated by spaces (or commas):
 *
 *   earn     JF | 加分 | EARN       <mobile> <amount in yuan>   JF 13800138000 88.50
 *   redeem   HX | 核销 | REDEEM     <coupon code>               HX K7MW 3QXR
 *   lookup   CX | 查询 | LOOKUP     <mobile>                    CX 13800138000
 *   top-up   CZ | 充值 | TOPUP      <mobile> <amount in yuan>   CZ 13800138000 200
 *   summary  RB | 日报 | SUMMARY    (nothing)                   RB
 *   use-card CK | 扣次 | CARD       <mobile> [number | name]    CK 13800138000 2
 *   help     帮助 | HELP
 *
 * `JF` is also the customer's points keyword. The two never meet: `JF` alone is always the
 * customer's (a member of staff asking for their own points), `JF` followed by anything from a staff
 * phone is the staff command, and the customer's `积分` is never one (`积分 13800138000 88` asks for
 * the sender's own points). Chinese command words may be followed at once by their argument
 * (`核销K7MW3QXR`); the Latin ones need a space or a comma after them.
 */

export const staffCommandNames = [
  'earn',
  'redeem',
  'lookup',
  'top-up',
  'summary',
  'use-card',
  'help',
] as const;
export type StaffCommandName = (typeof staffCommandNames)[number];
/** The commands that act (every one but help): each has a usage and the roles that may use it. */
export type StaffAction = Exclude<StaffCommandName, 'help'>;

export type StaffCommand =
  | { kind: 'earn'; lang: Lang; phone: string; cents: number }
  | { kind: 'redeem'; lang: Lang; couponCode: string }
  | { kind: 'lookup'; lang: Lang; phone: string }
  | { kind: 'top-up'; lang: Lang; phone: string; cents: number }
  | { kind: 'summary'; lang: Lang }
  /** One use of a count card (计次卡): the member's only card, the n-th of their list, or one by name. */
  | { kind: 'use-card'; lang: Lang; phone: string; card: CardSelector }
  | { kind: 'help'; lang: Lang }
  /** A command word with arguments missing, too many, or one that is not what it should be. */
  | { kind: 'malformed'; lang: Lang; command: StaffAction; problem: MalformedPart };

/** What was wrong: the arguments as a whole (`format`), or one of them. */
export type MalformedPart = 'format' | 'phone' | 'amount' | 'code';

interface Word {
  command: StaffCommandName;
  lang: Lang;
}

/** The command words, folded (upper case, simplified). */
export const staffCommandWords: Readonly<Record<string, Word>> = {
  JF: { command: 'earn', lang: 'zh' },
  加分: { command: 'earn', lang: 'zh' },
  EARN: { command: 'earn', lang: 'en' },
  HX: { command: 'redeem', lang: 'zh' },
  核销: { command: 'redeem', lang: 'zh' },
  REDEEM: { command: 'redeem', lang: 'en' },
  CX: { command: 'lookup', lang: 'zh' },
  查询: { command: 'lookup', lang: 'zh' },
  LOOKUP: { command: 'lookup', lang: 'en' },
  CZ: { command: 'top-up', lang: 'zh' },
  充值: { command: 'top-up', lang: 'zh' },
  TOPUP: { command: 'top-up', lang: 'en' },
  RB: { command: 'summary', lang: 'zh' },
  日报: { command: 'summary', lang: 'zh' },
  SUMMARY: { command: 'summary', lang: 'en' },
  CK: { command: 'use-card', lang: 'zh' },
  扣次: { command: 'use-card', lang: 'zh' },
  CARD: { command: 'use-card', lang: 'en' },
  帮助: { command: 'help', lang: 'zh' },
  HELP: { command: 'help', lang: 'en' },
};

/** The words that are also a customer's keyword when they stand alone: the customer's meaning wins. */
const customerWhenAlone = new Set(['JF']);

const chineseWords = Object.keys(staffCommandWords).filter((word) => /^\p{Script=Han}+$/u.test(word));

/**
 * Who may use each command: the same roles as the API route that does the same (earn and top-up as
 * `POST /v1/members/{phone}/points` and `…/stored-value/top-up`, redeem as
 * `POST /v1/coupons/{code}/redeem`, lookup as `GET /v1/members/{phone}`, the summary as
 * `GET /v1/stats/daily`); test/unit/domain/staff-commands.test.ts holds the two tables together.
 */
export const staffCommandRoles: Readonly<Record<StaffAction, readonly Role[]>> = {
  earn: ['owner', 'marketing', 'cashier'],
  redeem: ['owner', 'marketing', 'cashier'],
  lookup: ['owner', 'marketing', 'cashier'],
  'top-up': ['owner'],
  summary: ['owner', 'marketing', 'cashier'],
  'use-card': ['owner', 'marketing', 'cashier'],
};

/** Whether a member of staff in `role` may use the command. */
export function mayUse(role: Role, command: StaffAction): boolean {
  return staffCommandRoles[command].includes(role);
}

const argumentSeparators = /[\s,，、;；:：]+/u;

/**
 * The staff command a text is, or undefined when it is none (it is then read as a customer's text).
 * `defaultCountry` reads a mobile number written without its country code, as the merchant's.
 */
export function readStaffCommand(text: string, defaultCountry: string): StaffCommand | undefined {
  if (text.length > maxInboundTextLength) return undefined;
  const normal = toSimplified(normalizeText(text).replace(trailingPunctuation, ''));
  const match = matchWord(normal);
  if (!match) return undefined;
  const { word, args } = match;
  const { command, lang } = staffCommandWords[word] as Word;
  if (args.length === 0 && customerWhenAlone.has(word)) return undefined;
  if (command === 'help') return { kind: 'help', lang };
  const malformed = (problem: MalformedPart): StaffCommand => ({ kind: 'malformed', lang, command, problem });
  switch (command) {
    case 'earn':
    case 'top-up': {
      if (args.length !== 2) return malformed('format');
      const [phoneText = '', amountText = ''] = args;
      const phone = toMobileE164(phoneText, defaultCountry);
      if (!phone.ok) return malformed('phone');
      const cents = readYuan(amountText);
      if (cents === undefined) return malformed('amount');
      return { kind: command, lang, phone: phone.phone, cents };
    }
    case 'lookup': {
      if (args.length !== 1) return malformed('format');
      const phone = toMobileE164(args[0] ?? '', defaultCountry);
      return phone.ok ? { kind: 'lookup', lang, phone: phone.phone } : malformed('phone');
    }
    case 'redeem': {
      if (args.length === 0) return malformed('format');
      // People read a code in groups: `HX K7MW 3QXR` is one code.
      const couponCode = readCouponCode(args.join(''));
      return couponCode ? { kind: 'redeem', lang, couponCode } : malformed('code');
    }
    case 'summary':
      return args.length === 0 ? { kind: 'summary', lang } : malformed('format');
    case 'use-card': {
      const [phoneText, ...rest] = args;
      if (!phoneText) return malformed('format');
      const phone = toMobileE164(phoneText, defaultCountry);
      if (!phone.ok) return malformed('phone');
      return { kind: 'use-card', lang, phone: phone.phone, card: readCardSelector(rest) };
    }
  }
}

/** The command word a text starts with, and the arguments after it. */
function matchWord(normal: string): { word: string; args: string[] } | undefined {
  const end = normal.search(argumentSeparators);
  const first = end === -1 ? normal : normal.slice(0, end);
  const upper = first.replace(trailingPunctuation, '').toUpperCase();
  if (staffCommandWords[upper]) return { word: upper, args: splitArgs(normal.slice(first.length)) };
  const chinese = chineseWords.find((word) => normal.startsWith(word));
  if (!chinese) return undefined;
  return { word: chinese, args: splitArgs(normal.slice(chinese.length)) };
}

const splitArgs = (text: string) => text.split(argumentSeparators).filter(Boolean);

/**
 * An amount in yuan as cents: `88`, `88.5`, `88.50`, `¥88`, `88元`. Undefined for anything else, for
 * nothing (0), and beyond what one ledger operation may move.
 */
export function readYuan(text: string): number | undefined {
  const parts = /^[¥$]?(\d{1,9})(?:\.(\d{1,2}))?(?:元|块|RMB|CNY)?$/iu.exec(text.normalize('NFKC'));
  if (!parts) return undefined;
  const cents = Number(parts[1]) * 100 + Number((parts[2] ?? '').padEnd(2, '0'));
  return cents > 0 && cents <= maxCentsPerOperation ? cents : undefined;
}

/**
 * Which card `CK <mobile> …` means: nothing more (the member's only card), a number (the n-th card of
 * the list the first reply showed), or anything else as (part of) the card's name.
 */
function readCardSelector(words: readonly string[]): CardSelector {
  if (words.length === 0) return { kind: 'only' };
  const [first = ''] = words;
  if (words.length === 1 && /^\d{1,3}$/.test(first) && Number(first) > 0)
    return { kind: 'number', number: Number(first) };
  return { kind: 'name', name: words.join(' ') };
}
