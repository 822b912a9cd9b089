import { Alert, Descriptions, Flex, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { type Consent, useConsent } from '../api/get-consent';

type ConsentRecord = Consent['records'][number];
type SuppressionEvent = Consent['suppressionHistory'][number];
const when = (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm');

/** Whether the member takes marketing texts, the proof of each change, and complaints holding them back. */
export function MemberConsent({ phone }: { phone: string }) {
  const t = useT();
  const consent = useConsent(phone);
  if (consent.isError) {
    return (
      <QueryProblem title={t('member.loadFailed')} error={consent.error} onRetry={() => consent.refetch()} />
    );
  }
  const data = consent.data;
  return (
    <Flex vertical gap={16}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('member.marketing')}>
          {data && (
            <Tag color={data.status === 'subscribed' ? 'green' : undefined}>
              {t(`member.marketing.${data.status}`)}
            </Tag>
          )}
        </Descriptions.Item>
      </Descriptions>
      {data?.suppression && (
        <Alert
          type="warning"
          showIcon
          title={t('member.suppressed')}
          description={`${when(data.suppression.at)} · ${data.suppression.source}`}
        />
      )}
      <Table<ConsentRecord>
        title={() => t('member.records')}
        rowKey="ref"
        size="small"
        pagination={false}
        loading={consent.isFetching}
        dataSource={data?.records}
        locale={{ emptyText: t('member.recordsEmpty') }}
        columns={[
          { title: t('member.at'), dataIndex: 'changedAt', render: when },
          {
            title: t('member.marketing'),
            dataIndex: 'status',
            render: (status: ConsentRecord['status']) => t(`member.marketing.${status}`),
          },
          { title: t('member.channel'), dataIndex: 'channel', responsive: ['md'] },
          { title: t('member.source'), dataIndex: 'source', ellipsis: true },
        ]}
      />
      {data && data.suppressionHistory.length > 0 && (
        <Table<SuppressionEvent>
          title={() => t('member.suppressionHistory')}
          rowKey={(event) => `${event.event}-${event.ref}`}
          size="small"
          pagination={false}
          dataSource={data.suppressionHistory}
          columns={[
            { title: t('member.at'), dataIndex: 'at', render: when },
            {
              title: t('member.source'),
              key: 'source',
              render: (_, event) => ('source' in event ? event.source : event.note),
            },
          ]}
        />
      )}
    </Flex>
  );
}
