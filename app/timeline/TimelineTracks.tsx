/**
 * The tracks and the cursor: a static canvas redrawn on zoom or resize (tracksOf/decimate/
 * drawTrack), and an interactive canvas on top for the cursor, so scrubbing draws one line and
 * a few dots per frame whatever the sample count. The readout beside the tracks is written into
 * the DOM directly (no React render per pointer move). d3-zoom pans and zooms the time axis.
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { select } from 'd3-selection';
import { type ZoomTransform, zoom, zoomIdentity } from 'd3-zoom';
import { useEffect, useMemo, useRef } from 'react';
import type { TimelineView } from '../../src/worker/protocol';
import {
  AXIS_H,
  type Colors,
  columnBounds,
  decimate,
  drawTrack,
  EVENTS_H,
  formatValue,
  LABEL_W,
  lowerBound,
  nearest,
  TRACK_H,
  type Track,
  timeAxis,
  tracksOf,
} from './tracks';

const GROUP_COLORS = 8;

/** A ptdump frame's place on the axis: its wall time, or its t through the first sample. */
export function frameTime(f: { t: number; wall: number }, wall: boolean, offset: number): number {
  return wall && Number.isFinite(f.wall) ? f.wall : f.t + offset;
}

function colors(): Colors & { groups: string[] } {
  const cs = getComputedStyle(document.documentElement);
  const v = (n: string, d: string) => cs.getPropertyValue(n).trim() || d;
  const hues = [210, 25, 150, 290, 55, 185, 335, 95];
  return {
    fg: v('--fg', '#16191f'),
    muted: v('--muted', '#5b6472'),
    border: v('--border', '#dde1e7'),
    line: v('--accent', '#2b5cd6'),
    delta: v('--up', '#b45309'),
    surface: v('--surface', '#fff'),
    groups: hues.slice(0, GROUP_COLORS).map((h) => `hsl(${h} 70% 45%)`),
  };
}

/** Frame times of the cursor (ms, draw only), for the bench: window.__timelineFrames. */
declare global {
  interface Window {
    __timelineFrames?: number[];
  }
}

export interface CursorInfo {
  index: number;
  time: number;
}

