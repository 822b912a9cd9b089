import { Alert, Card, Flex, Progress, Statistic, Table, Tag, Typography } from 'antd';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { type MemberImport, useImport } from '../api/get-import';

type RefusedRow = NonNullable<MemberImport['errors']>[number];
const countNames = ['rows', 'created', 'updated', 'unchanged', 'failed'] as const;

export const statusColor: Record<MemberImport['status'], string | undefined> = {
  'awaiting-upload': undefined,
  running: 'processing',
  done: 'success',
  failed: 'error',
};

/** An import as it runs: its status and rows read, then its counts and the rows it refused, by row number. */
export function ImportProgress({ importId }: { importId: string }) {
  const t = useT();
  const followed = useImport(importId);
  if (followed.isError) {
    return (
      <QueryProblem
        title={t('imports.loadFailed')}
        error={followed.error}
        onRetry={() => followed.refetch()}
      />
    );
  }
  const memberImport = followed.data;
  if (!memberImport) return <Card loading />;
  const { status, counts } = memberImport;
  return (
    <Card
      title={
        <Flex gap={8} align="center" wrap>
          <Typography.Text>{t('imports.status')}</Typography.Text>
          <Tag color={statusColor[status]}>{t(`imports.status.${status}`)}</Tag>
        </Flex>
      }
    >
      <Flex vertical gap={16}>
        {status === 'running' && (
          <>
            <Progress percent={100} status="active" showInfo={false} />
            <Typography.Text>{t('imports.rowsRead', { rows: memberImport.rowsRead ?? 0 })}</Typography.Text>
          </>
        )}
        {status === 'failed' && (
          <Alert
            type="error"
            showIcon
            title={t('imports.fileFailed', { reason: memberImport.reason ?? '' })}
          />
        )}
        {counts && (
          <Flex gap={24} wrap>
            {countNames.map((name) => (
              <Statistic key={name} title={t(`imports.${name}`)} value={counts[name]} />
            ))}
          </Flex>
        )}
        {memberImport.errors && memberImport.errors.length > 0 && (
          <Table<RefusedRow>
            title={() => t('imports.refused')}
            rowKey="row"
            size="small"
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            dataSource={memberImport.errors}
            columns={[
              { title: t('imports.row'), dataIndex: 'row', width: 72 },
              { title: t('imports.reason'), dataIndex: 'reason' },
            ]}
          />
        )}
      </Flex>
    </Card>
  );
}
