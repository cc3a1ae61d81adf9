/**
 * Charts over the whole run (RunInfo.series, at most 4,096 samples): memory mapped at each page
 * size as a stacked area, and splits and faults as lines. The current step is a rule across both;
 * a click seeks; hovering (or focusing and using the arrows) reads out the values at a step.
 * Paths are computed once per series and size (chart-core.tsx); only the rule moves while playing.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesColumn, SeriesData } from '../../src/worker/protocol';
import { useUi } from '../store';
import {
  ChartFrame,
  type ChartPath,
  count,
  countExact,
  gib,
  gibExact,
  kbToGiB,
  type ReadoutRow,
  sampleAt,
  stepArea,
  stepLine,
  stepScale,
  thinIndices,
  useWidth,
  valueScale,
} from './chart-core';
import { kindMeta } from './kinds';

interface Layer {
  key: string;
  label: string;
  color: string;
  values: (i: number) => number;
  /** The readout's text for a value. */
  exact: (v: number) => string;
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
  const [ref, width] = useWidth<HTMLElement>();
  const step = useUi((s) => s.step);
  const maxStep = useUi((s) => s.maxStep);
  const computed = useUi((s) => s.computed);
  const n = series.steps.length;

  const drawn = useMemo(() => {
    if (width <= 0 || n === 0) return null;
    const x = stepScale(maxStep, width);
    // Stacked tops per layer: top(k, i) is the sum of layers 0..k at sample i.
    const top = (k: number, i: number) => {
      let acc = 0;
      for (let j = 0; j <= k; j++) acc += layers[j]!.values(i);
      return acc;
    };
    const shown = layers.map((l, k) => (stacked ? (i: number) => top(k, i) : l.values));
    let max = 0;
    for (const v of shown) for (let i = 0; i < n; i++) max = Math.max(max, v(i));
    const y = valueScale(max, height);
    const idx = thinIndices(series.steps, n, x, shown);
    const paths: ChartPath[] = layers.map((l, k) =>
      stacked
        ? {
            key: l.key,
            color: l.color,
            fill: true,
            d: stepArea(
              idx,
              series.steps,
              x,
              (i) => y(k === 0 ? 0 : shown[k - 1]!(i)),
              (i) => y(shown[k]!(i)),
            ),
          }
        : { key: l.key, color: l.color, d: stepLine(idx, series.steps, x, (i) => y(shown[k]!(i))) },
    );
    return { x, y, paths };
  }, [width, n, maxStep, layers, stacked, series, height]);

  // Past the computed part of a run the series has no samples yet: say so, not the last value.
  const readout = (at: number): ReadoutRow[] => {
    const i = at > computed ? -1 : sampleAt(series.steps, n, at);
    return layers.map((l) => ({
      key: l.key,
      label: l.label,
      color: l.color,
      value: at > computed ? 'not run yet' : i < 0 ? '—' : l.exact(l.values(i)),
    }));
  };

  const seek = (s: number) => {
    const ui = useUi.getState();
    ui.setPlaying(false);
    ui.seek(s);
  };

  return (
    <ChartFrame
      figureRef={ref}
      title={title}
      legend={layers.map((l) => (
        <span key={l.key} className="legend">
          <span className="swatch" style={{ background: l.color }} />
          {l.label}
        </span>
      ))}
      ariaLabel={`${title} over the run; click to seek`}
      width={drawn ? width : 0}
      height={height}
      x={drawn?.x ?? stepScale(maxStep, 1)}
      y={drawn?.y ?? valueScale(1, height)}
      yFormat={yFormat}
      paths={drawn?.paths ?? []}
      step={step}
      maxStep={maxStep}
      steps={series.steps}
      samples={n}
      readout={readout}
      onSeek={seek}
    />
  );
}

/** While a run computes, its series grows every progress poll (~400 ms): redraw at most this often. */
const GROWING_REDRAW_MS = 1200;

/** `value`, but while `throttle` holds, updated at most every `ms` (the latest value wins). */
function useThrottled<T>(value: T, ms: number, throttle: boolean): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = throttle ? last.current + ms - performance.now() : 0;
    const show = () => {
      last.current = performance.now();
      setShown(value);
    };
    if (wait <= 0) return show();
    const timer = window.setTimeout(show, wait);
    return () => window.clearTimeout(timer);
  }, [value, ms, throttle]);
  return throttle ? shown : value;
}

const col = (s: SeriesData, c: SeriesColumn) => (i: number) => s.columns[c][i] ?? 0;
const colGiB = (s: SeriesData, c: SeriesColumn) => (i: number) => kbToGiB(s.columns[c][i] ?? 0);

export const Charts = memo(function Charts(props: { series: SeriesData; gbpages: boolean }) {
  const { gbpages } = props;
  const growing = useUi((s) => s.computed < s.maxStep);
  const series = useThrottled(props.series, GROWING_REDRAW_MS, growing);
  const mapLayers = useMemo<Layer[]>(() => {
    const l: Layer[] = [
      {
        key: '4k',
        label: '4K',
        color: 'var(--dm-4k)',
        values: colGiB(series, 'DirectMap4k'),
        exact: gibExact,
      },
      {
        key: '2m',
        label: '2M',
        color: 'var(--dm-2m)',
        values: colGiB(series, 'DirectMap2M'),
        exact: gibExact,
      },
    ];
    if (gbpages)
      l.push({
        key: '1g',
        label: '1G',
        color: 'var(--dm-1g)',
        values: colGiB(series, 'DirectMap1G'),
        exact: gibExact,
      });
    return l;
  }, [series, gbpages]);
  const eventLayers = useMemo<Layer[]>(() => {
    const splits = (i: number) =>
      (series.columns.level2Splits[i] ?? 0) + (series.columns.level3Splits[i] ?? 0);
    const layer = (key: string, label: string, kind: string, values: (i: number) => number) => ({
      key,
      label,
      color: kindMeta(kind).color,
      values,
      exact: countExact,
    });
    return [
      layer('splits', 'splits', 'dm-split', splits),
      layer('faults', 'RMP faults', 'rmp-fault', col(series, 'rmpFaults')),
      layer('thp', 'THP splits', 'thp-split', col(series, 'thpSplits')),
      layer('killed', 'killed', 'guest-killed', col(series, 'killed')),
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
