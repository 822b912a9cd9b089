import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useT } from '../../../lib/i18n';
import { type Campaign, useCampaigns } from '../api/campaigns';
import { CampaignStatusTag } from '../components/campaign-status';
import { scheduleText } from '../schedule';

export const campaignPath = (campaignId: string) => `/campaigns/${encodeURIComponent(campaignId)}`;

/** The shop's campaigns, newest first, with where each stands; the list refreshes while one may send. */
export function CampaignsPage() {
  const t = useT();
  const navigate = useNavigate();
  const pages = useCursorPages();
  const list = useCampaigns(pages.cursor);

  if (list.error) {
    return (
      <QueryProblem title={t('campaigns.loadFailed')} error={list.error} onRetry={() => list.refetch()} />
    );
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.campaigns')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/campaigns/new')}>
          {t('campaigns.new')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('campaigns.about')}</Typography.Text>
      <Table<Campaign>
        rowKey="campaignId"
        loading={list.isLoading}
        dataSource={list.data?.campaigns}
        pagination={false}
        size="middle"
        locale={{ emptyText: t('campaigns.none') }}
        columns={[
          {
            title: t('campaigns.name'),
            dataIndex: 'name',
            render: (name: string, campaign) => <Link to={campaignPath(campaign.campaignId)}>{name}</Link>,
          },
          {
            title: t('campaigns.status'),
            dataIndex: 'status',
            render: (status: Campaign['status']) => <CampaignStatusTag status={status} />,
          },
          {
            title: t('campaigns.schedule'),
            key: 'schedule',
            responsive: ['md'],
            render: (_, campaign) => scheduleText(t, campaign.schedule),
          },
          {
            title: t('campaigns.nextAt'),
            dataIndex: 'nextAt',
            responsive: ['lg'],
            render: (at?: string) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : '—'),
          },
          {
            title: t('campaigns.createdAt'),
            dataIndex: 'createdAt',
            responsive: ['lg'],
            render: (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm'),
          },
        ]}
      />
      <CursorPager pages={pages} nextCursor={list.data?.cursor} loading={list.isFetching} />
    </Flex>
  );
}
