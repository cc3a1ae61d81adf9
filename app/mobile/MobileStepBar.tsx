/** The phone viewer's step bar: previous, play/pause, next (thumb-sized), the scrubber, step n / N. */
import type { OutcomeMarks } from '../../src/worker/protocol';
import { NextIcon, PauseIcon, PlayIcon, PrevIcon } from '../controls/icons';
import { Scrubber } from '../controls/Scrubber';
import { formatCount } from '../panels/format';
import { useUi } from '../store';

export function MobileStepBar(props: { hasInfo: boolean; marks: OutcomeMarks | null }) {
  const step = useUi((s) => s.step);
  const maxStep = useUi((s) => s.maxStep);
  const playing = useUi((s) => s.playing);
  const ui = useUi.getState();
  const off = !props.hasInfo;
  return (
    <nav className="mobile-bar" aria-label="Steps">
      <Scrubber
        step={step}
        steps={maxStep}
        marks={props.marks}
        onSeek={(s) => {
          ui.setPlaying(false);
          ui.seek(s);
        }}
      />
      <div className="mobile-buttons">
        <button
          type="button"
          className="icon-button"
          aria-label="Previous step"
          disabled={off || step <= 0}
          onClick={() => ui.stepBy(-1)}
        >
          <PrevIcon />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={playing ? 'Pause' : 'Play'}
          disabled={off}
          onClick={() => ui.togglePlaying()}
        >
          {playing ? <PauseIcon /> : <PlayIcon />}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Next step"
          disabled={off || step >= maxStep}
          onClick={() => ui.stepBy(1)}
        >
          <NextIcon />
        </button>
        <output className="mobile-step">
          step <b>{formatCount(step)}</b> / {formatCount(maxStep)}
        </output>
      </div>
    </nav>
  );
}
