import { Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useLanguage } from '../../../lib/i18n';
import { useStoreName } from '../../stores/api/stores';
import { type LedgerEntry, useLedger } from '../api/get-ledger';
import { ledgerChange } from './ledger-change';

/** The member's ledger, newest first, a page at a time: when, what, how much, and why. */
export function LedgerTable({ phone }: { phone: string }) {
  const { t, language } = useLanguage();
  const pages = useCursorPages();
  const ledger = useLedger(phone, pages.cursor);
  const { storeName, hasStores } = useStoreName();
  if (ledger.isError) {
    return (
      <QueryProblem title={t('member.loadFailed')} error={ledger.error} onRetry={() => ledger.refetch()} />
    );
  }
  const change = (entry: LedgerEntry) => (
    <Typography.Text type={entry.delta < 0 ? 'danger' : 'success'}>
      {ledgerChange(entry, t, language)}
    </Typography.Text>
  );
  return (
    <>
      <Table<LedgerEntry>
        rowKey="entryId"
        size="small"
        pagination={false}
        loading={ledger.isFetching}
        dataSource={ledger.data?.entries}
        locale={{ emptyText: t('ledger.empty') }}
        columns={[
          { title: t('member.at'), dataIndex: 'at', render: (at: string) => dayjs(at).format('MM-DD HH:mm') },
          {
            title: t('ledger.type'),
            dataIndex: 'type',
            render: (type: LedgerEntry['type']) => t(`ledger.type.${type}`),
          },
          { title: t('ledger.change'), key: 'change', render: (_, entry) => change(entry) },
          { title: t('ledger.reason'), dataIndex: 'reason', responsive: ['md'], ellipsis: true },
          ...(hasStores
            ? [
                {
                  title: t('stores.store'),
                  dataIndex: 'storeId',
                  responsive: ['md' as const],
                  render: (storeId?: string) => (storeId ? storeName(storeId) : '—'),
                },
              ]
            : []),
        ]}
      />
      <CursorPager pages={pages} nextCursor={ledger.data?.cursor} loading={ledger.isFetching} />
    </>
  );
}
