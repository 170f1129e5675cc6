// The dashboard's weekly trend: Apache ECharts, tree-shaken (line chart, canvas), in the dashboard's chunk only.
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface TrendSeries {
  name: string;
  data: number[];
}

export default function TrendChart({
  weeks,
  series,
  label,
}: {
  weeks: string[];
  series: TrendSeries[];
  label: string;
}) {
  const el = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: weeks },
      yAxis: { type: 'value', minInterval: 1, name: '件' },
      series: series.map((s) => ({ ...s, type: 'line', smooth: false, symbolSize: 6 })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [weeks, series]);

  return <div ref={el} role="img" aria-label={label} data-testid="trend-chart" style={{ height: 320 }} />;
}
