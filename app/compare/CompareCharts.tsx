/**
 * A and B over the whole run (RunInfo.series of each side): the direct map by page size, and
 * splits and faults, A solid and B dashed on one axis, the current step as a rule; a click seeks
 * the one timeline. The explorer's Charts (app/panels/Charts.tsx) read and seek the explorer's
 * step and draw one run; both draw through app/panels/chart-core.tsx (paths, axes, readout).
 */
import { useMemo } from 'react';
import type { SeriesColumn, SeriesData } from '../../src/worker/protocol';
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
  stepLine,
  stepScale,
  thinIndices,
  useWidth,
  valueScale,
} from '../panels/chart-core';
import { kindMeta } from '../panels/kinds';

interface Metric {
  key: string;
  label: string;
  color: string;
  value: (s: SeriesData, i: number) => number;
  exact: (v: number) => string;
}

const col = (c: SeriesColumn) => (s: SeriesData, i: number) => s.columns[c][i] ?? 0;
const colGiB = (c: SeriesColumn) => (s: SeriesData, i: number) => kbToGiB(s.columns[c][i] ?? 0);

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
  const [ref, width] = useWidth<HTMLElement>();

  const drawn = useMemo(() => {
    if (width <= 0 || a.steps.length === 0 || b.steps.length === 0) return null;
    const x = stepScale(maxStep, width);
    let max = 0;
    for (const s of [a, b])
      for (const m of metrics)
        for (let i = 0; i < s.steps.length; i++) max = Math.max(max, m.value(s, i));
    const y = valueScale(max, height);
    const path = (s: SeriesData, m: Metric) => {
      const v = (i: number) => m.value(s, i);
      const idx = thinIndices(s.steps, s.steps.length, x, [v]);
      return stepLine(idx, s.steps, x, (i) => y(v(i)));
    };
    const paths: ChartPath[] = metrics.flatMap((m) => [
      { key: `a-${m.key}`, color: m.color, d: path(a, m) },
      { key: `b-${m.key}`, color: m.color, d: path(b, m), dashed: true },
    ]);
    return { x, y, paths };
  }, [width, a, b, metrics, maxStep, height]);

  const readout = (at: number): ReadoutRow[] => {
    const ia = sampleAt(a.steps, a.steps.length, at);
    const ib = sampleAt(b.steps, b.steps.length, at);
    const v = (s: SeriesData, i: number, m: Metric) => (i < 0 ? '—' : m.exact(m.value(s, i)));
    return metrics.map((m) => ({
      key: m.key,
      label: m.label,
      color: m.color,
      value: `A ${v(a, ia, m)} · B ${v(b, ib, m)}`,
    }));
  };

  return (
    <ChartFrame
      figureRef={ref}
      className="compare-chart"
      title={title}
      legend={metrics.map((m) => (
        <span key={m.key} className="legend">
          <span className="swatch" style={{ background: m.color }} />
          {m.label}
        </span>
      ))}
      ariaLabel={`${title}, A solid and B dashed, over the run; click to seek`}
      width={drawn ? width : 0}
      height={height}
      x={drawn?.x ?? stepScale(maxStep, 1)}
      y={drawn?.y ?? valueScale(1, height)}
      yFormat={yFormat}
      paths={drawn?.paths ?? []}
      step={step}
      maxStep={maxStep}
      steps={a.steps.length >= b.steps.length ? a.steps : b.steps}
      samples={Math.max(a.steps.length, b.steps.length)}
      readout={readout}
      onSeek={(s) => onSeek(Math.max(0, Math.min(maxStep, s)))}
    />
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
      {
        key: '4k',
        label: 'DirectMap4k',
        color: 'var(--dm-4k)',
        value: colGiB('DirectMap4k'),
        exact: gibExact,
      },
      {
        key: '2m',
        label: 'DirectMap2M',
        color: 'var(--dm-2m)',
        value: colGiB('DirectMap2M'),
        exact: gibExact,
      },
    ];
    if (gbpages)
      m.push({
        key: '1g',
        label: 'DirectMap1G',
        color: 'var(--dm-1g)',
        value: colGiB('DirectMap1G'),
        exact: gibExact,
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
        exact: countExact,
      },
      {
        key: 'faults',
        label: 'RMP faults',
        color: kindMeta('rmp-fault').color,
        value: col('rmpFaults'),
        exact: countExact,
      },
      {
        key: 'thp',
        label: 'THP splits',
        color: kindMeta('thp-split').color,
        value: col('thpSplits'),
        exact: countExact,
      },
      {
        key: 'killed',
        label: 'killed',
        color: kindMeta('guest-killed').color,
        value: col('killed'),
        exact: countExact,
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
