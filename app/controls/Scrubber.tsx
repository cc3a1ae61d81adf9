/**
 * The step slider with outcome marks drawn along it (RunInfo.marks, one tick per mark, coloured
 * by kind). The marks are a canvas behind the track: a run can carry thousands of them. While
 * the worker is still computing the run, the part not computed yet is hatched (seeks stop at
 * its edge).
 */
import { useEffect, useRef } from 'react';
import { MARK_KINDS, type OutcomeMarks } from '../../src/worker/protocol';
import { kindMeta } from '../panels/kinds';
import { useUi } from '../store';
import './progress.css';

/** Half the thumb width in CSS px (styles.css .scrubber input): marks line up with the thumb. */
const THUMB_HALF_PX = 7;

function drawMarks(canvas: HTMLCanvasElement, marks: OutcomeMarks, steps: number): void {
  const cssW = canvas.clientWidth;
  const cssH = canvas.clientHeight;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(cssW * dpr));
  canvas.height = Math.max(1, Math.round(cssH * dpr));
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  if (steps <= 0) return;
  const usable = cssW - 2 * THUMB_HALF_PX;
  // Batch by kind: one path and one fill per colour.
  MARK_KINDS.forEach((kind, k) => {
    ctx.fillStyle = kindMeta(kind).color;
    ctx.beginPath();
    const lane = kind === 'guest-killed' || kind === 'launch-refused' || kind === 'host-oops';
    for (let i = 0; i < marks.steps.length; i++) {
      if (marks.kinds[i] !== k) continue;
      const x = THUMB_HALF_PX + ((marks.steps[i] ?? 0) / steps) * usable;
      if (lane) ctx.rect(Math.round(x) - 1, 0, 3, cssH);
      else ctx.rect(Math.round(x) - 0.5, cssH * 0.25, 1.5, cssH * 0.75);
    }
    ctx.fill();
  });
}

export function Scrubber(props: {
  step: number;
  steps: number;
  marks: OutcomeMarks | null;
  onSeek(step: number): void;
}) {
  const { step, steps, marks, onSeek } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const computed = useUi((s) => s.computed);
  const pending = steps > 0 && computed < steps ? 1 - computed / steps : 0;

  useEffect(() => {
    const c = canvas.current;
    if (!c || !marks) return;
    let width = c.clientWidth;
    drawMarks(c, marks, steps);
    const ro = new ResizeObserver(() => {
      if (c.clientWidth === width) return;
      width = c.clientWidth;
      drawMarks(c, marks, steps);
    });
    ro.observe(c);
    return () => ro.disconnect();
  }, [marks, steps]);

  return (
    <div className="scrubber">
      <canvas ref={canvas} className="scrubber-marks" />
      <input
        type="range"
        aria-label="Step"
        min={0}
        max={steps}
        step={1}
        value={step}
        aria-valuetext={`step ${step} of ${steps}`}
        onChange={(e) => onSeek(Number(e.currentTarget.value))}
      />
      {pending > 0 && (
        <div
          className="scrubber-pending"
          style={{ width: `calc((100% - ${2 * THUMB_HALF_PX}px) * ${pending})` }}
          title="Not computed yet"
        />
      )}
    </div>
  );
}
