import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartLine {
  label: string;
  values: number[];
  color: string;
  /** A dash pattern, so lines differ by more than their colour. */
  dash?: number[];
}

/**
 * A small line chart (uPlot: canvas, ~20 KB, loaded with the overview only). The x axis is the
 * buckets' own labels (the store's days or hours), not the reader's clock. The canvas is hidden
 * from screen readers: the same numbers are in the table beside it.
 */
export function TimeChart(props: { title: string; labels: string[]; lines: ChartLine[] }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const key = JSON.stringify([props.labels, props.lines.map((l) => l.values)]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const width = () => Math.max(element.clientWidth, 240);
    const height = () => (element.clientWidth < 500 ? 200 : 240);
    const labels = props.labels;
    const options: uPlot.Options = {
      width: width(),
      height: height(),
      scales: { x: { time: false } },
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      axes: [
        {
          values: (_u, splits) => splits.map((i) => labels[Math.round(i)] ?? ''),
          space: 60,
          stroke: '#4f5d6b',
          grid: { stroke: '#e9edf1' },
        },
        { stroke: '#4f5d6b', grid: { stroke: '#e9edf1' }, size: 44 },
      ],
      series: [
        { label: 'When', value: (_u, i) => (i === null ? '' : (labels[Math.round(i)] ?? '')) },
        ...props.lines.map((line) => ({
          label: line.label,
          stroke: line.color,
          width: 2,
          ...(line.dash ? { dash: line.dash } : {}),
          points: { show: labels.length <= 31 },
        })),
      ],
    };
    const data: uPlot.AlignedData = [labels.map((_, i) => i), ...props.lines.map((line) => line.values)];
    chart.current?.destroy();
    chart.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => chart.current?.setSize({ width: width(), height: height() }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, [key]);

  return <div class="time-chart" ref={box} aria-hidden="true" data-chart={props.title} />;
}
