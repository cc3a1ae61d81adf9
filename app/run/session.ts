/**
 * The loaded run: which source it came from, the worker's RunInfo, and the notices a load left
 * (repairs, errors). Engine data, so it lives here and not in the UI store. One load at a time:
 * a newer load makes an older one's answer stale, and stale answers are dropped.
 *
 * Loads are progressive: the worker answers once the step to show is computed and runs the rest
 * in the background; until it is done, the session asks for its progress a few times a second
 * and updates RunInfo (series, marks, computed) and the store's computed step.
 */
import { useSyncExternalStore } from 'react';
import { DEFAULT_PRESET } from '../../src/scenario/presets';
import type { LoadOptions, LoadResult, RunInfo, ViewState } from '../../src/worker/protocol';
import { readCompareParams } from '../compare/compare-url';
import { defaultB } from '../compare/sides';
import { getEngine, prefetchSnapshot, takeEarlyLoad } from '../engine-client';
import { useUi } from '../store';
import { loadSourceOf, type RunSource, sourceOfFragment } from '../url';
import { compareNotice, fragmentNotice, type NoticeText, stepPastEnd } from './link-notices';

export interface Notice extends NoticeText {
  id: number;
}

export interface RunState {
  source: RunSource | null;
  /** What is being loaded right now (shown by the controls until it lands). */
  pending: RunSource | null;
  info: RunInfo | null;
  loading: boolean;
  notices: Notice[];
  /** Bumped on every completed load; hooks key their caches on it. */
  generation: number;
}

let state: RunState = {
  source: null,
  pending: null,
  info: null,
  loading: false,
  notices: [],
  generation: 0,
};
const listeners = new Set<() => void>();
let loadSeq = 0;
let noticeSeq = 0;

