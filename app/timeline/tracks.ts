/**
 * The timeline's tracks, drawn on a canvas: one row per DirectMap* size and per direct_map_*
 * counter over wall-clock time, decimated per pixel (each pixel column draws the min–max of the
 * samples it covers, so a week of 1 s samples costs one pass and ~1,000 line segments per track),
 * with the columns where the value changed marked under the line. Pure functions of columns and a
 * viewport; the component owns the canvas.
 */
import type { TimelineColumns } from '../../src/worker/protocol';

export const TRACK_H = 54;
export const LABEL_W = 150;
export const AXIS_H = 22;
export const EVENTS_H = 30;

/** DirectMap sizes in page-size order (any arch: x86, arm64, ppc, s390), then the counters. */
const SIZE_ORDER = ['4k', '64k', '2M', '16M', '32M', '512M', '1G', '16G'];

export interface Track {
  key: string;
  /** Index into columns.values. */
  column: number;
  unit: 'kB' | '';
}

/** The tracks a timeline draws, and the keys it only lists. */
export function tracksOf(cols: TimelineColumns): { tracks: Track[]; other: string[] } {
  const dm: Track[] = [];
  const counters: Track[] = [];
  const other: string[] = [];
  cols.keys.forEach((key, column) => {
    if (key.startsWith('DirectMap')) dm.push({ key, column, unit: 'kB' });
    else if (key.startsWith('direct_map_')) counters.push({ key, column, unit: '' });
    else other.push(key);
  });
  const rank = (k: string) => {
    const i = SIZE_ORDER.indexOf(k.slice('DirectMap'.length));
    return i < 0 ? SIZE_ORDER.length : i;
  };
  dm.sort((a, b) => rank(a.key) - rank(b.key));
  counters.sort((a, b) => (a.key < b.key ? -1 : 1));
  return { tracks: [...dm, ...counters], other };
}

/** The time axis: wall-clock seconds when every sample has one, else seconds since the first. */
export function timeAxis(cols: TimelineColumns): { x: Float64Array; wall: boolean } {
  const n = cols.wall.length;
  let wall = n > 0;
  for (let i = 0; i < n && wall; i++) if (!Number.isFinite(cols.wall[i]!)) wall = false;
  return { x: wall ? cols.wall : cols.t, wall };
}

/** First index with x[i] ≥ v (x sorted ascending). */
export function lowerBound(x: Float64Array, v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with x[i] > v. */
export function upperBound(x: Float64Array, v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The sample nearest to time v. */
export function nearest(x: Float64Array, v: number): number {
  const i = lowerBound(x, v);
  if (i <= 0) return 0;
  if (i >= x.length) return x.length - 1;
  return v - x[i - 1]! <= x[i]! - v ? i - 1 : i;
}

/** Per pixel column: min, max and whether the value changed inside it (or from the column before). */
export interface Decimated {
  min: Float64Array;
  max: Float64Array;
  changed: Uint8Array;
  lo: number;
  hi: number;
}

/**
 * Sample index boundaries of `widthPx` columns over [t0, t1]: column c holds samples
 * [bounds[c], bounds[c + 1]). One binary search per column; shared by every track.
 */
export function columnBounds(x: Float64Array, t0: number, t1: number, widthPx: number): Int32Array {
  const b = new Int32Array(widthPx + 1);
  const dt = (t1 - t0) / widthPx;
  for (let c = 0; c <= widthPx; c++) b[c] = lowerBound(x, t0 + c * dt);
  // The last column includes a sample exactly at t1 (an epsilon would vanish at 1.8e9 s).
  b[widthPx] = upperBound(x, t1);
  return b;
}

export function decimate(v: Float64Array, bounds: Int32Array): Decimated {
  const w = bounds.length - 1;
  const min = new Float64Array(w).fill(Number.NaN);
  const max = new Float64Array(w).fill(Number.NaN);
  const changed = new Uint8Array(w);
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = 0; c < w; c++) {
    const a = bounds[c]!;
    const e = bounds[c + 1]!;
    let mn = Infinity;
    let mx = -Infinity;
    let ch = 0;
    // Compare with the sample before the column too: a change at its first sample is its own.
    let prev = a > 0 ? v[a - 1]! : Number.NaN;
    for (let i = a; i < e; i++) {
      const y = v[i]!;
      if (!Number.isNaN(y)) {
        if (y < mn) mn = y;
        if (y > mx) mx = y;
        if (!Number.isNaN(prev) && y !== prev) ch = 1;
        prev = y;
      }
    }
    if (mn <= mx) {
      min[c] = mn;
      max[c] = mx;
      if (mn < lo) lo = mn;
      if (mx > hi) hi = mx;
    }
    changed[c] = ch;
  }
  return { min, max, changed, lo, hi };
}

export interface Colors {
  fg: string;
  muted: string;
  border: string;
  line: string;
  delta: string;
  surface: string;
}

/** Short value text: 30720 kB → "30 MiB"; counts as they are. */
export function formatValue(v: number, unit: 'kB' | ''): string {
  if (!Number.isFinite(v)) return '—';
  if (unit === '') return Math.round(v).toLocaleString('en-US');
  const kb = v;
  if (kb >= 1024 * 1024) return `${(kb / (1024 * 1024)).toFixed(kb % (1024 * 1024) ? 2 : 0)} GiB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(kb % 1024 ? 1 : 0)} MiB`;
  return `${kb} kB`;
}

/** One track's row at y: label, min–max band and line, change marks along its bottom. */
export function drawTrack(
  ctx: CanvasRenderingContext2D,
  track: Track,
  d: Decimated,
  y: number,
  plotX: number,
  c: Colors,
): void {
  const w = d.min.length;
  const top = y + 6;
  const h = TRACK_H - 18;
  ctx.fillStyle = c.fg;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(track.key, 8, y + 8);
  ctx.fillStyle = c.muted;
  ctx.font = '11px system-ui, sans-serif';
  if (Number.isFinite(d.lo)) {
    ctx.fillText(`${formatValue(d.lo, track.unit)} – ${formatValue(d.hi, track.unit)}`, 8, y + 26);
  } else ctx.fillText('no samples here', 8, y + 26);
  ctx.strokeStyle = c.border;
  ctx.beginPath();
  ctx.moveTo(0, y + TRACK_H - 0.5);
  ctx.lineTo(plotX + w, y + TRACK_H - 0.5);
  ctx.stroke();
  if (!Number.isFinite(d.lo)) return;
  const span = d.hi - d.lo;
  // A flat track draws along its middle; otherwise lo at the bottom, hi at the top.
  const yOf = (v: number) => (span > 0 ? top + h - ((v - d.lo) / span) * h : top + h / 2);
  ctx.fillStyle = c.line;
  ctx.strokeStyle = c.line;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  let open = false;
  for (let i = 0; i < w; i++) {
    const mn = d.min[i]!;
    if (Number.isNaN(mn)) continue;
    const x = plotX + i + 0.5;
    const y0 = yOf(mn);
    const y1 = yOf(d.max[i]!);
    if (!open) {
      ctx.moveTo(x, y1);
      open = true;
    } else ctx.lineTo(x, y1);
    if (y0 - y1 > 1) ctx.lineTo(x, y0);
  }
  ctx.stroke();
  ctx.lineWidth = 1;
  ctx.fillStyle = c.delta;
  for (let i = 0; i < w; i++) if (d.changed[i]) ctx.fillRect(plotX + i, y + TRACK_H - 6, 1, 5);
}
