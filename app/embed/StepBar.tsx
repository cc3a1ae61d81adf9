/** The embed's step bar: previous, play/pause, next, the scrubber (controls=full), step n / N. */
import { NextIcon, PauseIcon, PlayIcon, PrevIcon } from '../controls/icons';
import { Scrubber } from '../controls/Scrubber';
import { formatCount } from '../panels/format';
import { useUi } from '../store';

export function StepBar(props: { full: boolean; hasInfo: boolean }) {
  const step = useUi((s) => s.step);
  const maxStep = useUi((s) => s.maxStep);
  const playing = useUi((s) => s.playing);
  const ui = useUi.getState();
  const off = !props.hasInfo;
  return (
    <nav className="embed-bar" aria-label="Steps">
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
      {props.full && (
        <Scrubber
          step={step}
          steps={maxStep}
          marks={null}
          onSeek={(s) => {
            ui.setPlaying(false);
            ui.seek(s);
          }}
        />
      )}
      <output className="embed-step">
        step <b>{formatCount(step)}</b> / {formatCount(maxStep)}
      </output>
    </nav>
  );
}
