/** Cents of an amount in yuan as typed (up to 2 decimals), exactly: 12.3 → 1230, never 1229.9999. */
export const centsOf = (yuan: number): number => Math.round(yuan * 100);

/** An amount in cents as the merchant reads it: ¥1,234.50. */
export function formatYuan(cents: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: 'CNY' }).format(cents / 100);
}
