/**
 * The scenario's narration: the caption of the current step, or (dimmed) the last one before it,
 * so the story never goes blank between captioned steps.
 */
import type { RunInfo } from '../../src/worker/protocol';

export function CaptionStrip(props: { info: RunInfo; step: number; caption: string | null }) {
  const { info, step, caption } = props;
  let text = caption;
  let at = step;
  if (text === null) {
    let best: { step: number; text: string } | null = null;
    for (const c of info.captions) if (c.step <= step && (!best || c.step >= best.step)) best = c;
    if (best) {
      text = best.text;
      at = best.step;
    }
  }
  if (text === null) return null;
  return (
    <div className={at === step ? 'caption' : 'caption stale'} aria-live="polite">
      <span className="caption-step">step {at}</span>
      <p>{text}</p>
    </div>
  );
}
