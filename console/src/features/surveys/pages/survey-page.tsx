import { ArrowLeftOutlined, SendOutlined } from '@ant-design/icons';
import { Button, Descriptions, Flex, Popconfirm, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useParams } from 'react-router';
import { ApiProblem } from '../../../components/api-problem';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { useCloseSurvey, useSurvey, useSurveyResults } from '../api/surveys';
import { SurveyResults } from '../components/survey-results';
import { SurveyStatusTag } from './surveys-page';

/** Where the campaign composer opens with the survey as what the campaign sends. */
export const sendSurveyPath = (surveyId: string) => `/campaigns/new?survey=${encodeURIComponent(surveyId)}`;

/** One survey: its texts, sending it as a campaign, closing it, and its results as they come in. */
export function SurveyPage() {
  const t = useT();
  const surveyId = useParams().surveyId ?? '';
  const loaded = useSurvey(surveyId);
  const survey = loaded.data?.survey;
  const results = useSurveyResults(surveyId, survey?.status === 'open');
  const close = useCloseSurvey();

  if (loaded.error) {
    return (
      <QueryProblem title={t('surveys.loadFailed')} error={loaded.error} onRetry={() => loaded.refetch()} />
    );
  }
  if (!survey) return <PageLoading />;
  const open = survey.status === 'open';
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Flex align="center" gap={8} wrap>
          <Link to="/surveys" aria-label={t('surveys.back')}>
            <ArrowLeftOutlined />
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {survey.name}
          </Typography.Title>
          <SurveyStatusTag status={survey.status} />
        </Flex>
        {open && (
          <Flex gap={8} wrap>
            <Link to={sendSurveyPath(survey.surveyId)}>
              <Button type="primary" icon={<SendOutlined />}>
                {t('surveys.send')}
              </Button>
            </Link>
            <Popconfirm
              title={t('surveys.closeConfirm')}
              okText={t('surveys.close')}
              okButtonProps={{ danger: true }}
              onConfirm={() => close.mutateAsync(survey.surveyId).catch(() => undefined)}
            >
              <Button danger loading={close.isPending}>
                {t('surveys.close')}
              </Button>
            </Popconfirm>
          </Flex>
        )}
      </Flex>
      {close.error && <ApiProblem title={t('surveys.closeFailed')} error={close.error} />}
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('surveys.intro')}>{survey.intro}</Descriptions.Item>
        <Descriptions.Item label={t('surveys.thankYou')}>{survey.thankYou}</Descriptions.Item>
      </Descriptions>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
        <Descriptions.Item label={t('surveys.expiresAfterDays')}>
          {t('surveys.daysCount', { n: survey.expiresAfterDays })}
        </Descriptions.Item>
        <Descriptions.Item label={t('surveys.createdAt')}>
          {dayjs(survey.createdAt).format('YYYY-MM-DD HH:mm')}
        </Descriptions.Item>
        {survey.closedAt && (
          <Descriptions.Item label={t('surveys.closedAt')}>
            {dayjs(survey.closedAt).format('YYYY-MM-DD HH:mm')}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('surveys.campaigns')}>{survey.campaignIds.length}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('surveys.results')}
      </Typography.Title>
      {results.error ? (
        <ApiProblem title={t('surveys.resultsFailed')} error={results.error} />
      ) : results.data ? (
        <SurveyResults results={results.data.results} />
      ) : (
        <PageLoading />
      )}
    </Flex>
  );
}
