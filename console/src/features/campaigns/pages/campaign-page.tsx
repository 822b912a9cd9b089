import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Descriptions, Flex, Popconfirm, Skeleton, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem } from '../../../components/api-problem';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { audiencePath } from '../../audiences/pages/audiences-page';
import { type Campaign, isLive, useCampaign, useCampaignAction, useCampaignStats } from '../api/campaigns';
import { CampaignFigures } from '../components/campaign-figures';
import { CampaignStatusTag } from '../components/campaign-status';
import { scheduleText } from '../schedule';

type Run = NonNullable<Campaign['runs']>[number];
// ECharts loads after the figures show, as the dashboard's chart does.
const SentChart = lazy(() => import('../components/sent-chart').then((m) => ({ default: m.SentChart })));
/** How long after its last change a campaign's counts are still asked every few seconds. */
const settlingMs = 2 * 60_000;
const at = (iso?: string) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—');

/** One campaign: where it stands, pause / resume / cancel, its outcomes and its runs, refreshing while it sends. */
export function CampaignPage() {
  const t = useT();
  const campaignId = useParams().campaignId ?? '';
  const loaded = useCampaign(campaignId);
  const campaign = loaded.data?.campaign;
  // Counts arrive after a run ends (its texts are sent after they are queued): asked often for a while.
  const changedLately = campaign !== undefined && Date.now() - Date.parse(campaign.updatedAt) < settlingMs;
  const stats = useCampaignStats(campaignId, isLive(campaign?.status) || changedLately);
  const act = useCampaignAction();

  if (loaded.error) {
    return (
      <QueryProblem title={t('campaigns.loadFailed')} error={loaded.error} onRetry={() => loaded.refetch()} />
    );
  }
  if (!campaign) return <PageLoading />;
  const { status } = campaign;
  const action = (name: 'pause' | 'resume' | 'cancel') => act.mutate({ campaignId, action: name });
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Flex align="center" gap={8} wrap>
          <Link to="/campaigns" aria-label={t('campaigns.back')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {campaign.name}
          </Typography.Title>
          <CampaignStatusTag status={status} />
        </Flex>
        <Flex gap={8} wrap>
          {(status === 'scheduled' || status === 'running' || status === 'waiting') && (
            <Button loading={act.isPending} onClick={() => action('pause')}>
              {t('campaigns.pause')}
            </Button>
          )}
          {status === 'paused' && (
            <Button type="primary" loading={act.isPending} onClick={() => action('resume')}>
              {t('campaigns.resume')}
            </Button>
          )}
          {status !== 'completed' && status !== 'cancelled' && status !== 'draft' && (
            <Popconfirm
              title={t('campaigns.cancelConfirm')}
              okText={t('campaigns.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => action('cancel')}
            >
              <Button danger>{t('campaigns.cancel')}</Button>
            </Popconfirm>
          )}
        </Flex>
      </Flex>
      {act.error && <ApiProblem title={t('campaigns.actionFailed')} error={act.error} />}
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t('campaigns.schedule')}>
          {scheduleText(t, campaign.schedule)}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaigns.nextAt')}>{at(campaign.nextAt)}</Descriptions.Item>
        {campaign.waitingReason && (
          <Descriptions.Item label={t('campaigns.waitingReason')}>{campaign.waitingReason}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('campaigns.audience')}>
          {'audienceId' in campaign.audience ? (
            <Link to={audiencePath(campaign.audience.audienceId)}>{t('campaigns.savedAudience')}</Link>
          ) : (
            t('campaigns.ownAudience')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaigns.holdout')}>{campaign.holdoutPercent}%</Descriptions.Item>
      </Descriptions>
      {stats.error ? (
        <ApiProblem title={t('campaigns.statsFailed')} error={stats.error} />
      ) : stats.data ? (
        <>
          <CampaignFigures stats={stats.data.stats} />
          <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 220 }} />}>
            <SentChart minutes={stats.data.stats.sentPerMinute} />
          </Suspense>
        </>
      ) : (
        <PageLoading />
      )}
      <Table<Run>
        rowKey="runId"
        size="small"
        pagination={false}
        title={() => t('campaigns.runs')}
        dataSource={campaign.runs ?? []}
        locale={{ emptyText: t('campaigns.noRuns') }}
        scroll={{ x: true }}
        columns={[
          { title: t('campaigns.run.startedAt'), dataIndex: 'startedAt', render: (v: string) => at(v) },
          {
            title: t('campaigns.run.status'),
            dataIndex: 'status',
            render: (v: Run['status']) => t(`campaigns.run.${v}`),
          },
          { title: t('campaigns.targeted'), dataIndex: 'targeted' },
          { title: t('campaigns.heldOut'), dataIndex: 'heldOut', responsive: ['sm'] },
          {
            title: t('campaigns.run.completedAt'),
            dataIndex: 'completedAt',
            responsive: ['md'],
            render: (v?: string) => at(v),
          },
          {
            title: t('campaigns.run.problem'),
            dataIndex: 'problem',
            responsive: ['md'],
            render: (v?: string) => v ?? '—',
          },
        ]}
      />
    </Flex>
  );
}
