/**
 * The sweep's bar chart: one bar per combination in table order, each labelled with its kernel
 * design and backing underneath and its value on top; a zero is a visible stub with "0", so "no
 * splits" reads as a result rather than a missing bar. d3 scales, React elements.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import type { SweepRow } from '../../src/worker/protocol';
import { BACKING_LABELS } from '../controls/scenario-edit';
import { type Column, fmt } from './sweep-columns';

const CHART = { width: 960, height: 365, left: 96, right: 8, bottom: 185, top: 22 };
/** A zero's stub, in chart units: visible, and plainly not a value. */
const ZERO_STUB = 3;

/** A value as short as a bar label needs: 1,044,480 → 1.04M. */
export function shortValue(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(v / 1e3).toPrecision(3)}k`;
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1);
}

export function SweepChart(props: {
  rows: SweepRow[];
  column: Column;
  isCurrent: (r: SweepRow) => boolean;
}) {
  const { rows, column, isCurrent } = props;
  const x = scaleBand<number>()
    .domain(rows.map((_, i) => i))
    .range([CHART.left, CHART.width - CHART.right])
    .padding(0.18);
  const max = Math.max(1, ...rows.map((r) => Number(column.value(r))));
  const base = CHART.height - CHART.bottom;
  const y = scaleLinear().domain([0, max]).range([base, CHART.top]).nice();
  const ticks = y.ticks(3);
  const bw = x.bandwidth();
  const valueFont = Math.min(11, Math.max(8, bw * 0.42));
  return (
    <figure className="sweep-chart">
      <svg
        viewBox={`0 0 ${CHART.width} ${CHART.height}`}
        role="img"
        aria-label={`Bar chart: ${column.label} per combination`}
      >
        {ticks.map((t) => (
          <g key={t} className="tick">
            <line x1={CHART.left} x2={CHART.width - CHART.right} y1={y(t)} y2={y(t)} />
            <text x={CHART.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
              {t.toLocaleString('en-US')}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const v = Number(column.value(r));
          const x0 = x(i) ?? 0;
          const top = v === 0 ? base - ZERO_STUB : Math.min(y(v), base - ZERO_STUB);
          const cls = [
            isCurrent(r) ? 'current' : '',
            r.metrics.outcomes.guests_killed > 0 ? 'killed' : '',
            v === 0 ? 'zero' : '',
          ]
            .filter(Boolean)
            .join(' ');
          const name = `${r.kernel} · ${BACKING_LABELS[r.backing]}`;
          return (
            <g key={`${r.kernel}/${r.backing}`} className="bar">
              <rect className={cls} x={x0} width={bw} y={top} height={base - top}>
                <title>{`${r.kernel} × ${BACKING_LABELS[r.backing]}: ${fmt(column, r)}`}</title>
              </rect>
              <text
                className="bar-value"
                x={x0 + bw / 2}
                y={top - 4}
                textAnchor="middle"
                fontSize={valueFont}
              >
                {shortValue(v)}
              </text>
              <text
                className={`bar-label${isCurrent(r) ? ' current' : ''}`}
                transform={`translate(${x0 + bw / 2}, ${base + 8}) rotate(-60)`}
                textAnchor="end"
                dy="0.32em"
              >
                {name}
              </text>
            </g>
          );
        })}
        <line
          className="baseline"
          x1={CHART.left}
          x2={CHART.width - CHART.right}
          y1={base}
          y2={base}
        />
      </svg>
      <figcaption>
        {column.label} per combination, in table order (red: a guest was killed; a stub with 0:
        none; outlined: the run in the explorer)
      </figcaption>
    </figure>
  );
}
