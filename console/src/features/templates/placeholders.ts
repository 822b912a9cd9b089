import type { MessageKey } from '../../lib/i18n';
import type { PlaceholderValues } from './api/templates';

/**
 * Every placeholder the API fills, with its name in the picker and the value the preview shows for
 * it. Keyed by the API's own list (from its OpenAPI document): a placeholder the API adds and this
 * table lacks fails the type check.
 */
export const placeholders: Record<keyof PlaceholderValues, { label: MessageKey; sample: string | number }> = {
  name: { label: 'templates.placeholder.name', sample: '张三' },
  points: { label: 'templates.placeholder.points', sample: 1280 },
  tier: { label: 'templates.placeholder.tier', sample: '金卡' },
  // In cents, as on the member: shown as ¥123.45.
  balance: { label: 'templates.placeholder.balance', sample: 12345 },
  expiry_date: { label: 'templates.placeholder.expiryDate', sample: '2027-06-30' },
  expiring_points: { label: 'templates.placeholder.expiringPoints', sample: 200 },
  merchant: { label: 'templates.placeholder.merchant', sample: '本店' },
  benefit: { label: 'templates.placeholder.benefit', sample: '生日蛋糕券' },
  years: { label: 'templates.placeholder.years', sample: 3 },
  festival: { label: 'templates.placeholder.festival', sample: '中秋节' },
  date: { label: 'templates.placeholder.date', sample: '2027-09-15' },
  card: { label: 'templates.placeholder.card', sample: '洗车10次卡' },
  uses_left: { label: 'templates.placeholder.usesLeft', sample: 4 },
};

export type Placeholder = keyof typeof placeholders;

/** The values the preview fills a text with. */
export const sampleValues = Object.fromEntries(
  Object.entries(placeholders).map(([name, { sample }]) => [name, sample]),
) as PlaceholderValues;

/** `text` with `{{name}}` put where the cursor stood (or replacing what was selected). */
export function insertPlaceholder(
  text: string,
  name: Placeholder,
  selection: { start: number; end: number } = { start: text.length, end: text.length },
): { text: string; cursor: number } {
  const token = `{{${name}}}`;
  return {
    text: text.slice(0, selection.start) + token + text.slice(selection.end),
    cursor: selection.start + token.length,
  };
}
