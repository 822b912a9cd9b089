import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useT } from '../../../lib/i18n';
import { type SavedAudience, useAudiences } from '../api/audiences';
import { conditionCount, type DefinitionJson, fromDefinition } from '../tree';

export const audiencePath = (audienceId: string) => `/audiences/${encodeURIComponent(audienceId)}`;

/** The shop's saved audiences, newest first: each opens in the builder, to change or to count again. */
export function AudiencesPage() {
  const t = useT();
  const navigate = useNavigate();
  const pages = useCursorPages();
  const list = useAudiences(pages.cursor);

  if (list.error) {
    return (
      <QueryProblem title={t('audiences.loadFailed')} error={list.error} onRetry={() => list.refetch()} />
    );
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.audiences')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/audiences/new')}>
          {t('audiences.new')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('audiences.about')}</Typography.Text>
      <Table<SavedAudience>
        rowKey="audienceId"
        loading={list.isFetching}
        dataSource={list.data?.audiences}
        pagination={false}
        size="middle"
        locale={{ emptyText: t('audiences.none') }}
        columns={[
          {
            title: t('audiences.name'),
            dataIndex: 'name',
            render: (name: string, audience) => <Link to={audiencePath(audience.audienceId)}>{name}</Link>,
          },
          {
            title: t('audiences.conditions'),
            key: 'conditions',
            render: (_, audience) => conditionCount(fromDefinition(audience.definition as DefinitionJson)),
          },
          {
            title: t('audiences.updatedAt'),
            key: 'updatedAt',
            responsive: ['md'],
            render: (_, audience) =>
              dayjs(audience.updatedAt ?? audience.createdAt).format('YYYY-MM-DD HH:mm'),
          },
        ]}
      />
      <CursorPager pages={pages} nextCursor={list.data?.cursor} loading={list.isFetching} />
    </Flex>
  );
}
