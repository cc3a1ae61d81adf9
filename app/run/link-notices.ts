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
  /** The counters the link recorded beside today's at its step (issue 14: then and now). */
  thenNow?: ThenNowRow[];
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

/** The title of a link whose only news is that the model changed since it was made. */
export const OLDER_MODEL_TITLE = 'This link was made with an older model';
export const LINK_REPAIRED_TITLE = 'This link needed repairs to load';

/** One counter then (as the link recorded it) and now (today's model at the link's step), kB. */
export interface ThenNowRow {
  counter: 'DirectMap4k' | 'DirectMap2M' | 'DirectMap1G';
  recorded: number;
  today: number | null;
}

/** A `c=` value ("4k-2m-1g" in kB) as then-and-now rows, today's column still unknown. */
export function thenRows(value: string | undefined): ThenNowRow[] | null {
  const m = /^(\d+)-(\d+)-(\d+)$/.exec(value ?? '');
  if (!m) return null;
  const names = ['DirectMap4k', 'DirectMap2M', 'DirectMap1G'] as const;
  return names.map((counter, i) => ({ counter, recorded: Number(m[i + 1]), today: null }));
}

/**
 * The notices for a fragment's load, each under its own heading (classified by repair code):
 * what was repaired; that the model changed since the link was made (with then and now when
 * the link recorded its counters); or that the link could not be used. A load that did not run
 * (too many events for the browser) says so in the caller's own notice, so its errors are not
 * repeated here, and an older model is not claimed for a run that did not happen.
 * `fragment` is the link as loaded: a link that could not be used is kept in the notice.
 */
export function fragmentNotices(r: LoadResult, fragment?: string): NoticeText[] {
  const changed = r.repairs.filter((x) => x.code === 'model-changed');
  const others = r.repairs.filter((x) => x.code !== 'model-changed');
  if (others.some((x) => x.code === 'link-unusable'))
    return [
      unusableNotice(
        r,
        others.map((x) => x.text),
        fragment,
      ),
    ];
  const out: NoticeText[] = [];
  const repaired = [...(r.ok ? r.errors : []), ...others.map((x) => x.text)];
  if (repaired.length > 0) {
    const title = LINK_REPAIRED_TITLE;
    out.push({ tone: 'warning', title, messages: repaired, brief: briefOf(title, repaired) });
  }
  if (r.ok && changed.length > 0) {
    const title = OLDER_MODEL_TITLE;
    const messages = changed.map((x) => x.text);
    const rows = thenRows(changed.find((x) => x.value !== undefined)?.value);
    out.push({
      tone: 'warning',
      title,
      messages,
      brief: briefOf(title, messages),
      ...(rows ? { thenNow: rows } : {}),
    });
  }
  return out;
}

/** The first of fragmentNotices, or null when the link needed nothing. */
export function fragmentNotice(r: LoadResult, fragment?: string): NoticeText | null {
  return fragmentNotices(r, fragment)[0] ?? null;
}

function unusableNotice(r: LoadResult, texts: string[], fragment?: string): NoticeText {
  const messages = [...r.errors, ...texts];
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
 * The title of a link's load that did not run: a scenario with more events than the browser
 * runs (the worker's MAX_WORKER_EVENTS message points to the CLI) has its own heading.
 */
export function notLoadedTitle(errors: readonly string[]): string {
  return errors.some((e) => /the browser runs at most/.test(e))
    ? `This link's scenario has too many events to run in the browser; showing the ${DEFAULT_PRESET} preset`
    : `The link could not be loaded; showing the ${DEFAULT_PRESET} preset`;
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