export function TimelineTracks(props: {
  view: TimelineView;
  onCursor: (c: CursorInfo) => void;
  /** Times (same clock as the axis) to move the cursor to from outside (frame buttons). */
  seekTo: number | null;
}) {
  const { view } = props;
  const { tracks, other } = useMemo(() => tracksOf(view.columns), [view]);
  const axis = useMemo(() => timeAxis(view.columns), [view]);
  // Recorded calls are on the samples' t clock: place them on the axis through the first sample.
  const offset =
    axis.wall && view.columns.t.length > 0 ? view.columns.wall[0]! - view.columns.t[0]! : 0;
  const hasEvents = view.trace.t.length > 0;
  const hasFrames = view.frames.length > 0;
  const base = useRef<HTMLCanvasElement>(null);
  const over = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLDListElement>(null);
  const state = useRef({ t: zoomIdentity as ZoomTransform, cursor: -1, width: 0, raf: 0 });
  const onCursor = useRef(props.onCursor);
  onCursor.current = props.onCursor;
  const heightPx =
    tracks.length * TRACK_H + (hasEvents ? EVENTS_H : 0) + (hasFrames ? EVENTS_H : 0) + AXIS_H;

  useEffect(() => {
    const x = axis.x;
    const n = x.length;
    const c = colors();
    const canvas = base.current!;
    const top = over.current!;
    const box = wrap.current!;
    const st = state.current;
    const x0 = n > 0 ? x[0]! : 0;
    const x1 = n > 1 ? x[n - 1]! : x0 + 1;
    const scale = () => {
      const plotW = Math.max(1, st.width - LABEL_W - 8);
      // Seconds on the axis; a UTC scale over the same range only for the ticks.
      return st.t.rescaleX(
        scaleLinear()
          .domain([x0, x1])
          .range([LABEL_W, LABEL_W + plotW]),
      );
    };

    const drawBase = () => {
      const dpr = window.devicePixelRatio || 1;
      const w = st.width;
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(heightPx * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${heightPx}px`;
      const ctx = canvas.getContext('2d')!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, heightPx);
      const s = scale();
      const [d0, d1] = s.domain() as [number, number];
      const plotW = Math.max(1, Math.floor(w - LABEL_W - 8));
      const bounds = columnBounds(x, d0, d1, plotW);
      tracks.forEach((tr: Track, k) => {
        drawTrack(
          ctx,
          tr,
          decimate(view.columns.values[tr.column]!, bounds),
          k * TRACK_H,
          LABEL_W,
          c,
        );
      });
      let y = tracks.length * TRACK_H;
      const px = (sec: number) => s(sec);
      ctx.font = '12px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      if (hasFrames) {
        ctx.fillStyle = c.fg;
        ctx.fillText(`ptdump frames (${view.frames.length})`, 8, y + 8);
        ctx.fillStyle = c.line;
        for (const f of view.frames) {
          const fx = px(frameTime(f, axis.wall, offset));
          if (fx >= LABEL_W && fx <= w) ctx.fillRect(fx - 3, y + 8, 6, EVENTS_H - 14);
        }
        y += EVENTS_H;
      }
      if (hasEvents) {
        ctx.fillStyle = c.fg;
        ctx.fillText(`recorded calls (${view.trace.t.length})`, 8, y + 8);
        const { t, group } = view.trace;
        for (let i = 0; i < t.length; i++) {
          const ex = px(t[i]! + offset);
          if (ex < LABEL_W || ex > w) continue;
          ctx.fillStyle = c.groups[Math.min(group[i]!, GROUP_COLORS - 1)]!;
          ctx.fillRect(Math.round(ex), y + 6, 2, EVENTS_H - 10);
        }
        y += EVENTS_H;
      }
      ctx.strokeStyle = c.border;
      ctx.beginPath();
      ctx.moveTo(LABEL_W, y + 0.5);
      ctx.lineTo(w, y + 0.5);
      ctx.stroke();
      ctx.fillStyle = c.muted;
      ctx.font = '11px system-ui, sans-serif';
      const count = Math.max(2, Math.floor(plotW / 110));
      const ticks: { x: number; label: string }[] = [];
      if (axis.wall) {
        const u = scaleUtc()
          .domain([new Date(d0 * 1000), new Date(d1 * 1000)])
          .range(s.range() as [number, number]);
        const fmt = u.tickFormat(count);
        for (const tk of u.ticks(count)) ticks.push({ x: u(tk), label: fmt(tk) });
      } else {
        const fmt = s.tickFormat(count);
        for (const tk of s.ticks(count)) ticks.push({ x: s(tk), label: `${fmt(tk)} s` });
      }
      for (const tk of ticks) {
        ctx.fillRect(tk.x, y, 1, 4);
        // A label that would run past the right edge is left out (its tick stays).
        if (tk.x + 2 + ctx.measureText(tk.label).width <= w)
          ctx.fillText(tk.label, tk.x + 2, y + 6);
      }
    };

    const drawCursor = () => {
      const t0 = performance.now();
      const dpr = window.devicePixelRatio || 1;
      const w = st.width;
      if (top.width !== Math.round(w * dpr)) {
        top.width = Math.round(w * dpr);
        top.height = Math.round(heightPx * dpr);
        top.style.width = `${w}px`;
        top.style.height = `${heightPx}px`;
      }
      const ctx = top.getContext('2d')!;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, heightPx);
      const i = st.cursor;
      if (i < 0 || i >= n) return;
      const s = scale();
      const cx = Math.round(s(x[i]!)) + 0.5;
      ctx.strokeStyle = c.fg;
      ctx.beginPath();
      ctx.moveTo(cx, 0);
      ctx.lineTo(cx, heightPx - AXIS_H);
      ctx.stroke();
      const rows = readout.current?.querySelectorAll<HTMLElement>('dd[data-key]');
      tracks.forEach((tr, k) => {
        const col = view.columns.values[tr.column]!;
        const v = col[i]!;
        const prev = i > 0 ? col[i - 1]! : v;
        const dd = rows?.[k];
        if (dd) {
          const delta = Number.isFinite(v) && Number.isFinite(prev) ? v - prev : 0;
          dd.textContent = `${formatValue(v, tr.unit)}${delta !== 0 ? ` (${delta > 0 ? '+' : '−'}${formatValue(Math.abs(delta), tr.unit)})` : ''}`;
          dd.classList.toggle('changed', delta !== 0);
          dd.dataset.value = String(v);
        }
      });
      const time = readout.current?.querySelector('[data-cursor-time]');
      if (time)
        time.textContent = axis.wall
          ? new Date(x[i]! * 1000).toISOString().replace('.000Z', 'Z')
          : `t=${x[i]} s`;
      top.setAttribute('aria-valuenow', String(i));
      top.setAttribute('aria-valuetext', time?.textContent ?? String(i));
      if (!window.__timelineFrames) window.__timelineFrames = [];
      window.__timelineFrames.push(performance.now() - t0);
    };

    const setCursor = (i: number) => {
      st.cursor = Math.max(0, Math.min(n - 1, i));
      cancelAnimationFrame(st.raf);
      st.raf = requestAnimationFrame(drawCursor);
      onCursor.current({ index: st.cursor, time: x[st.cursor]! });
    };
    const cursorAt = (clientX: number) => {
      const r = top.getBoundingClientRect();
      const v = scale().invert(clientX - r.left);
      setCursor(nearest(x, v));
    };

    const z = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, Math.max(1, n / 8)])
      .filter(
        (e: Event) =>
          e.type === 'wheel' ||
          (e.type === 'mousedown' && (e as MouseEvent).shiftKey) ||
          e.type === 'dblclick',
      )
      .on('zoom', (e: { transform: ZoomTransform }) => {
        st.t = e.transform;
        cancelAnimationFrame(st.raf);
        st.raf = requestAnimationFrame(() => {
          drawBase();
          drawCursor();
        });
      });
    const sel = select(top);
    sel.call(z);
    const resize = () => {
      st.width = Math.max(LABEL_W + 100, box.clientWidth);
      z.translateExtent([
        [LABEL_W, 0],
        [st.width, heightPx],
      ]).extent([
        [LABEL_W, 0],
        [st.width, heightPx],
      ]);
      drawBase();
      drawCursor();
    };
    const ro = new ResizeObserver(resize);
    ro.observe(box);
    resize();
    if (st.cursor < 0 && n > 0) setCursor(n - 1);
    const move = (e: PointerEvent) => {
      if (e.buttons === 0 || e.pointerType !== 'mouse' || e.buttons === 1) cursorAt(e.clientX);
    };
    const key = (e: KeyboardEvent) => {
      const page = Math.max(1, Math.round(n / 20));
      const next =
        e.key === 'ArrowLeft'
          ? st.cursor - 1
          : e.key === 'ArrowRight'
            ? st.cursor + 1
            : e.key === 'PageUp'
              ? st.cursor - page
              : e.key === 'PageDown'
                ? st.cursor + page
                : e.key === 'Home'
                  ? 0
                  : e.key === 'End'
                    ? n - 1
                    : null;
      if (next === null) return;
      e.preventDefault();
      setCursor(next);
    };
    top.addEventListener('pointermove', move);
    top.addEventListener('pointerdown', move);
    top.addEventListener('keydown', key);
    (top as unknown as { __seek: (v: number) => void }).__seek = (v: number) =>
      setCursor(lowerBound(x, v));
    return () => {
      ro.disconnect();
      sel.on('.zoom', null);
      cancelAnimationFrame(st.raf);
      top.removeEventListener('pointermove', move);
      top.removeEventListener('pointerdown', move);
      top.removeEventListener('keydown', key);
    };
  }, [view, tracks, axis, heightPx, hasEvents, hasFrames, offset]);

  useEffect(() => {
    if (props.seekTo === null) return;
    (over.current as unknown as { __seek?: (v: number) => void })?.__seek?.(props.seekTo);
  }, [props.seekTo]);

  return (
    <div className="timeline-tracks-row">
      <div className="timeline-tracks" ref={wrap}>
        <canvas ref={base} />
        <canvas
          ref={over}
          className="timeline-cursor"
          role="slider"
          tabIndex={0}
          aria-label="Timeline cursor"
          aria-valuemin={0}
          aria-valuemax={Math.max(0, axis.x.length - 1)}
          aria-valuenow={0}
        />
      </div>
      <dl className="timeline-readout" ref={readout} aria-label="Values at the cursor">
        <div className="readout-row readout-time">
          <dt>at</dt>
          <dd data-cursor-time="">—</dd>
        </div>
        {tracks.map((tr) => (
          <div key={tr.key} className="readout-row">
            <dt>{tr.key}</dt>
            <dd data-key={tr.key}>—</dd>
          </div>
        ))}
      </dl>
      {other.length > 0 && <p className="tools-note">Other keys recorded: {other.join(', ')}</p>}
    </div>
  );
}
