import { Card, Col, Flex, Row, Skeleton, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { QueryProblem } from '../../../components/query-problem';
import { useLanguage } from '../../../lib/i18n';
import { StoreFigures } from '../../stores/components/store-figures';
import { useDailyStats } from '../api/get-daily-stats';
import { useStatsNow } from '../api/get-stats-now';
import { FigureCard } from '../components/figure-card';
import { monthStart, sums } from '../figures';

// ECharts is most of this page's code: the figures show while it loads.
const DailyChart = lazy(() => import('../components/daily-chart').then((m) => ({ default: m.DailyChart })));

/** An amount in fen (tenths of a fen included) as yuan: ¥12.35. */
const yuan = (fen: number, language: string) =>
  new Intl.NumberFormat(language, { style: 'currency', currency: 'CNY' }).format(fen / 100);

/**
 * The shop in numbers: members, opt-outs, texts and their cost, open tickets and running campaigns,
 * and the last 30 days drawn. Figures come from the API's counters: nothing is counted here.
 */
export function DashboardPage() {
  const { t, language } = useLanguage();
  const now = useStatsNow();
  const recent = useDailyStats();
  // The 30 days cover the month up to today but on the 31st: then the month is asked for on its own.
  const today = recent.data?.at(-1)?.date;
  const firstDay = recent.data?.[0]?.date;
  const monthFrom = today && monthStart(today);
  const monthMissing = !!monthFrom && !!firstDay && monthFrom < firstDay;
  const month = useDailyStats(
    monthMissing && today && monthFrom ? { from: monthFrom, to: today } : undefined,
    monthMissing,
  );

  const failed = now.error ?? recent.error ?? month.error;
  if (failed) {
    const retry = () => Promise.all([now.refetch(), recent.refetch(), monthMissing && month.refetch()]);
    return <QueryProblem title={t('dashboard.loadFailed')} error={failed} onRetry={retry} />;
  }
  const days = recent.data;
  const monthDays = monthMissing ? month.data : days?.filter((day) => monthFrom && day.date >= monthFrom);
  if (!now.data || !days || !monthDays) return <Skeleton active paragraph={{ rows: 8 }} />;
  const figures = sums(days, monthDays);
  const cards = [
    {
      title: t('dashboard.members'),
      value: now.data.members,
      note: t('dashboard.newThisWeek', { n: figures.joinsThisWeek }),
    },
    {
      title: t('dashboard.optOutsThisMonth'),
      value: figures.optOutsThisMonth,
      note: t('dashboard.today', { n: figures.optOutsToday }),
    },
    {
      title: t('dashboard.textsToday'),
      value: figures.textsToday,
      note: t('dashboard.cost', { cost: yuan(figures.costFenToday, language) }),
    },
    {
      title: t('dashboard.textsThisMonth'),
      value: figures.textsThisMonth,
      note: t('dashboard.cost', { cost: yuan(figures.costFenThisMonth, language) }),
    },
    { title: t('dashboard.openTickets'), value: now.data.openTickets },
    { title: t('dashboard.runningCampaigns'), value: now.data.runningCampaigns },
  ];
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('menu.dashboard')}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        {cards.map((card) => (
          <Col key={card.title} xs={12} md={8} xl={4}>
            <FigureCard {...card} />
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('dashboard.last30Days')}>
        <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 300 }} />}>
          <DailyChart days={days} />
        </Suspense>
      </Card>
      <StoreFigures />
    </Flex>
  );
}
