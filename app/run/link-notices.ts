/**
 * What a link's load repaired, dropped or could not use, in words: the banner's title and lines,
 * and a one-line `brief` for the embed, whose audience must not be shown the wrong scenario
 * without a word. The engine reports the fragment's repairs (src/worker/host.ts), each with a
 * code the notice is chosen by; the query string's compare parameters are compare's own
 * (app/compare/compare-notice.ts).
 */
import { DEFAULT_PRESET, SCENARIO_VERSION } from '../../src/scenario/index';
import { type LoadResult, stepPastEndRepair } from '../../src/worker/protocol';

export interface NoticeText {
  tone: 'error' | 'warning';
  title: string;
  messages: string[];
  /** One line for a compact notice (the embed); the messages stay available in full. */
  brief: string;
  /** A button that loads this fragment (Try anyway for a newer link format). */
  action?: { label: string; fragment: string };
  /** The link that could not be used, shown with a copy button so it is not lost. */
  link?: string;
}

/** The fragment with its format version set to this build's: what Try anyway loads. */
export function asCurrentVersion(fragment: string): string {
  return fragment.replace(/([#&])v=\d+/, `$1v=${SCENARIO_VERSION}`);
}

export function briefOf(title: string, messages: string[]): string {
  const first = messages[0];
  if (first === undefined) return title;
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more)` : '';
  return `${title}: ${first}${more}`;
}

/**
 * The notice for a fragment's load, or null when it needed nothing (classified by repair code).
 * `fragment` is the link as loaded: a link that could not be used is kept in the notice.
 */
export function fragmentNotice(r: LoadResult, fragment?: string): NoticeText | null {
  if (r.repairs.length === 0 && !(r.ok && r.errors.length > 0)) return null;
  const messages = [...r.errors, ...r.repairs.map((x) => x.text)];
  const unusable = r.repairs.some((x) => x.code === 'link-unusable');
  if (!unusable) {
    // Only the model changed: the link is fine, today's model differs (issue 14, Compatibility).
    const title = r.repairs.every((x) => x.code === 'model-changed')
      ? 'This link was made with an older model'
      : 'This link needed repairs to load';
    return { tone: 'warning', title, messages, brief: briefOf(title, messages) };
  }
  const kept = fragment !== undefined ? { link: fragment } : {};
  const newer = r.repairs.find((x) => x.code === 'link-newer');
  if (newer !== undefined) {
    const title = `This link could not be loaded: it was made by a newer Fracture (link format version ${newer.value ?? '?'}), so it was not run; the default scenario is shown`;
    const action =
      fragment !== undefined
        ? { action: { label: 'Try anyway', fragment: asCurrentVersion(fragment) } }
        : {};
    return { tone: 'error', title, messages, brief: title, ...kept, ...action };
  }
  const preset = r.repairs.find((x) => x.code === 'preset-unknown')?.value;
  if (preset !== undefined) {
    const name = preset.length > 40 ? `${preset.slice(0, 40)}…` : preset;
    const title = `The link's preset "${name}" was not found, so the default scenario (${DEFAULT_PRESET}) is shown`;
    return { tone: 'error', title, messages, brief: title, ...kept };
  }
  const title = 'This link could not be loaded, so the default scenario is shown';
  return { tone: 'error', title, messages, brief: briefOf(title, messages), ...kept };
}

/**
 * The notice for a source the app built (controls, a `#src=` file): what the engine repaired,
 * and a view's step past the run's end (a `#src=` link's step, clamped by the app's seek).
 */
export function repairNotice(r: LoadResult, viewStep: number | undefined): NoticeText | null {
  const repairs = [...r.repairs];
  if (viewStep !== undefined && r.info && viewStep > r.info.steps)
    repairs.push(stepPastEndRepair(viewStep, r.info.steps));
  if (repairs.length === 0) return null;
  const title = 'The scenario was repaired';
  const messages = repairs.map((x) => x.text);
  return { tone: 'warning', title, messages, brief: `${title}: ${messages.join('; ')}` };
}
