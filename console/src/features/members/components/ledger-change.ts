import type { Translate } from '../../../lib/i18n';
import { formatYuan } from '../../../lib/money';
import type { LedgerEntry } from '../api/get-ledger';

/** An entry's change as the merchant reads it, signed: "+12 积分", "-¥30.00". */
export function ledgerChange(
  entry: Pick<LedgerEntry, 'book' | 'delta'>,
  t: Translate,
  language: string,
): string {
  const sign = entry.delta > 0 ? '+' : '';
  return entry.book === 'points'
    ? t('ledger.pointsUnit', { points: `${sign}${entry.delta}` })
    : `${sign}${formatYuan(entry.delta, language)}`;
}