function setState(patch: Partial<RunState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function useRun(): RunState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

export function getRun(): RunState {
  return state;
}

function notice(tone: Notice['tone'], title: string, messages: string[], brief = title): Notice {
  return { id: ++noticeSeq, tone, title, messages, brief };
}

const noticeOf = (n: NoticeText): Notice => ({ id: ++noticeSeq, ...n });

export function dismissNotice(id: number): void {
  setState({ notices: state.notices.filter((n) => n.id !== id) });
}

/** How often a running run's progress is fetched (series and marks are redrawn this often). */
const PROGRESS_MS = 400;

function applyView(view: ViewState, info: RunInfo): void {
  const ui = useUi.getState();
  ui.setMaxStep(info.steps, info.computed);
  if (view.step !== undefined) ui.seek(view.step);
  if (view.layer !== undefined) ui.setLayer(view.layer);
  ui.setZoom(view.zoom ?? null);
  ui.selectPfn(view.sel ?? null);
}

function accept(r: LoadResult, info: RunInfo, source: RunSource, notices: Notice[]): void {
  const ui = useUi.getState();
  ui.suggestSpeed(info.steps);
  // The first run of the page: no map is mounted yet to ask for its snapshot; ask now, so the
  // worker builds it while React renders everything around the map.
  if (state.info === null && (r.view.layer ?? ui.layer) !== 'guest') {
    const step = r.view.step ?? ui.step;
    prefetchSnapshot(Math.max(0, Math.min(info.computed, Math.round(step) || 0)));
  }
  // The page's first run: a compare link's B parameters are read once, by compare, now.
  const compare = state.info === null ? readCompareParams(window.location.search) : null;
  if (compare) {
    const n = compareNotice(window.location.search, defaultB(info, compare));
    if (n) notices.push(noticeOf(n));
  }
  ui.setPlaying(false);
  ui.selectOutcome(null);
  if (ui.guestIndex >= info.guests.length) ui.setGuestIndex(0);
  applyView(r.view, info);
  setState({
    source,
    pending: null,
    info,
    loading: false,
    notices: [...state.notices, ...notices],
    generation: state.generation + 1,
  });
  followProgress();
}

/** Until the run is computed, fetch its progress; a newer load ends the loop. */
function followProgress(): void {
  const generation = state.generation;
  const poll = async () => {
    if (generation !== state.generation || !state.info) return;
    if (state.info.computed >= state.info.steps) return;
    await new Promise((resolve) => window.setTimeout(resolve, PROGRESS_MS));
    if (generation !== state.generation || !state.info) return;
    const p = await getEngine()
      .progress()
      .catch(() => null);
    if (generation !== state.generation || !state.info || !p) return;
    const { series, marks, computed, runMs } = p;
    useUi.getState().setComputed(computed);
    setState({ info: { ...state.info, series, marks, computed, runMs } });
    if (p.error) {
      const title = `The run stopped at step ${computed}; later steps cannot be shown`;
      setState({ notices: [...state.notices, notice('error', title, [p.error])] });
      return;
    }
    void poll();
  };
  void poll();
}

/**
 * A link's view is all of the view: what it does not give takes its default (step 0, the direct
 * map, the whole host, no selection), never what the tab showed before a hand edit.
 */
export function linkView(view: ViewState): ViewState {
  return { step: 0, layer: 'direct-map', ...view };
}

const progressive = (view: ViewState | undefined): LoadOptions =>
  view?.step !== undefined ? { progressive: true, step: view.step } : { progressive: true };

/** Startup and hand-edited links: a fragment, or the default preset when there is none. */
export async function loadFragment(fragment: string): Promise<void> {
  if (fragment === '') {
    await loadSource({ kind: 'preset', preset: DEFAULT_PRESET }, linkView({}));
    return;
  }
  const seq = ++loadSeq;
  const guess = sourceOfFragment(fragment, null);
  setState({ loading: true, pending: guess.kind === 'preset' ? guess : null });
  const r = await (takeEarlyLoad(fragment) ??
    getEngine().load({ kind: 'fragment', fragment }, { progressive: true }));
  if (seq !== loadSeq) return;
  const notices: Notice[] = [];
  const n = fragmentNotice(fragment, r);
  if (n) notices.push(noticeOf(n));
  if (r.ok && r.info) {
    accept(
      { ...r, view: linkView(r.view) },
      r.info,
      sourceOfFragment(fragment, r.info.scenario),
      notices,
    );
    return;
  }
  const why = r.errors.length > 0 ? r.errors : ['the link holds no scenario'];
  notices.push(
    notice('error', `The link could not be loaded; showing the ${DEFAULT_PRESET} preset`, why),
  );
  setState({ notices: [...state.notices, ...notices] });
  await loadSource({ kind: 'preset', preset: DEFAULT_PRESET }, linkView({}));
}

/**
 * Load a source the controls built. The view keeps the user's place (step, layer, zoom) unless
 * one is given. On failure the previous run is reloaded, so the app keeps working.
 */
export async function loadSource(source: RunSource, view?: ViewState): Promise<boolean> {
  const seq = ++loadSeq;
  const previous = state.source;
  setState({ loading: true, pending: source });
  const want = view ?? { step: useUi.getState().step };
  const r = await getEngine().load(loadSourceOf(source), progressive(want));
  if (seq !== loadSeq) return false;
  const notices: Notice[] = [];
  const repairs = [...r.repairs];
  // A link's view (a `#src=` link's) past the run's end: the seek below clamps it; say so.
  if (view?.step !== undefined && r.info && view.step > r.info.steps)
    repairs.push(stepPastEnd(view.step, r.info.steps));
  if (repairs.length > 0) {
    const title = 'The scenario was repaired';
    notices.push(notice('warning', title, repairs, `${title}: ${repairs.join('; ')}`));
  }
  if (r.ok && r.info) {
    const ui = useUi.getState();
    const keep: ViewState = { step: ui.step, layer: ui.layer };
    if (ui.zoom) keep.zoom = ui.zoom;
    accept({ ...r, view: view ?? keep }, r.info, source, notices);
    return true;
  }
  notices.push(notice('error', 'That change cannot run; the previous scenario is kept', r.errors));
  setState({ notices: [...state.notices, ...notices], loading: false, pending: null });
  if (previous) {
    // The worker replaced its run with the failed one; put the previous one back.
    const again = await getEngine().load(loadSourceOf(previous), progressive(want));
    if (seq === loadSeq && again.ok && again.info) {
      useUi.getState().setComputed(again.info.computed);
      setState({ info: again.info, source: previous, generation: state.generation + 1 });
      followProgress();
    }
  }
  return false;
}
