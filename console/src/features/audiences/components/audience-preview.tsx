import { Card, Flex, Statistic, Table, Typography } from 'antd';
import { ApiProblem } from '../../../components/api-problem';
import { useT } from '../../../lib/i18n';
import type { Preview } from '../api/audiences';

/**
 * Who the definition holds now, as the API counts them: the members, those a marketing text would
 * reach, and a few of them. Says so when the definition is not finished yet.
 */
export function AudiencePreview({
  preview,
  loading,
  error,
  ready,
  tierNames,
}: {
  tierNames?: Record<string, string>;
  preview: Preview | undefined;
  loading: boolean;
  error: unknown;
  ready: boolean;
}) {
  const t = useT();
  return (
    <Card title={t('audiences.preview')} size="small" loading={ready && !preview && loading && !error}>
      {!ready ? (
        <Typography.Text type="secondary">{t('audiences.previewWaits')}</Typography.Text>
      ) : error ? (
        <ApiProblem title={t('audiences.previewFailed')} error={error} />
      ) : (
        preview && (
          <Flex vertical gap={12} aria-busy={loading}>
            <Flex gap={24} wrap>
              <div role="status" aria-label={t('audiences.count')}>
                <Statistic title={t('audiences.count')} value={preview.count} />
              </div>
              <Statistic title={t('audiences.reachable')} value={preview.reachable} />
            </Flex>
            <Table
              rowKey="memberId"
              size="small"
              pagination={false}
              dataSource={preview.sample}
              locale={{ emptyText: t('audiences.noSample') }}
              columns={[
                { title: t('audiences.member'), dataIndex: 'name', render: (name?: string) => name ?? '—' },
                { title: t('audiences.phone'), dataIndex: 'phone' },
                {
                  title: t('audiences.tier'),
                  dataIndex: 'tier',
                  responsive: ['sm'],
                  render: (tier?: string) => (tier ? (tierNames?.[tier] ?? tier) : '—'),
                },
              ]}
            />
          </Flex>
        )
      )}
    </Card>
  );
}
