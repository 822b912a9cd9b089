import { Card, Table } from 'antd';
import { QueryProblem } from '../../../components/query-problem';
import { useLanguage } from '../../../lib/i18n';
import { formatYuan } from '../../../lib/money';
import { type StoreFiguresRow, useStoreStats } from '../api/stores';

type StoreRow = StoreFiguresRow;

/**
 * The last 30 days at each store (门店日报 summed): purchases and their amount, points, coupons and
 * stored value recorded there. Nothing when the shop has no stores.
 */
export function StoreFigures() {
  const { t, language } = useLanguage();
  const stats = useStoreStats();
  if (stats.error) {
    return (
      <QueryProblem title={t('stores.figuresFailed')} error={stats.error} onRetry={() => stats.refetch()} />
    );
  }
  const stores = stats.data?.storeStats.stores ?? [];
  if (stats.data && stores.length === 0) return null;
  const count = (key: keyof StoreRow['totals']) => ({
    title: t(`stores.${key === 'couponsRedeemed' ? 'coupons' : key}` as 'stores.purchases'),
    key,
    align: 'right' as const,
    render: (_: unknown, store: StoreRow) => store.totals[key].toLocaleString(language),
  });
  const money = (key: 'spendCents' | 'topUpCents' | 'storedValueSpentCents', title: string) => ({
    title,
    key,
    align: 'right' as const,
    render: (_: unknown, store: StoreRow) => formatYuan(store.totals[key], language),
  });
  return (
    <Card size="small" title={t('stores.figures')}>
      <Table<StoreRow>
        rowKey="storeId"
        size="small"
        loading={stats.isLoading}
        dataSource={stores}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('stores.store'), dataIndex: 'name', fixed: 'left' },
          count('purchases'),
          money('spendCents', t('stores.spend')),
          count('pointsEarned'),
          count('pointsRedeemed'),
          count('couponsRedeemed'),
          money('topUpCents', t('stores.topUp')),
          money('storedValueSpentCents', t('stores.storedValueSpent')),
          count('cardUses'),
        ]}
      />
    </Card>
  );
}
