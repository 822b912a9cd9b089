import { Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { type Claim, useClaims } from '../api/get-claims';

/** The benefits the member claimed, newest first, and whether each is still valid. */
export function MemberClaims({ phone }: { phone: string }) {
  const t = useT();
  const claims = useClaims(phone);
  if (claims.isError) {
    return (
      <QueryProblem title={t('member.loadFailed')} error={claims.error} onRetry={() => claims.refetch()} />
    );
  }
  return (
    <Table<Claim>
      rowKey="claimId"
      size="small"
      pagination={false}
      loading={claims.isFetching}
      dataSource={claims.data}
      locale={{ emptyText: t('member.claimsEmpty') }}
      columns={[
        { title: t('member.claimCode'), dataIndex: 'code' },
        { title: t('member.claimValue'), dataIndex: 'value', responsive: ['md'] },
        {
          title: t('member.validUntil'),
          dataIndex: 'validUntil',
          render: (until?: string) => (until ? dayjs(until).format('YYYY-MM-DD') : '—'),
        },
        {
          title: t('member.claimState'),
          dataIndex: 'state',
          render: (state: Claim['state']) => (
            <Tag color={state === 'active' ? 'green' : undefined}>{t(`member.claimState.${state}`)}</Tag>
          ),
        },
      ]}
    />
  );
}
