import { type Command, foldKeyword, type KeywordOptions, type Lang, systemKeywordOf } from './keywords';

/**
 * A merchant's keyword apps: words of their own (VIP, 会员日) that members text to be tagged, put on
 * a list, granted a benefit, started on a survey or simply answered. The system keywords come first
 * and cannot be taken, so a word is matched the way readKeyword matches: folded for case and width,
 * as the first word of the text or, for Chinese, as its first characters.
 */

/** Longest keyword or alias, folded. */
export const maxAppWordLength = 20;

/** Aliases one app may have besides its keyword. */
export const maxAliases = 10;

/** What each system keyword does, as a clash's reason names it. */
const commandPurpose: Record<Command, string> = {
  join: 'joining',
  points: 'the points balance',
  claim: 'claiming benefits',
  exchange: 'exchanging points for gifts',
  coupons: "the member's coupons",
  cards: "the member's count cards",
  help: 'the keyword list',
  'opt-out': 'opting out of marketing',
  'opt-in': 'opting back in to marketing',
  complaint: 'complaints',
  feedback: 'feedback',
  suggestion: 'suggestions',
};

export interface AppWords {
  keyword: string;
  aliases: readonly string[];
}

/** The words an app answers to, folded as texts are matched, the keyword first. */
export function appWords({ keyword, aliases }: AppWords): string[] {
  return [...new Set([keyword, ...aliases].map(foldKeyword))];
}

export interface Problem {
  path: string;
  message: string;
}

/** Aliases that are the keyword or another alias once folded: ｖｉｐ and VIP are one word. */
export function repeatedWords({ keyword, aliases }: AppWords): Problem[] {
  const seen = new Map([[foldKeyword(keyword), keyword]]);
  const problems: Problem[] = [];
  for (const [i, alias] of aliases.entries()) {
    const first = seen.get(foldKeyword(alias));
    if (first !== undefined) {
      problems.push({
        path: `aliases.${i}`,
        message: `"${alias}" is the same word as "${first}" once case and width are ignored`,
      });
    } else seen.set(foldKeyword(alias), alias);
  }
  return problems;
}

/**
 * The first of the app's words that a text would never bring to an app, and why: a system keyword,
 * a word starting with a Chinese one (积分兑换 is read as 积分), or one of the merchant's opt-out words.
 */
export function systemClash(
  words: readonly string[],
  options: KeywordOptions,
): { word: string; reason: string } | undefined {
  for (const word of words) {
    const system = systemKeywordOf(word, options);
    if (!system) continue;
    const folded = foldKeyword(word);
    const standard = systemKeywordOf(word);
    const reason = !standard
      ? `"${word}" is one of your opt-out keywords (sending settings)`
      : system.keyword === folded
        ? `"${word}" is the system keyword for ${commandPurpose[system.command]}`
        : `"${word}" starts with the system keyword "${system.keyword}" (${commandPurpose[system.command]}), which takes every text that begins with it`;
    return { word, reason };
  }
  return undefined;
}

/** The reason a word is refused because another of the merchant's apps has it. */
export function appClashReason(word: string, owner: { appId: string; name: string }): string {
  return `"${word}" is already a word of your keyword app "${owner.name}" (${owner.appId}); change or delete that app first`;
}

const han = /^\p{Script=Han}+$/u;

/**
 * The words a text may start an app with, longest first: its first word, and each Chinese prefix of
 * it, since Chinese is typed without a space before what follows (会员日抽奖). A one-character word
 * counts only as the whole text, as for system keywords: "V" may be a keyword, "V neck" is not it.
 */
export function appWordCandidates(text: string): string[] {
  const folded = foldKeyword(text);
  const first = foldKeyword(folded.split(' ')[0] ?? '');
  const chars = [...first];
  const wholeText = first === folded;
  const candidates: string[] = [];
  if (chars.length > 0 && chars.length <= maxAppWordLength && (chars.length > 1 || wholeText)) {
    candidates.push(first);
  }
  for (let length = Math.min(chars.length - 1, maxAppWordLength); length >= 2; length--) {
    const prefix = chars.slice(0, length).join('');
    if (han.test(prefix)) candidates.push(prefix);
  }
  return candidates;
}

/**
 * A list a member joins by keyword is the tag `list:<name>` on the member: it shows on the member,
 * `GET /v1/members?tag=list:<name>` lists it and an audience selects it with `tags contains`, so a
 * list needs no second kind of membership with its own index and audience field.
 */
export const listTag = (list: string) => `list:${list}`;

export type AppActionKind = 'reply' | 'tag' | 'join-list' | 'grant-benefit' | 'start-survey';

/**
 * Whether an app's action and reply go together. Replying, tagging and putting on a list answer with
 * the merchant's reply, which they must give; a benefit answers with the merchant's reply or, without
 * one, the standard "claimed" text (a refusal always says why); a survey answers with its intro.
 */
export function replyProblems(action: AppActionKind, hasReply: boolean): Problem[] {
  if (!hasReply && (action === 'reply' || action === 'tag' || action === 'join-list')) {
    return [
      {
        path: 'reply',
        message: `reply: a ${action} app answers the member; give reply.text or reply.templateId`,
      },
    ];
  }
  if (hasReply && action === 'start-survey') {
    return [
      {
        path: 'reply',
        message: "reply: the survey's intro and first question are the answer; leave reply out",
      },
    ];
  }
  return [];
}

/**
 * The language of the standard texts an app answers with (not a member, a benefit refused): the
 * merchant's own, when the app's reply or keyword is Chinese, else the language the member wrote in.
 */
export function appLang(app: { keyword: string; reply?: { text: string } }, written: Lang): Lang {
  return /\p{Script=Han}/u.test(`${app.keyword}${app.reply?.text ?? ''}`) ? 'zh' : written;
}
