import type { Translate } from '../../../lib/i18n';
import { formatYuan } from '../../../lib/money';
import type { LedgerEntry } from '../api/get-ledger';

/**
 * An entry's change as the merchant reads it, signed: "+12 积分", "-¥30.00", and what of a stored-value
 * change was bonus (充值赠送) or handed back: "+¥220.00（含赠送 ¥20.00）".
 */
export function ledgerChange(
  entry: Pick<LedgerEntry, 'book' | 'delta' | 'bonusDelta' | 'refundCents'>,
  t: Translate,
  language: string,
): string {
  const sign = entry.delta > 0 ? '+' : '';
  if (entry.book === 'points') return t('ledger.pointsUnit', { points: `${sign}${entry.delta}` });
  const details = [
    entry.bonusDelta
      ? t('ledger.bonusPart', { cents: formatYuan(Math.abs(entry.bonusDelta), language) })
      : '',
    entry.refundCents !== undefined
      ? t('ledger.refunded', { cents: formatYuan(entry.refundCents, language) })
      : '',
  ].filter(Boolean);
  const change = `${sign}${formatYuan(entry.delta, language)}`;
  return details.length > 0 ? t('ledger.withDetails', { change, details: details.join(', ') }) : change;
}
