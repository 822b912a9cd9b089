import { Card, Col, Empty, Row, Skeleton, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense } from 'react';
import { useT } from '../../../lib/i18n';
import { type RetentionReport, zones } from '../api/retention';

// ECharts loads after the figures show: the page's own code stays small.
const BarChart = lazy(() => import('../../../components/bar-chart').then((m) => ({ default: m.BarChart })));

export type ZoneName = (typeof zones)[number];
/** Each zone in its own colour, as the warning zones are named. */
export const zoneColors: Record<ZoneName, string> = {
  green: 'green',
  blue: 'blue',
  yellow: 'gold',
  red: 'red',
  white: 'default',
};

export function ZoneTag({ zone }: { zone: ZoneName }) {
  const t = useT();
  return <Tag color={zoneColors[zone]}>{t(`retention.zone.${zone}`)}</Tag>;
}

/** Members in each zone at the latest scoring and 30 days before, as bars side by side. */
export function ZonesCard({ report }: { report: RetentionReport }) {
  const t = useT();
  const { latest, previous } = report;
  if (!latest) {
    return (
      <Card size="small" title={t('retention.zones')}>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('retention.noScoring')} />
      </Card>
    );
  }
  const now = t('retention.onDate', { date: latest.date });
  const before = previous ? t('retention.onDate', { date: previous.date }) : t('retention.monthAgo');
  const rows = zones.map((zone) => ({
    zone,
    now: latest.zones[zone] ?? 0,
    before: previous ? (previous.zones[zone] ?? 0) : undefined,
    entered: report.entered[zone] ?? 0,
  }));
  return (
    <Card
      size="small"
      title={t('retention.zones')}
      extra={
        <Typography.Text type="secondary">
          {t('retention.scoredAt', { at: dayjs(latest.scoredAt).format('YYYY-MM-DD HH:mm') })}
        </Typography.Text>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 260 }} />}>
            <BarChart
              label={t('retention.zonesChart')}
              height={260}
              categories={zones.map((zone) => t(`retention.zone.${zone}`))}
              series={[
                { name: now, values: rows.map((row) => row.now) },
                { name: before, values: rows.map((row) => row.before ?? 0) },
              ]}
            />
          </Suspense>
        </Col>
        <Col xs={24} lg={10}>
          <Table
            rowKey="zone"
            size="small"
            pagination={false}
            dataSource={rows}
            columns={[
              {
                title: t('retention.zone'),
                dataIndex: 'zone',
                render: (zone: ZoneName) => <ZoneTag zone={zone} />,
              },
              { title: now, dataIndex: 'now', align: 'right' },
              {
                title: before,
                dataIndex: 'before',
                align: 'right',
                render: (count?: number) => count ?? '—',
              },
              { title: t('retention.entered'), dataIndex: 'entered', align: 'right' },
            ]}
          />
          {!previous && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('retention.noPrevious')}
            </Typography.Paragraph>
          )}
        </Col>
      </Row>
    </Card>
  );
}

/** Zone changes over the 30 days: a row for each zone left (or first scored), a column for each entered. */
export function TransitionsCard({ report }: { report: RetentionReport }) {
  const t = useT();
  const from = ['none', ...zones] as const;
  const count = (a: string, b: string) => report.transitions[`${a}>${b}`] ?? 0;
  const rows = from
    .map((zone) => ({ from: zone, total: zones.reduce((sum, to) => sum + count(zone, to), 0) }))
    .filter((row) => row.total > 0);
  return (
    <Card size="small" title={t('retention.transitions')}>
      <Table
        rowKey="from"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={rows}
        locale={{ emptyText: t('retention.noTransitions') }}
        columns={[
          {
            title: t('retention.fromTo'),
            dataIndex: 'from',
            fixed: 'left',
            render: (zone: 'none' | ZoneName) =>
              zone === 'none' ? t('retention.firstScore') : <ZoneTag zone={zone} />,
          },
          ...zones.map((to) => ({
            title: t(`retention.zone.${to}`),
            key: to,
            align: 'right' as const,
            render: (_: unknown, row: { from: string }) => {
              const n = count(row.from, to);
              return row.from === to || n === 0 ? <Typography.Text type="secondary">·</Typography.Text> : n;
            },
          })),
        ]}
      />
    </Card>
  );
}
