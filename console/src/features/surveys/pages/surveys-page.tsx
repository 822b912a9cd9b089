import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { CursorPager } from '../../../components/cursor-pager';
import { QueryProblem } from '../../../components/query-problem';
import { useCursorPages } from '../../../lib/cursor-pages';
import { useT } from '../../../lib/i18n';
import { type Survey, useSurveys } from '../api/surveys';

export const surveyPath = (surveyId: string) => `/surveys/${encodeURIComponent(surveyId)}`;

export function SurveyStatusTag({ status }: { status: Survey['status'] }) {
  const t = useT();
  return <Tag color={status === 'open' ? 'green' : 'default'}>{t(`surveys.status.${status}`)}</Tag>;
}

/** The shop's surveys, newest first, each open or closed; a new one is built at `/surveys/new`. */
export function SurveysPage() {
  const t = useT();
  const pages = useCursorPages();
  const list = useSurveys(pages.cursor);

  if (list.error) {
    return <QueryProblem title={t('surveys.loadFailed')} error={list.error} onRetry={() => list.refetch()} />;
  }
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.surveys')}
        </Typography.Title>
        <Link to="/surveys/new">
          <Button type="primary" icon={<PlusOutlined />}>
            {t('surveys.new')}
          </Button>
        </Link>
      </Flex>
      <Typography.Text type="secondary">{t('surveys.about')}</Typography.Text>
      <Table<Survey>
        rowKey="surveyId"
        loading={list.isLoading}
        dataSource={list.data?.surveys}
        pagination={false}
        size="middle"
        locale={{ emptyText: t('surveys.none') }}
        columns={[
          {
            title: t('surveys.name'),
            dataIndex: 'name',
            render: (name: string, survey) => <Link to={surveyPath(survey.surveyId)}>{name}</Link>,
          },
          {
            title: t('surveys.status'),
            dataIndex: 'status',
            render: (status: Survey['status']) => <SurveyStatusTag status={status} />,
          },
          {
            title: t('surveys.questions'),
            key: 'questions',
            responsive: ['sm'],
            render: (_, survey) => survey.questions.length,
          },
          {
            title: t('surveys.campaigns'),
            key: 'campaigns',
            responsive: ['md'],
            render: (_, survey) => survey.campaignIds.length,
          },
          {
            title: t('surveys.createdAt'),
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
