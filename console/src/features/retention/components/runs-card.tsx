import { ThunderboltOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Progress, Table } from 'antd';
import dayjs from 'dayjs';
import { ApiProblem } from '../../../components/api-problem';
import { useT } from '../../../lib/i18n';
import { type ScoringRun, useScoringRuns, useStartRun } from '../api/retention';

const at = (iso?: string) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
const changes = (run: ScoringRun) => Object.values(run.transitions ?? {}).reduce((sum, n) => sum + n, 0);

/** The latest scoring runs, nightly and by hand, with their progress; one started now. */
export function RunsCard() {
  const t = useT();
  const runs = useScoringRuns();
  const start = useStartRun();
  return (
    <Card
      size="small"
      title={t('retention.runs')}
      extra={
        <Button
          size="small"
          icon={<ThunderboltOutlined />}
          loading={start.isPending}
          onClick={() => start.mutate()}
        >
          {t('retention.runs.start')}
        </Button>
      }
    >
      <Flex vertical gap={8}>
        {start.error && <ApiProblem title={t('retention.runs.startFailed')} error={start.error} />}
        {runs.error && <ApiProblem title={t('retention.loadFailed')} error={runs.error} />}
        <Table<ScoringRun>
          rowKey="runId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          loading={runs.isLoading}
          dataSource={runs.data?.runs}
          locale={{ emptyText: t('retention.runs.none') }}
          columns={[
            { title: t('retention.run.requestedAt'), dataIndex: 'requestedAt', render: (v: string) => at(v) },
            {
              title: t('retention.run.trigger'),
              dataIndex: 'trigger',
              render: (v: ScoringRun['trigger']) => t(`retention.run.trigger.${v}`),
            },
            {
              title: t('retention.run.status'),
              key: 'status',
              render: (_, run) =>
                run.status === 'done' ? (
                  t('retention.run.status.done')
                ) : (
                  <Flex vertical>
                    {t(`retention.run.status.${run.status}`)}
                    <Progress percent={run.progress} size="small" style={{ width: 96 }} />
                  </Flex>
                ),
            },
            { title: t('retention.run.scored'), dataIndex: 'scored', align: 'right' },
            {
              title: t('retention.run.changes'),
              key: 'changes',
              align: 'right',
              render: (_, run) => changes(run),
            },
            { title: t('retention.run.finishedAt'), dataIndex: 'finishedAt', render: (v?: string) => at(v) },
          ]}
        />
      </Flex>
    </Card>
  );
}
