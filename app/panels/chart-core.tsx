/**
 * The drawing both run charts share (the explorer's Charts and Compare's CompareCharts): scales,
 * axes, step-curve paths thinned to the pixel columns, the current-step rule, a click that seeks,
 * and a hover readout (step and values at the pointer, a vertical guide) that the keyboard can
 * drive too: focus the chart, ←/→ move the guide one sample (Shift: ten), Home/End, Enter seeks.
 *
 * Paths are built once per series, size and scale; hovering re-renders only the guide and the
 * readout. A run's series has up to 4,096 samples and a chart is ~500 px wide: keeping the first,
 * lowest, highest and last sample of each pixel column draws the same picture with ~4× fewer
 * points (the path strings and the SVG parse were most of a progress update while a run computes).
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { type ScaleLinear, scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { area, curveStepAfter, line } from 'd3-shape';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import './charts.css';

export const MARGIN = { top: 8, right: 12, bottom: 20, left: 48 };
const KB_PER_GIB = 1024 * 1024;

/** Axis labels for a chart whose values are GiB. */
export const gib = (g: number) =>
  g === 0 ? '0' : g < 1 ? `${Math.round(g * 1024)}M` : `${Number(g.toFixed(1))}G`;
/** kB (as /proc/meminfo counts) → GiB, so the axis gets round GiB ticks. */
export const kbToGiB = (kb: number) => kb / KB_PER_GIB;
export const count = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n));
/** Readout values: GiB with enough digits to see a 2 MiB change, counts in full. */
export const gibExact = (g: number) => `${g.toFixed(g < 10 ? 3 : 2)} GiB`;
export const countExact = (n: number) => n.toLocaleString('en-US');

export function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
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

/** The x scale of a chart `width` px wide over steps 0..maxStep. */
export function stepScale(maxStep: number, width: number): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([0, Math.max(1, maxStep)])
    .range([MARGIN.left, width - MARGIN.right]);
}

export function valueScale(max: number, height: number): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([0, max > 0 ? max : 1])
    .nice(3)
    .range([height - MARGIN.bottom, MARGIN.top]);
}

/**
 * Sample indices worth drawing: per pixel column, the first, lowest, highest and last sample of
 * each value function (the picture of a step curve at 1 px is unchanged), in ascending order.
 */
export function thinIndices(
  steps: ArrayLike<number>,
  n: number,
  x: (step: number) => number,
  values: readonly ((i: number) => number)[],
): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < n) {
    const col = Math.round(x(steps[i] ?? 0));
    let j = i;
    while (j + 1 < n && Math.round(x(steps[j + 1] ?? 0)) === col) j++;
    if (j - i < 4) for (let k = i; k <= j; k++) out.push(k);
    else {
      const keep = new Set<number>([i, j]);
      for (const v of values) {
        let lo = i;
        let hi = i;
        for (let k = i + 1; k <= j; k++) {
          const y = v(k);
          if (y < v(lo)) lo = k;
          if (y > v(hi)) hi = k;
        }
        keep.add(lo).add(hi);
      }
      out.push(...[...keep].sort((a, b) => a - b));
    }
    i = j + 1;
  }
  return out;
}

/** A step-after line through the given sample indices. */
export function stepLine(
  idx: readonly number[],
  steps: ArrayLike<number>,
  x: (s: number) => number,
  y: (i: number) => number,
): string {
  return (
    line<number>()
      .x((i) => x(steps[i] ?? 0))
      .y(y)
      .curve(curveStepAfter)(idx as number[]) ?? ''
  );
}

/** A step-after band between two value functions (a stacked area's layer). */
export function stepArea(
  idx: readonly number[],
  steps: ArrayLike<number>,
  x: (s: number) => number,
  y0: (i: number) => number,
  y1: (i: number) => number,
): string {
  return (
    area<number>()
      .x((i) => x(steps[i] ?? 0))
      .y0(y0)
      .y1(y1)
      .curve(curveStepAfter)(idx as number[]) ?? ''
  );
}

