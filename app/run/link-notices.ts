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
  /** error: not loaded; warning: repaired or replaced; note: loaded as given, with warnings. */
  tone: 'error' | 'warning' | 'note';
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

/** The title of a load's warnings: what the engine ignored or defaulted, nothing repaired. */
export const WARNINGS_TITLE = 'The scenario loaded with warnings';
export const REPAIRED_TITLE = 'The scenario was repaired';

/**
 * The notices for a source the app built (controls, a `#src=` file): its warnings (ignored
 * fields, a default mix, memory that may not fit — the scenario runs as given) and, apart from
 * them, what was repaired (a view's step past the run's end, clamped by the app's seek). Issue
 * 16: a warning shown under "The scenario was repaired" read as a fix that was never made.
 */
export function repairNotices(r: LoadResult, viewStep: number | undefined): NoticeText[] {
  const warnings = r.repairs.filter((x) => x.code === 'scenario-warning').map((x) => x.text);
  const repairs = r.repairs.filter((x) => x.code !== 'scenario-warning');
  if (viewStep !== undefined && r.info && viewStep > r.info.steps)
    repairs.push(stepPastEndRepair(viewStep, r.info.steps));
  const out: NoticeText[] = [];
  if (warnings.length > 0) {
    const title = WARNINGS_TITLE;
    out.push({ tone: 'note', title, messages: warnings, brief: briefOf(title, warnings) });
  }
  if (repairs.length > 0) {
    const title = REPAIRED_TITLE;
    const messages = repairs.map((x) => x.text);
    out.push({ tone: 'warning', title, messages, brief: `${title}: ${messages.join('; ')}` });
  }
  return out;
}
