import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import type { Member } from '../schemas/member';
import type { Merchant } from '../schemas/merchant';
import { countSegments, type SegmentCount } from './segments';
import { tierName } from './tiers';

/**
 * Merchant texts with `{{variable}}` placeholders, e.g. `{{name}}，您有{{expiring_points}}积分将于
 * {{expiry_date}}到期`. A template is checked when it is saved, so a typo is refused with a reason
 * instead of reaching customers as a literal `{{nmae}}`.
 */
export const templateVariables = [
  'name',
  'points',
  'tier',
  /** Stored value; a number is in cents, as on the member, and shows as yuan: 12345 → 123.45. */
  'balance',
  'expiry_date',
  'expiring_points',
  'merchant',
  'benefit',
  /** Whole years of membership. */
  'years',
  'festival',
  'date',
  /** A count card's name (计次卡), and the uses it has left: the count-card expiry reminder's. */
  'card',
  'uses_left',
] as const;
export type TemplateVariable = (typeof templateVariables)[number];
export type TemplateValues = Partial<Record<TemplateVariable, string | number>>;

export const maxTemplateLength = 500;

/** A template that should have been refused when saved: it has unknown variables or broken braces. */
export class TemplateError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(' | '));
    this.name = 'TemplateError';
  }
}

export const templateSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'template: write the text of the message')
    .max(maxTemplateLength, `template: at most ${maxTemplateLength} characters`)
    .superRefine((text, ctx) => {
      for (const message of parseTemplate(text).problems) ctx.addIssue({ code: 'custom', message });
    }),
);

/**
 * The text a member receives, without the 【signature】 (the sender adds it). Values are inserted
 * as they are, never read as placeholders themselves. A missing or blank value falls back to
 * `defaults`, then to a neutral word (`neutral`; Chinese when the template has Han characters).
 */
export function renderTemplate(
  template: string,
  values: TemplateValues,
  defaults: TemplateValues = {},
): string {
  const { parts, problems } = parseTemplate(template);
  if (problems.length > 0) throw new TemplateError(problems);
  const chinese = /\p{Script=Han}/u.test(template);
  const text = parts
    .map((part) => (typeof part === 'string' ? part : shownValue(part.variable, values, defaults, chinese)))
    .join('');
  return text.trim();
}

export interface TemplatePreview extends SegmentCount {
  /** The text as the handset shows it, signature first. */
  text: string;
}

/**
 * What a member would receive, signed as the sender signs it, and what it costs in parts. A
 * 【】 signature is outside GSM-7, so every signed text goes as UCS-2 (70 characters a single part).
 */
export function previewTemplate(
  template: string,
  values: TemplateValues,
  signature: string,
): TemplatePreview {
  const text = `${signature}${renderTemplate(template, values)}`;
  return { text, ...countSegments(text) };
}

type Part = string | { variable: TemplateVariable };

function parseTemplate(text: string): { parts: Part[]; problems: string[] } {
  const parts: Part[] = [];
  const problems = new Set<string>();
  let literalStart = 0;
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    const close = text.indexOf('}}', at);
    if (close !== -1 && (open === -1 || close < open)) {
      problems.add(`unmatched }} at character ${characterNumber(text, close)}`);
      at = close + 2;
      continue;
    }
    if (open === -1) break;
    const end = text.indexOf('}}', open + 2);
    const nested = text.indexOf('{{', open + 2);
    if (end === -1 || (nested !== -1 && nested < end)) {
      problems.add(`unclosed {{ at character ${characterNumber(text, open)}`);
      at = open + 2;
      continue;
    }
    const name = text.slice(open + 2, end).trim();
    if (isTemplateVariable(name)) {
      parts.push(text.slice(literalStart, open), { variable: name });
      literalStart = end + 2;
    } else if (name === '') {
      problems.add(`empty {{}} at character ${characterNumber(text, open)}`);
    } else {
      problems.add(`unknown variable {{${name}}}; known: ${templateVariables.join(', ')}`);
    }
    at = end + 2;
  }
  parts.push(text.slice(literalStart));
  return { parts, problems: [...problems] };
}

function isTemplateVariable(name: string): name is TemplateVariable {
  return (templateVariables as readonly string[]).includes(name);
}

/** Position as a merchant counts it: from 1, an emoji or a Han character being one character. */
function characterNumber(text: string, index: number): number {
  return [...text.slice(0, index)].length + 1;
}

/**
 * What a missing value reads as: never nothing, which leaves a sentence with a gap (`您的等级是，积分0`).
 * Numbers read 0; words read as a neutral word that fits where the value would stand.
 */
const neutral: Record<TemplateVariable, { zh: string; en: string }> = {
  name: { zh: '会员', en: 'member' },
  tier: { zh: '会员', en: 'member' },
  points: { zh: '0', en: '0' },
  expiring_points: { zh: '0', en: '0' },
  years: { zh: '0', en: '0' },
  balance: { zh: '0.00', en: '0.00' },
  expiry_date: { zh: '近期', en: 'soon' },
  merchant: { zh: '本店', en: 'us' },
  benefit: { zh: '会员礼遇', en: 'a member benefit' },
  festival: { zh: '节日', en: 'holiday' },
  date: { zh: '今天', en: 'today' },
  card: { zh: '次卡', en: 'count card' },
  uses_left: { zh: '0', en: '0' },
};

function shownValue(
  variable: TemplateVariable,
  values: TemplateValues,
  defaults: TemplateValues,
  chinese: boolean,
): string {
  const value = [values[variable], defaults[variable]].find(
    (v) => v !== undefined && String(v).trim() !== '',
  );
  if (variable === 'balance' && typeof value === 'number') return (value / 100).toFixed(2);
  if (value !== undefined) return String(value);
  return neutral[variable][chinese ? 'zh' : 'en'];
}

/**
 * A member's values for a template's placeholders on a date (the merchant's), the same for care
 * texts, reminders and campaigns; without a member (a campaign's test phone), the merchant and the
 * date only.
 */
export function memberTemplateValues(
  member: Pick<Member, 'name' | 'points' | 'tier' | 'storedValue'> | undefined,
  merchant: Pick<Merchant, 'name' | 'loyalty'>,
  date: string,
): TemplateValues {
  return member
    ? {
        name: member.name ?? '',
        points: member.points,
        tier: tierName(member.tier, merchant.loyalty.tiers) ?? '',
        balance: member.storedValue,
        merchant: merchant.name,
        date,
      }
    : { merchant: merchant.name, date };
}
