import { Card, Col, Empty, List, Row, Skeleton, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense } from 'react';
import { useT } from '../../../lib/i18n';
import type { QuestionResult, SurveyResults as Results } from '../api/surveys';

// ECharts loads after the figures show: the page's own code stays small.
const BarChart = lazy(() => import('../../../components/bar-chart').then((m) => ({ default: m.BarChart })));

const chartFallback = <Skeleton.Node active style={{ width: '100%', height: 200 }} />;

/** A survey's results so far: who it reached and answered, then each question's answers. */
export function SurveyResults({ results }: { results: Results }) {
  const t = useT();
  const figures = [
    { key: 'reached', value: results.reached },
    { key: 'respondents', value: results.respondents },
    { key: 'completed', value: results.completed },
  ] as const;
  return (
    <>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('surveys.responseRate')}
              value={(results.responseRate * 100).toFixed(1)}
              suffix="%"
            />
          </Card>
        </Col>
        {figures.map(({ key, value }) => (
          <Col xs={12} md={6} key={key}>
            <Card size="small">
              <Statistic title={t(`surveys.${key}`)} value={value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Text type="secondary">
        {t('surveys.reachedHow', { sent: results.sent, keyword: results.startedByKeyword })}
      </Typography.Text>
      {results.questions.map((question) => (
        <QuestionCard key={question.number} question={question} />
      ))}
    </>
  );
}

function QuestionCard({ question }: { question: QuestionResult }) {
  const t = useT();
  const title = `${t('surveys.questionNumber', { n: question.number })} · ${question.prompt}`;
  return (
    <section aria-label={t('surveys.questionNumber', { n: question.number })}>
      <Card
        size="small"
        title={<Typography.Text style={{ whiteSpace: 'normal' }}>{title}</Typography.Text>}
        extra={
          <Typography.Text type="secondary">
            {t('surveys.answeredSkipped', { answered: question.answered, skipped: question.skipped })}
          </Typography.Text>
        }
      >
        {question.kind === 'choice' && (
          <Suspense fallback={chartFallback}>
            <BarChart
              label={t('surveys.choiceChart', { n: question.number })}
              horizontal
              height={Math.max(120, 40 * question.options.length + 24)}
              categories={question.options.map((option) => `${option.label}. ${option.text}`)}
              series={[
                { name: t('surveys.members'), values: question.options.map((option) => option.count) },
              ]}
            />
          </Suspense>
        )}
        {question.kind === 'rating' && (
          <Row gutter={[16, 16]} align="middle">
            <Col xs={24} sm={6}>
              <Statistic
                title={t('surveys.average')}
                value={question.average === null ? '—' : question.average.toFixed(2)}
                suffix={question.average === null ? undefined : '/ 5'}
              />
            </Col>
            <Col xs={24} sm={18}>
              <Suspense fallback={chartFallback}>
                <BarChart
                  label={t('surveys.ratingChart', { n: question.number })}
                  height={200}
                  categories={['1', '2', '3', '4', '5'].map((score) => t('surveys.score', { score }))}
                  series={[{ name: t('surveys.members'), values: question.distribution }]}
                />
              </Suspense>
            </Col>
          </Row>
        )}
        {question.kind === 'text' &&
          (question.answers.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('surveys.noAnswers')} />
          ) : (
            <List
              size="small"
              dataSource={question.answers}
              renderItem={(item) => (
                <List.Item>
                  <List.Item.Meta
                    title={<span style={{ wordBreak: 'break-word' }}>{item.text}</span>}
                    description={`${item.phone} · ${dayjs(item.answeredAt).format('YYYY-MM-DD HH:mm')}`}
                  />
                </List.Item>
              )}
            />
          ))}
      </Card>
    </section>
  );
}
