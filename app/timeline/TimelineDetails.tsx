/**
 * Beside the tracks: the ptdump frame at the cursor as a map of the direct map (one cell per
 * 2 MiB region, coloured by the level that maps it, regions that changed since the previous
 * frame outlined), and the recorded calls grouped by caller ("who split what").
 */
import { useEffect, useRef } from 'react';
import type { TimelineFrame, TimelineView, TraceGroup } from '../../src/worker/protocol';
import { openTraceScenario } from './open';
import { formatValue } from './tracks';

const LEVEL_NAMES = ['unmapped', '1G', '2M', '4K'] as const;

function levelColors(): string[] {
  const cs = getComputedStyle(document.documentElement);
  const v = (n: string, d: string) => cs.getPropertyValue(n).trim() || d;
  return [
    v('--cell-hole', '#e2e4e8'),
    v('--dm-1g', '#1f3f8f'),
    v('--dm-2m', '#5b8def'),
    v('--dm-4k', '#e0a100'),
  ];
}

function countLevels(levels: Uint8Array): number[] {
  const out = [0, 0, 0, 0];
  for (let i = 0; i < levels.length; i++) out[levels[i]!]!++;
  return out;
}

export function FrameMap(props: {
  frames: TimelineFrame[];
  index: number;
  diff: boolean;
  onDiff: (on: boolean) => void;
  onSeek: (index: number) => void;
}) {
  const { frames, index, diff } = props;
  const frame = frames[index];
  const prev = index > 0 ? frames[index - 1] : undefined;
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !frame) return;
    const n = frame.regions;
    const widthPx = 360;
    const cell = n <= 512 ? 10 : n <= 4096 ? 5 : n <= 16384 ? 2 : 1;
    const cols = Math.floor(widthPx / cell);
    const rowsN = Math.max(1, Math.ceil(n / cols));
    const dpr = window.devicePixelRatio || 1;
    canvas.width = widthPx * dpr;
    canvas.height = rowsN * cell * dpr;
    canvas.style.width = `${widthPx}px`;
    canvas.style.height = `${rowsN * cell}px`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const colors = levelColors();
    const gap = cell >= 5 ? 1 : 0;
    // Batched by colour: four fill styles, one pass each; 4K last and at least 3 px, so a few
    // split regions among tens of thousands still show.
    for (let lv = 0; lv < 4; lv++) {
      ctx.fillStyle = colors[lv]!;
      const size = lv === 3 ? Math.max(3, cell - gap) : cell - gap;
      for (let r = 0; r < n; r++) {
        if (frame.levels[r] !== lv) continue;
        ctx.fillRect((r % cols) * cell, Math.floor(r / cols) * cell, size, size);
      }
    }
    if (diff && prev) {
      ctx.strokeStyle =
        getComputedStyle(document.documentElement).getPropertyValue('--alarm').trim() || '#c2263b';
      ctx.lineWidth = cell >= 5 ? 2 : 1;
      for (let r = 0; r < n; r++) {
        if ((prev.levels[r] ?? 0) === frame.levels[r]) continue;
        ctx.strokeRect(
          (r % cols) * cell + 0.5,
          Math.floor(r / cols) * cell + 0.5,
          Math.max(1, cell - 1),
          Math.max(1, cell - 1),
        );
      }
    }
  }, [frame, prev, diff]);
  if (!frame) return null;
  const counts = countLevels(frame.levels);
  let changed = 0;
  if (prev)
    for (let r = 0; r < frame.regions; r++)
      if ((prev.levels[r] ?? 0) !== frame.levels[r]) changed++;
  return (
    <section className="timeline-frame" aria-label="Map frame">
      <h3>
        ptdump frame {index + 1} of {frames.length}
        {!frame.complete && ' (cut short)'}
      </h3>
      <div className="timeline-frame-nav">
        <button
          type="button"
          className="text-button"
          disabled={index === 0}
          onClick={() => props.onSeek(index - 1)}
        >
          Previous frame
        </button>
        <button
          type="button"
          className="text-button"
          disabled={index >= frames.length - 1}
          onClick={() => props.onSeek(index + 1)}
        >
          Next frame
        </button>
        <label>
          <input
            type="checkbox"
            checked={diff}
            disabled={!prev}
            onChange={(e) => props.onDiff(e.currentTarget.checked)}
          />
          Mark what changed since the previous frame
        </label>
      </div>
      {frame.error ? (
        <p role="alert">This dump could not be read as a direct map: {frame.error}</p>
      ) : (
        <>
          <canvas
            ref={ref}
            aria-label={`Direct map at frame ${index + 1}: ${counts[3]} 4K, ${counts[2]} 2M, ${counts[1]} 1G regions`}
            role="img"
          />
          <p className="tools-note">
            {LEVEL_NAMES.map((l, i) => `${counts[i]!.toLocaleString('en-US')} ${l}`).join(' · ')} (2
            MiB regions)
            {frame.meminfo && ` — DirectMap4k ${formatValue(frame.meminfo.DirectMap4k, 'kB')}`}
            {prev && ` — ${changed} region(s) differ from frame ${index}`}
          </p>
        </>
      )}
    </section>
  );
}

export function TraceTable(props: {
  groups: TraceGroup[];
  calls: number;
  scenario?: TimelineView['traceScenario'];
}) {
  const { groups, scenario } = props;
  if (groups.length === 0) return null;
  return (
    <section className="timeline-trace" aria-label="Who split what">
      <h3>Who split what: {props.calls.toLocaleString('en-US')} recorded call(s) by caller</h3>
      {scenario && (
        <p className="timeline-trace-open">
          <button
            type="button"
            className="text-button"
            onClick={() => void openTraceScenario(scenario.scenario)}
          >
            Open the recorded calls as a scenario
          </button>{' '}
          <span className="tools-note">
            replays them on the direct map (recorded-call events)
            {scenario.skipped.length > 0 ? `; ${scenario.skipped.join('; ')}` : ''}
          </span>
        </p>
      )}
      <table className="timeline-table">
        <thead>
          <tr>
            <th scope="col">caller</th>
            <th scope="col">function</th>
            <th scope="col">calls</th>
            <th scope="col">pages</th>
            <th scope="col">processes</th>
          </tr>
        </thead>
        <tbody>
          {groups.slice(0, 100).map((g) => (
            <tr key={g.caller}>
              <td>
                <details>
                  <summary>
                    <code>{g.caller}</code>
                  </summary>
                  <pre className="tools-pre">{g.stack.join('\n')}</pre>
                </details>
              </td>
              <td>
                <code>{g.fns.join(', ')}</code>
              </td>
              <td>{g.calls.toLocaleString('en-US')}</td>
              <td>{g.pages.toLocaleString('en-US')}</td>
              <td>{g.comms.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
