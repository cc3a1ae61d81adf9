/**
 * Charts over the whole run (RunInfo.series, at most 4,096 samples): memory mapped at each page
 * size as a stacked area, and splits and faults as lines. The current step is a rule across both;
 * a click seeks. Paths are computed once per run and size; only the rule moves while playing.
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { type ScaleLinear, scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { area, curveStepAfter, line } from 'd3-shape';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesColumn, SeriesData } from '../../src/worker/protocol';
import { useUi } from '../store';
import { kindMeta } from './kinds';

const MARGIN = { top: 8, right: 12, bottom: 20, left: 48 };
const KB_PER_GIB = 1024 * 1024;

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

interface Layer {
  key: string;
  label: string;
  color: string;
  values: (i: number) => number;
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

function Chart(props: {
  title: string;
  series: SeriesData;
  layers: Layer[];
  stacked: boolean;
  yFormat: (n: number) => string;
  height: number;
}) {
  const { title, series, layers, stacked, yFormat, height } = props;
  const [ref, width] = useWidth<HTMLDivElement>();
  const step = useUi((s) => s.step);
  const maxStep = useUi((s) => s.maxStep);
  const n = series.steps.length;

  const drawn = useMemo(() => {
    if (width <= 0 || n === 0) return null;
    const x = scaleLinear()
      .domain([0, Math.max(1, maxStep)])
      .range([MARGIN.left, width - MARGIN.right]);
    const tops: number[][] = [];
    let max = 0;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      const row: number[] = [];
      for (const l of layers) {
        const v = l.values(i);
        acc = stacked ? acc + v : v;
        row.push(acc);
        if (acc > max) max = acc;
      }
      tops.push(row);
    }
    const y = scaleLinear()
      .domain([0, max > 0 ? max : 1])
      .nice(3)
      .range([height - MARGIN.bottom, MARGIN.top]);
    const sx = (i: number) => x(series.steps[i] ?? 0);
    const idx = Array.from({ length: n }, (_, i) => i);
    const paths = layers.map((l, k) => {
      if (stacked) {
        const gen = area<number>()
          .x(sx)
          .y0((i) => y(k === 0 ? 0 : (tops[i]?.[k - 1] ?? 0)))
          .y1((i) => y(tops[i]?.[k] ?? 0))
          .curve(curveStepAfter);
        return { key: l.key, color: l.color, d: gen(idx) ?? '', fill: true };
      }
      const gen = line<number>()
        .x(sx)
        .y((i) => y(tops[i]?.[k] ?? 0))
        .curve(curveStepAfter);
      return { key: l.key, color: l.color, d: gen(idx) ?? '', fill: false };
    });
    return { x, y, paths };
  }, [width, n, maxStep, layers, stacked, series, height]);

  const seek = (e: React.MouseEvent<SVGSVGElement>) => {
    if (!drawn) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const s = Math.round(drawn.x.invert(e.clientX - rect.left));
    const ui = useUi.getState();
    ui.setPlaying(false);
    ui.seek(s);
  };

  return (
    <figure className="chart" ref={ref}>
      <figcaption>
        <span className="chart-title">{title}</span>
        {layers.map((l) => (
          <span key={l.key} className="legend">
            <span className="swatch" style={{ background: l.color }} />
            {l.label}
          </span>
        ))}
      </figcaption>
      {drawn && (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the Step slider is the keyboard path to the same seek
        <svg
          width={width}
          height={height}
          role="img"
          aria-label={`${title} over the run; click to seek`}
          onClick={seek}
        >
          {drawn.paths.map((p) => (
            <path
              key={p.key}
              d={p.d}
              style={
                p.fill
                  ? { fill: p.color, fillOpacity: 0.85, stroke: 'none' }
                  : { fill: 'none', stroke: p.color, strokeWidth: 1.75 }
              }
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

const col = (s: SeriesData, c: SeriesColumn) => (i: number) => s.columns[c][i] ?? 0;

/** Axis labels for a chart whose values are GiB. */
const gib = (g: number) =>
  g === 0 ? '0' : g < 1 ? `${Math.round(g * 1024)}M` : `${Number(g.toFixed(1))}G`;
/** kB column → GiB, so the axis gets round GiB ticks. */
const colGiB = (s: SeriesData, c: SeriesColumn) => (i: number) =>
  (s.columns[c][i] ?? 0) / KB_PER_GIB;
const count = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));

export const Charts = memo(function Charts(props: { series: SeriesData; gbpages: boolean }) {
  const { series, gbpages } = props;
  const mapLayers = useMemo<Layer[]>(() => {
    const l: Layer[] = [
      { key: '4k', label: '4K', color: 'var(--dm-4k)', values: colGiB(series, 'DirectMap4k') },
      { key: '2m', label: '2M', color: 'var(--dm-2m)', values: colGiB(series, 'DirectMap2M') },
    ];
    if (gbpages)
      l.push({
        key: '1g',
        label: '1G',
        color: 'var(--dm-1g)',
        values: colGiB(series, 'DirectMap1G'),
      });
    return l;
  }, [series, gbpages]);
  const eventLayers = useMemo<Layer[]>(() => {
    const splits = (i: number) =>
      (series.columns.level2Splits[i] ?? 0) + (series.columns.level3Splits[i] ?? 0);
    return [
      { key: 'splits', label: 'splits', color: kindMeta('dm-split').color, values: splits },
      {
        key: 'faults',
        label: 'RMP faults',
        color: kindMeta('rmp-fault').color,
        values: col(series, 'rmpFaults'),
      },
      {
        key: 'thp',
        label: 'THP splits',
        color: kindMeta('thp-split').color,
        values: col(series, 'thpSplits'),
      },
      {
        key: 'killed',
        label: 'killed',
        color: kindMeta('guest-killed').color,
        values: col(series, 'killed'),
      },
    ];
  }, [series]);
  return (
    <div className="charts">
      <Chart
        title="Direct map by page size"
        series={series}
        layers={mapLayers}
        stacked
        yFormat={gib}
        height={118}
      />
      <Chart
        title="Splits and faults"
        series={series}
        layers={eventLayers}
        stacked={false}
        yFormat={count}
        height={118}
      />
    </div>
  );
});
