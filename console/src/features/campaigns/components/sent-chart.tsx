import { Typography, theme } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect } from 'react';
import { useT } from '../../../lib/i18n';
import { useChart } from '../../../lib/use-chart';
import type { CampaignStats } from '../api/campaigns';

// Only what this chart draws.
echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

type SentMinute = CampaignStats['sentPerMinute'][number];
const minuteMs = 60_000;

/** Every minute from the first that sent to the last, those that sent none at 0: the pace reads true. */
export function everyMinute(minutes: readonly SentMinute[]): SentMinute[] {
  const [first] = minutes;
  const last = minutes.at(-1);
  if (!first || !last) return [];
  const sent = new Map(minutes.map((m) => [Date.parse(m.minute), m.sent]));
  const filled: SentMinute[] = [];
  for (let at = Date.parse(first.minute); at <= Date.parse(last.minute); at += minuteMs) {
    filled.push({ minute: new Date(at).toISOString(), sent: sent.get(at) ?? 0 });
  }
  return filled;
}

const clock = (iso: string) => {
  const at = new Date(iso);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
};

/** Texts the campaign sent per minute, over the latest hour of minutes that sent any (the API's window). */
export function SentChart({ minutes }: { minutes: readonly SentMinute[] }) {
  const t = useT();
  const { token } = theme.useToken();
  const { container, chart } = useChart();
  const empty = minutes.length === 0;

  useEffect(() => {
    if (!chart) return;
    const filled = everyMinute(minutes);
    chart.setOption({
      animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
      textStyle: { fontFamily: token.fontFamily },
      color: [token.colorPrimary],
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: 'category', data: filled.map((m) => clock(m.minute)) },
      yAxis: {
        type: 'value',
        minInterval: 1,
        splitLine: { lineStyle: { color: token.colorBorderSecondary } },
      },
      series: [
        {
          name: t('campaigns.sentPerMinute'),
          type: 'bar',
          data: filled.map((m) => m.sent),
          barMaxWidth: 16,
        },
      ],
    });
  }, [minutes, t, token, chart]);

  return (
    <section aria-label={t('campaigns.sentPerMinute')}>
      <Typography.Text strong>{t('campaigns.sentPerMinute')}</Typography.Text>
      {empty && (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('campaigns.noSends')}
        </Typography.Paragraph>
      )}
      <div
        ref={container}
        role="img"
        aria-label={t('campaigns.sentPerMinuteLabel')}
        style={{ width: '100%', height: empty ? 0 : 220 }}
      />
    </section>
  );
}
