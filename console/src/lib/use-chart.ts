import * as echarts from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

/**
 * A chart in the element `container` is given to: made once the element is there, filling it as it
 * changes width with the window and the side menu, and disposed with it. `chart` is undefined until
 * then; the caller sets its options in an effect that depends on it.
 */
export function useChart() {
  const container = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<echarts.ECharts>();
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const made = echarts.init(element);
    const resize = new ResizeObserver(() => made.resize());
    resize.observe(element);
    setChart(made);
    return () => {
      resize.disconnect();
      made.dispose();
      setChart(undefined);
    };
  }, []);
  return { container, chart };
}
