import { Button, Card, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import type { MemberImport } from '../api/get-import';
import { useImports } from '../api/list-imports';
import { statusColor } from './import-progress';

type ListedImport = Omit<MemberImport, 'errors'>;

/** The latest imports, each to open. */
export function RecentImports({ onOpen }: { onOpen: (importId: string) => void }) {
  const t = useT();
  const imports = useImports();
  return (
    <Card title={t('imports.recent')}>
      {imports.isError ? (
        <QueryProblem
          title={t('imports.loadFailed')}
          error={imports.error}
          onRetry={() => imports.refetch()}
        />
      ) : (
        <Table<ListedImport>
          rowKey="importId"
          size="small"
          pagination={false}
          loading={imports.isFetching}
          dataSource={imports.data?.imports}
          locale={{ emptyText: t('imports.recentEmpty') }}
          columns={[
            {
              title: t('imports.createdAt'),
              dataIndex: 'createdAt',
              render: (at: string) => dayjs(at).format('MM-DD HH:mm'),
            },
            {
              title: t('imports.status'),
              dataIndex: 'status',
              render: (status: ListedImport['status']) => (
                <Tag color={statusColor[status]}>{t(`imports.status.${status}`)}</Tag>
              ),
            },
            {
              title: t('imports.failed'),
              key: 'failed',
              responsive: ['sm'],
              render: (_, row) => row.counts?.failed,
            },
            {
              key: 'open',
              render: (_, row) => (
                <Button type="link" size="small" onClick={() => onOpen(row.importId)}>
                  {t('imports.view')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
