/**
 * A and B over the whole run (RunInfo.series of each side): the direct map by page size, and
 * splits and faults, A solid and B dashed on one axis, the current step as a rule; a click seeks
 * the one timeline. The explorer's Charts (app/panels/Charts.tsx) read and seek the explorer's
 * step and draw one run, so this is a small two-run copy of its drawing, not a wrapper.
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { type ScaleLinear, scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { curveStepAfter, line } from 'd3-shape';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesColumn, SeriesData } from '../../src/worker/protocol';
import { kindMeta } from '../panels/kinds';

const MARGIN = { top: 8, right: 12, bottom: 20, left: 48 };
const KB_PER_GIB = 1024 * 1024;

interface Metric {
  key: string;
  label: string;
  color: string;
  value: (s: SeriesData, i: number) => number;
}

const col = (c: SeriesColumn) => (s: SeriesData, i: number) => s.columns[c][i] ?? 0;
const colGiB = (c: SeriesColumn) => (s: SeriesData, i: number) =>
  (s.columns[c][i] ?? 0) / KB_PER_GIB;
const gib = (g: number) =>
  g === 0 ? '0' : g < 1 ? `${Math.round(g * 1024)}M` : `${Number(g.toFixed(1))}G`;
const count = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    ro.observe(el);
    setWidth(Math.floor(el.clientWidth));
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

function Axes(props: {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  height: number;
  yFormat: (n: number) => string;
}) {
  const gx = useRef<SVGGElement>(null);
  const gy = useRef<SVGGElement>(null);
  const { x, y, height, yFormat } = props;
  useEffect(() => {
    if (gx.current)
      select(gx.current).call(
        axisBottom(x)
          .ticks(6)
          .tickFormat((d) => Number(d).toLocaleString('en-US'))
          .tickSizeOuter(0),
      );
    if (gy.current)
      select(gy.current).call(
        axisLeft(y)
          .ticks(3)
          .tickFormat((d) => yFormat(Number(d)))
          .tickSizeOuter(0),
      );
  }, [x, y, yFormat]);
  return (
    <>
      <g ref={gx} className="axis" transform={`translate(0,${height - MARGIN.bottom})`} />
      <g ref={gy} className="axis" transform={`translate(${MARGIN.left},0)`} />
    </>
  );
}

function PairChart(props: {
  title: string;
  a: SeriesData;
  b: SeriesData;
  metrics: Metric[];
  yFormat: (n: number) => string;
  step: number;
  maxStep: number;
  onSeek(step: number): void;
  height: number;
}) {
  const { title, a, b, metrics, yFormat, step, maxStep, onSeek, height } = props;
  const [ref, width] = useWidth<HTMLDivElement>();

  const drawn = useMemo(() => {
    if (width <= 0 || a.steps.length === 0 || b.steps.length === 0) return null;
    const x = scaleLinear()
      .domain([0, Math.max(1, maxStep)])
      .range([MARGIN.left, width - MARGIN.right]);
    let max = 0;
    for (const s of [a, b])
      for (const m of metrics)
        for (let i = 0; i < s.steps.length; i++) max = Math.max(max, m.value(s, i));
    const y = scaleLinear()
      .domain([0, max > 0 ? max : 1])
      .nice(3)
      .range([height - MARGIN.bottom, MARGIN.top]);
    const path = (s: SeriesData, m: Metric) =>
      line<number>()
        .x((i) => x(s.steps[i] ?? 0))
        .y((i) => y(m.value(s, i)))
        .curve(curveStepAfter)(Array.from({ length: s.steps.length }, (_, i) => i)) ?? '';
    const paths = metrics.flatMap((m) => [
      { key: `a-${m.key}`, color: m.color, d: path(a, m), dashed: false },
      { key: `b-${m.key}`, color: m.color, d: path(b, m), dashed: true },
    ]);
    return { x, y, paths };
  }, [width, a, b, metrics, maxStep, height]);

  const seek = (e: React.MouseEvent<SVGSVGElement>) => {
    if (!drawn) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const s = Math.round(drawn.x.invert(e.clientX - rect.left));
    onSeek(Math.max(0, Math.min(maxStep, s)));
  };

  return (
    <figure className="chart compare-chart" ref={ref}>
      <figcaption>
        <span className="chart-title">{title}</span>
        {metrics.map((m) => (
          <span key={m.key} className="legend">
            <span className="swatch" style={{ background: m.color }} />
            {m.label}
          </span>
        ))}
      </figcaption>
      {drawn && (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the Compare step slider is the keyboard path to the same seek
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={`${title}, A solid and B dashed, over the run; click to seek`}
          onClick={seek}
        >
          {drawn.paths.map((p) => (
            <path
              key={p.key}
              d={p.d}
              style={{
                fill: 'none',
                stroke: p.color,
                strokeWidth: p.dashed ? 2 : 1.75,
                strokeDasharray: p.dashed ? '5 3' : 'none',
              }}
            />
          ))}
          <Axes x={drawn.x} y={drawn.y} height={height} yFormat={yFormat} />
          <line
            className="chart-now"
            x1={drawn.x(step)}
            x2={drawn.x(step)}
            y1={MARGIN.top}
            y2={height - MARGIN.bottom}
          />
        </svg>
      )}
    </figure>
  );
}

export function CompareCharts(props: {
  a: SeriesData;
  b: SeriesData;
  gbpages: boolean;
  step: number;
  maxStep: number;
  onSeek(step: number): void;
  height?: number;
}) {
  const { gbpages } = props;
  const mapMetrics = useMemo<Metric[]>(() => {
    const m: Metric[] = [
      { key: '4k', label: 'DirectMap4k', color: 'var(--dm-4k)', value: colGiB('DirectMap4k') },
      { key: '2m', label: 'DirectMap2M', color: 'var(--dm-2m)', value: colGiB('DirectMap2M') },
    ];
    if (gbpages)
      m.push({
        key: '1g',
        label: 'DirectMap1G',
        color: 'var(--dm-1g)',
        value: colGiB('DirectMap1G'),
      });
    return m;
  }, [gbpages]);
  const eventMetrics = useMemo<Metric[]>(
    () => [
      {
        key: 'splits',
        label: 'splits',
        color: kindMeta('dm-split').color,
        value: (s, i) => (s.columns.level2Splits[i] ?? 0) + (s.columns.level3Splits[i] ?? 0),
      },
      {
        key: 'faults',
        label: 'RMP faults',
        color: kindMeta('rmp-fault').color,
        value: col('rmpFaults'),
      },
      {
        key: 'thp',
        label: 'THP splits',
        color: kindMeta('thp-split').color,
        value: col('thpSplits'),
      },
      {
        key: 'killed',
        label: 'killed',
        color: kindMeta('guest-killed').color,
        value: col('killed'),
      },
    ],
    [],
  );
  const common = {
    a: props.a,
    b: props.b,
    step: props.step,
    maxStep: props.maxStep,
    onSeek: props.onSeek,
    height: props.height ?? 130,
  };
  return (
    <div className="compare-charts">
      <p className="compare-charts-key" aria-hidden="true">
        <span className="key-line" /> A <span className="key-line dashed" /> B
      </p>
      <PairChart title="Direct map by page size" metrics={mapMetrics} yFormat={gib} {...common} />
      <PairChart title="Splits and faults" metrics={eventMetrics} yFormat={count} {...common} />
    </div>
  );
}
