/**
 * Captions as the lecture walks and edits them: pure functions over the scenario's
 * `captions` ({step, text}, at most one per step, kept sorted by step).
 */
import type { Caption, Scenario } from '../../src/scenario/index';

/** The scenario with `text` as the caption at `step` (added, or replacing the one there). */
export function withCaption(s: Scenario, step: number, text: string): Scenario {
  const rest = (s.captions ?? []).filter((c) => c.step !== step);
  const captions = [...rest, { step, text }].sort((a, b) => a.step - b.step);
  return { ...s, captions };
}

export function withoutCaption(s: Scenario, step: number): Scenario {
  return { ...s, captions: (s.captions ?? []).filter((c) => c.step !== step) };
}

/** The captioned step after (dir 1) or before (dir -1) `step`, or null at either end. */
export function captionStepFrom(
  captions: readonly Caption[],
  step: number,
  dir: 1 | -1,
): number | null {
  let best: number | null = null;
  for (const c of captions) {
    if (dir > 0 && c.step > step && (best === null || c.step < best)) best = c.step;
    if (dir < 0 && c.step < step && (best === null || c.step > best)) best = c.step;
  }
  return best;
}

/** The caption in force at `step`: the one there, else the last one before it. */
export function captionAt(captions: readonly Caption[], step: number): Caption | null {
  let best: Caption | null = null;
  for (const c of captions) if (c.step <= step && (!best || c.step >= best.step)) best = c;
  return best;
}
