import { theme } from 'antd';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect } from 'react';
import { useT } from '../../../lib/i18n';
import { useChart } from '../../../lib/use-chart';
import type { DayFigures } from '../api/get-daily-stats';

// Only what this chart draws: the whole of ECharts would triple the dashboard's code.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/**
 * Joins, texts and opt-outs per day. Texts run to hundreds while joins and opt-outs are a handful,
 * so texts are bars on an axis of their own (right), the others lines on the left.
 */
export function DailyChart({ days }: { days: readonly DayFigures[] }) {
  const t = useT();
  const { token } = theme.useToken();
  const { container, chart } = useChart();

  useEffect(() => {
    if (!chart) return;
    const integer = { minInterval: 1, splitLine: { lineStyle: { color: token.colorBorderSecondary } } };
    chart.setOption({
      // Lines that draw themselves in are motion some people asked their system to spare them.
      animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
      textStyle: { fontFamily: token.fontFamily },
      color: [token.colorPrimary, token.colorWarning, token.colorError],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: 'category', data: days.map((day) => day.date.slice(5)) },
      yAxis: [
        { type: 'value', ...integer },
        { type: 'value', ...integer, splitLine: { show: false } },
      ],
      series: [
        { name: t('dashboard.joins'), type: 'line', data: days.map((day) => day.joins), showSymbol: false },
        {
          name: t('dashboard.texts'),
          type: 'bar',
          yAxisIndex: 1,
          data: days.map((day) => day.texts),
          barMaxWidth: 12,
        },
        {
          name: t('dashboard.optOuts'),
          type: 'line',
          data: days.map((day) => day.optOuts),
          showSymbol: false,
        },
      ],
    });
  }, [days, t, token, chart]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={t('dashboard.chartLabel')}
      style={{ width: '100%', height: 300 }}
    />
  );
}
