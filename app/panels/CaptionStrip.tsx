/**
 * The scenario's narration: the caption of the current step, or (dimmed) the last one before it,
 * so the story never goes blank between captioned steps.
 *
 * `steady` (the explorer): the box is as tall as the scenario's tallest caption, up to a few lines,
 * whatever the step, so the map above does not change size from step to step; a caption longer
 * than that gets "More", which opens it whole over the charts below instead of pushing them.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { RunInfo } from '../../src/worker/protocol';
import { CaptionSizers } from './CaptionSizers';

export function CaptionStrip(props: {
  info: RunInfo;
  step: number;
  caption: string | null;
  steady?: boolean;
}) {
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
  if (props.steady) {
    if (info.captions.length === 0 && text === null) return null;
    return <SteadyCaption info={info} text={text} at={at} step={step} />;
  }
  if (text === null) return null;
  return (
    <div className={at === step ? 'caption' : 'caption stale'} aria-live="polite">
      <span className="caption-step">step {at}</span>
      <p>{text}</p>
    </div>
  );
}

function SteadyCaption(props: { info: RunInfo; text: string | null; at: number; step: number }) {
  const { info, text, at, step } = props;
  const slot = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const shown = useRef<HTMLParagraphElement>(null);
  const [overflows, setOverflows] = useState(false);
  /** The slot's height while the caption is open over what follows (null: closed). */
  const [openAt, setOpenAt] = useState<number | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again for each caption (the clamped box keeps its size when its text changes, so the observer alone would miss it)
  useLayoutEffect(() => {
    const b = body.current;
    const p = shown.current;
    if (!b || !p) return;
    // The shown caption is line-clamped while closed: taller content means there is more.
    const measure = () => setOverflows(p.scrollHeight > p.clientHeight + 1);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(b);
    return () => ro.disconnect();
  }, [text]);

  // Open, the caption lies over the charts below; one too long for that room slides up over the
  // map, and only one longer than the whole column scrolls.
  const overlay = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: placed again for each caption shown
  useLayoutEffect(() => {
    const el = overlay.current;
    const s = slot.current;
    const column = s?.parentElement;
    if (!el || !s || !column) return;
    if (openAt === null) {
      el.style.top = '';
      el.style.maxHeight = '';
      return;
    }
    const c = column.getBoundingClientRect();
    const room = c.height - 16;
    el.style.maxHeight = `${room}px`;
    const below = c.bottom - 8 - s.getBoundingClientRect().top;
    el.style.top = `${Math.min(0, below - Math.min(el.scrollHeight, room))}px`;
  }, [openAt, text]);

  const open = openAt !== null;
  const stale = text !== null && at !== step;
  return (
    <div className="caption-slot" ref={slot} style={open ? { height: openAt } : undefined}>
      <div
        ref={overlay}
        className={`caption steady${stale ? ' stale' : ''}${open ? ' open' : ''}`}
        aria-live="polite"
      >
        <span className="caption-step">step {at}</span>
        <div className="caption-body" ref={body}>
          <p ref={shown} className={text === null ? 'caption-text caption-none' : 'caption-text'}>
            {text ?? 'No caption before this step.'}
          </p>
          {!open && (
            <CaptionSizers captions={info.captions} className="caption-text caption-sizer" />
          )}
        </div>
        {(overflows || open) && (
          <button
            type="button"
            className="text-button caption-more"
            aria-expanded={open}
            onClick={() => setOpenAt(open ? null : (slot.current?.offsetHeight ?? null))}
          >
            {open ? 'Less' : 'More'}
          </button>
        )}
      </div>
    </div>
  );
}