/** Index of the last sample at or before `step` (samples are in step order), or -1. */
export function sampleAt(steps: ArrayLike<number>, n: number, step: number): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid] ?? 0) <= step) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const stepLabel = (d: number) => d.toLocaleString('en-US');
/** A 10 px axis digit (DejaVu Sans, the widest of the usual UI fonts, ≈ 6.4 px) and a gap. */
const DIGIT_PX = 6.4;
const LABEL_GAP_PX = 14;

/**
 * Step ticks as many as the plot's width holds without their labels touching: d3's nice ticks
 * for the largest count (at most six) whose spacing fits the widest label ("400,000" needs
 * ~58 px; at 1024 px a chart is ~160 px wide and six ticks ran together).
 */
export function stepTicks(x: ScaleLinear<number, number>): number[] {
  const [, end = 0] = x.range();
  for (let count = 6; count > 1; count--) {
    const ticks = x.ticks(count);
    const [a, b] = ticks;
    const last = ticks[ticks.length - 1];
    if (a === undefined || b === undefined || last === undefined) return ticks;
    const widest = Math.max(...ticks.map((t) => stepLabel(t).length)) * DIGIT_PX;
    // The last label, anchored at its end when it would hang over the edge, moves left by that.
    const shift = Math.max(0, x(last) + widest / 2 - (end + MARGIN.right));
    if (x(b) - x(a) - shift >= widest + LABEL_GAP_PX) return ticks;
  }
  return x.domain().map(Math.round);
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
    if (gx.current) {
      select(gx.current).call(
        axisBottom(x)
          .tickValues(stepTicks(x))
          .tickFormat((d) => stepLabel(Number(d)))
          .tickSizeOuter(0),
      );
      const [r0 = 0, r1 = 0] = x.range();
      keepLabelsInside(gx.current, r0 - MARGIN.left, r1 + MARGIN.right);
    }
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

/**
 * A centred label at either end of the axis would hang over the SVG's edge and be cut ("200,0"):
 * anchor it at its end instead. One text-length read per label, on a redraw only.
 */
function keepLabelsInside(g: SVGGElement, left: number, right: number): void {
  for (const tick of g.querySelectorAll<SVGGElement>('.tick')) {
    const text = tick.querySelector('text');
    const x = tick.transform.baseVal.consolidate()?.matrix.e;
    if (!text || x === undefined) continue;
    text.removeAttribute('text-anchor');
    const half = text.getComputedTextLength() / 2;
    if (x + half > right) text.setAttribute('text-anchor', 'end');
    else if (x - half < left) text.setAttribute('text-anchor', 'start');
  }
}

export interface ChartPath {
  key: string;
  color: string;
  d: string;
  fill?: boolean;
  dashed?: boolean;
}

export interface ReadoutRow {
  key: string;
  label: string;
  color: string;
  value: string;
  dashed?: boolean;
}

export interface ChartFrameProps {
  title: string;
  /** The legend (figcaption after the title). */
  legend: ReactNode;
  ariaLabel: string;
  width: number;
  height: number;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  yFormat: (n: number) => string;
  paths: readonly ChartPath[];
  /** The current step (the rule). */
  step: number;
  maxStep: number;
  /** Steps the keyboard cursor visits (the series' sample steps). */
  steps: ArrayLike<number>;
  samples: number;
  /** What the readout lists at a step. */
  readout(step: number): ReadoutRow[];
  onSeek(step: number): void;
  className?: string;
  figureRef: React.RefObject<HTMLElement | null>;
}

/** Where the guide is and who put it there (the keyboard's readout is announced, the pointer's not). */
interface Cursor {
  step: number;
  by: 'pointer' | 'keyboard';
}

/** A run chart: legend, SVG with paths, axes, the step rule, and the hover/keyboard readout. */
export function ChartFrame(p: ChartFrameProps) {
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const keysId = useId();
  const clamp = (s: number) => Math.max(0, Math.min(p.maxStep, Math.round(s)));
  const stepAtPx = (e: React.PointerEvent | React.MouseEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return clamp(p.x.invert(e.clientX - rect.left));
  };

  const onKey = (e: React.KeyboardEvent) => {
    const from = cursor?.step ?? p.step;
    const i = sampleAt(p.steps, p.samples, from);
    const by = e.shiftKey ? 10 : 1;
    const at = (k: number) => p.steps[Math.max(0, Math.min(p.samples - 1, k))] ?? 0;
    let to: number | null = null;
    if (e.key === 'ArrowRight') to = at(i + by);
    else if (e.key === 'ArrowLeft') to = at(Math.max(0, i - by));
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = p.maxStep;
    else if (e.key === 'Enter' || e.key === ' ') {
      p.onSeek(from);
    } else if (e.key === 'Escape') setCursor(null);
    else return;
    if (to !== null) setCursor({ step: clamp(to), by: 'keyboard' });
    // The chart owns these keys while focused (the global ←/→ step the run).
    e.preventDefault();
    e.stopPropagation();
  };

  const guide = cursor ? p.x(cursor.step) : null;
  const rows = cursor ? p.readout(cursor.step) : [];
  const flip = guide !== null && guide > p.width * 0.6;
  return (
    <figure className={`chart ${p.className ?? ''}`} ref={p.figureRef as React.RefObject<never>}>
      <figcaption>
        <span className="chart-title">{p.title}</span>
        {p.legend}
      </figcaption>
      {p.width > 0 && (
        <div className="chart-plot">
          <svg
            width={p.width}
            height={p.height}
            role="img"
            aria-label={p.ariaLabel}
            aria-describedby={keysId}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so the keyboard gets the readout: arrows move it, Enter seeks
            tabIndex={0}
            onClick={(e) => p.onSeek(stepAtPx(e))}
            onPointerMove={(e) => setCursor({ step: stepAtPx(e), by: 'pointer' })}
            onPointerLeave={() => setCursor((c) => (c?.by === 'pointer' ? null : c))}
            onFocus={() => setCursor((c) => c ?? { step: p.step, by: 'keyboard' })}
            onBlur={() => setCursor(null)}
            onKeyDown={onKey}
          >
            {p.paths.map((path) => (
              <path
                key={path.key}
                d={path.d}
                style={
                  path.fill
                    ? { fill: path.color, fillOpacity: 0.85, stroke: 'none' }
                    : {
                        fill: 'none',
                        stroke: path.color,
                        strokeWidth: path.dashed ? 2 : 1.75,
                        strokeDasharray: path.dashed ? '5 3' : 'none',
                      }
                }
              />
            ))}
            <Axes x={p.x} y={p.y} height={p.height} yFormat={p.yFormat} />
            {guide !== null && (
              <line
                className="chart-guide"
                x1={guide}
                x2={guide}
                y1={MARGIN.top}
                y2={p.height - MARGIN.bottom}
              />
            )}
          </svg>
          {/* The current step's rule moves every step while playing: a composited layer moved by
              transform, so the SVG's thousands of path segments are not repainted each step. */}
          <div
            className="chart-now-rule"
            aria-hidden="true"
            style={{
              top: MARGIN.top,
              height: p.height - MARGIN.top - MARGIN.bottom,
              transform: `translateX(${p.x(p.step)}px)`,
            }}
          />
          <p id={keysId} className="visually-hidden">
            Left and right arrows move the readout along the run, Enter seeks there.
          </p>
          {cursor && (
            <div
              className={`chart-readout${flip ? ' flip' : ''}`}
              style={{ left: guide ?? 0 }}
              role="status"
              aria-live={cursor.by === 'keyboard' ? 'polite' : 'off'}
            >
              <div className="chart-readout-step">step {cursor.step.toLocaleString('en-US')}</div>
              {rows.map((r) => (
                <div key={r.key} className="chart-readout-row">
                  <span
                    className={`swatch${r.dashed ? ' dashed' : ''}`}
                    style={{ background: r.color }}
                  />
                  <span className="chart-readout-label">{r.label}</span>
                  <span className="chart-readout-value">{r.value}</span>
                </div>
              ))}
            </div>
          )}
        </div>
      )}
    </figure>
  );
}
