/**
 * The bottom bar: play/pause, previous/next step, jumps to the next outcome of a kind, speed,
 * the scrubber with outcome marks, and the step counter.
 */
import { memo } from 'react';
import type { RunInfo } from '../../src/worker/protocol';
import { formatCount } from '../panels/format';
import { JUMP_KINDS, kindMeta } from '../panels/kinds';
import { SPEEDS, type Speed, useUi } from '../store';
import { NextIcon, PauseIcon, PlayIcon, PrevIcon } from './icons';
import { Scrubber } from './Scrubber';

export const TimelineBar = memo(function TimelineBar(props: {
  info: RunInfo | null;
  jump(kind: string, dir: 1 | -1): void;
  status: string;
}) {
  const { info, jump, status } = props;
  const step = useUi((s) => s.step);
  const maxStep = useUi((s) => s.maxStep);
  const computed = useUi((s) => s.computed);
  const playing = useUi((s) => s.playing);
  const speed = useUi((s) => s.speed);
  const ui = useUi.getState();
  const disabled = info === null;

  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-buttons">
        <button
          type="button"
          className="icon-button"
          aria-label="Previous step"
          title="Previous step (←)"
          disabled={disabled || step <= 0}
          onClick={() => ui.stepBy(-1)}
        >
          <PrevIcon />
        </button>
        <button
          type="button"
          className="icon-button play"
          aria-label={playing ? 'Pause' : 'Play'}
          title={playing ? 'Pause (Space)' : 'Play (Space)'}
          disabled={disabled}
          onClick={() => ui.togglePlaying()}
        >
          {playing ? <PauseIcon /> : <PlayIcon />}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Next step"
          title="Next step (→)"
          disabled={disabled || step >= computed}
          onClick={() => ui.stepBy(1)}
        >
          <NextIcon />
        </button>
      </div>
      <div className="timeline-jumps">
        {JUMP_KINDS.map((j) => (
          <button
            key={j.kind}
            type="button"
            className="jump"
            title={`Next ${j.label} (${j.key}; Shift+${j.key} for the previous one)`}
            disabled={disabled}
            onClick={(e) => jump(j.kind, e.shiftKey ? -1 : 1)}
          >
            <span className="swatch" style={{ background: kindMeta(j.kind).color }} />
            Next {j.label}
          </button>
        ))}
      </div>
      <Scrubber
        step={step}
        steps={maxStep}
        marks={info?.marks ?? null}
        onSeek={(s) => {
          ui.setPlaying(false);
          ui.seek(s);
        }}
      />
      <output className="step-counter" aria-live="off">
        step <b>{formatCount(step)}</b> / {formatCount(maxStep)}
      </output>
      {computed < maxStep && (
        <span
          className="run-progress"
          role="progressbar"
          aria-label="Run computed"
          aria-valuemin={0}
          aria-valuemax={maxStep}
          aria-valuenow={computed}
          aria-valuetext={`${formatCount(computed)} of ${formatCount(maxStep)} steps computed`}
          title={`${formatCount(computed)} of ${formatCount(maxStep)} steps computed; the worker runs the rest`}
        >
          running… {Math.floor((computed / Math.max(1, maxStep)) * 100)}%
        </span>
      )}
      <label className="speed">
        <span className="visually-hidden">Speed</span>
        <select
          aria-label="Speed"
          value={speed}
          onChange={(e) => ui.setSpeed(Number(e.currentTarget.value) as Speed)}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s} step{s === 1 ? '' : 's'}/s
            </option>
          ))}
        </select>
      </label>
      <span className="timeline-status" role="status">
        {status}
      </span>
    </section>
  );
});
