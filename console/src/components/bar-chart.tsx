import { theme } from 'antd';
import { BarChart as Bars } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect } from 'react';
import { useChart } from '../lib/use-chart';

// Only what bar charts draw: the whole of ECharts would triple the pages' code.
echarts.use([Bars, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  values: readonly number[];
  /** The bars' colour; each category's own colour when `colors` is given instead. */
  color?: string;
}

/**
 * Counts by category as bars: one series, or several side by side (e.g. now and 30 days ago).
 * `horizontal` lays the categories down the side, for long labels such as a question's options.
 */
export function BarChart({
  label,
  categories,
  series,
  colors,
  horizontal = false,
  height = 240,
}: {
  /** What the chart shows, for those who cannot see it. */
  label: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  /** A colour per category (single series): a zone's own colour. */
  colors?: readonly string[];
  horizontal?: boolean;
  height?: number;
}) {
  const { token } = theme.useToken();
  const { container, chart } = useChart();

  useEffect(() => {
    if (!chart) return;
    const counts = {
      type: 'value',
      minInterval: 1,
      splitLine: { lineStyle: { color: token.colorBorderSecondary } },
    };
    const names = { type: 'category', data: [...categories], axisLabel: { width: 96, overflow: 'truncate' } };
    chart.setOption(
      {
        // Bars that grow in are motion some people asked their system to spare them.
        animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
        textStyle: { fontFamily: token.fontFamily },
        color: [token.colorPrimary, token.colorTextQuaternary],
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: series.length > 1 ? { top: 0 } : { show: false },
        grid: { left: 8, right: 24, bottom: 8, top: series.length > 1 ? 36 : 12, containLabel: true },
        xAxis: horizontal ? counts : names,
        yAxis: horizontal ? { ...names, inverse: true } : counts,
        series: series.map((one) => ({
          name: one.name,
          type: 'bar',
          barMaxWidth: 28,
          label: { show: true, position: horizontal ? 'right' : 'top' },
          data: one.values.map((value, i) => ({
            value,
            itemStyle: { color: colors?.[i] ?? one.color },
          })),
        })),
      },
      { notMerge: true },
    );
  }, [categories, series, colors, horizontal, token, chart]);

  return <div ref={container} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
