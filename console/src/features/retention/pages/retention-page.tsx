import { Flex, Typography } from 'antd';
import { PageLoading } from '../../../components/page-loading';
import { QueryProblem } from '../../../components/query-problem';
import { useT } from '../../../lib/i18n';
import { useRetentionReport, useRetentionRules } from '../api/retention';
import { RulesCard } from '../components/rules-card';
import { RunsCard } from '../components/runs-card';
import { TransitionsCard, ZonesCard } from '../components/zones-card';

/**
 * Retention: members by churn zone now and 30 days before, the zone changes in between, the retention
 * rules with the difference each made against its holdout, and the scoring runs.
 */
export function RetentionPage() {
  const t = useT();
  const report = useRetentionReport();
  const rules = useRetentionRules();
  const failed = report.error ?? rules.error;
  if (failed) {
    return (
      <QueryProblem
        title={t('retention.loadFailed')}
        error={failed}
        onRetry={() => {
          void report.refetch();
          void rules.refetch();
        }}
      />
    );
  }
  if (!report.data || !rules.data) return <PageLoading />;
  const { report: figures } = report.data;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('menu.retention')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('retention.about')}</Typography.Text>
      <ZonesCard report={figures} />
      <TransitionsCard report={figures} />
      <RulesCard reports={figures.rules} rules={rules.data.rules} />
      <RunsCard />
    </Flex>
  );
}
