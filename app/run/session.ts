/**
 * The run session: everything the main thread holds about the loaded run — which source it came
 * from (and its share link, from the worker), the load in flight, the worker's RunInfo, the
 * notices a load left, the `#src=` link it came from, the import overlay drawn on its map, and
 * whether a worker stopped. Engine data, so it lives here and not in the UI store. One load at a
 * time: a newer load makes an older one's answer stale, and stale answers are dropped. One
 * generation number, bumped on every accepted load: hooks and the map key their caches on it.
 *
 * Loads are progressive: the worker answers once the step to show is computed and runs the rest
 * in the background; until it is done, the session asks for its progress a few times a second
 * and updates RunInfo (series, marks, computed) and the store's computed step.
 */
import { useSyncExternalStore } from 'react';
import { DEFAULT_PRESET } from '../../src/scenario/index';
import type {
  LoadOptions,
  LoadResult,
  RunInfo,
  RunSource,
  ViewState,
} from '../../src/worker/protocol';
import { explorer, getEngine, prefetchSnapshot, publishRun, takeEarlyLoad } from '../engine-client';
import { useUi } from '../store';
import { toolsClient } from '../tools-client';
import {
  briefOf,
  fragmentNotices,
  type NoticeText,
  notLoadedTitle,
  REPAIRED_TITLE,
  repairNotices,
  WARNINGS_TITLE,
} from './link-notices';

export interface Notice extends NoticeText {
  id: number;
}

export interface SrcError {
  url: string;
  title: string;
  messages: string[];
}

/** What an import puts on the memory map (drawn by app/import/map-overlay.ts). */
export interface ImportOverlay {
  /** RunInfo.scenarioDigest of the run it was made for. */
  scenarioDigest: string;
  /** What was imported, for the legend ("ptdump", "SEV-SNP RMP messages"). */
  title: string;
  /** Reconcile: the model's step, and OV_* per 2 MiB region (null: no reconcile). */
  reconcile: { step: number; regions: Uint8Array; agree: number; differ: number } | null;
  /** SEV-SNP: frames named by the messages (each drawn with its 2 MiB region). */
  pfns: number[];
}

export interface RunState {
  source: RunSource | null;
  /** The share fragment's source part for `source` (the worker encodes it). */
  link: string | null;
  /** What is being loaded right now (shown by the controls until it lands). */
  pending: RunSource | null;
  info: RunInfo | null;
  loading: boolean;
  notices: Notice[];
  /** Bumped on every accepted load; hooks key their caches on it. */
  generation: number;
  /**
   * A link that could not be used and opened the default scenario: the address bar keeps it
   * until the user changes the view (app/share/useUrlSync.ts). Cleared by the next load.
   */
  keptLink: string | null;
  /** The `#src=` URL the run came from, while `source` is the scenario that file became. */
  src: { url: string; source: RunSource } | null;
  srcError: SrcError | null;
  importOverlay: ImportOverlay | null;
  /** Why the engine worker stopped (the app shows it with a way to reload the run). */
  engineFailure: string | null;
  /** Why the tools worker stopped. */
  toolsFailure: string | null;
}

let state: RunState = {
  source: null,
  link: null,
  pending: null,
  info: null,
  loading: false,
  notices: [],
  generation: 0,
  keptLink: null,
  src: null,
  srcError: null,
  importOverlay: null,
  engineFailure: null,
  toolsFailure: null,
};
const listeners = new Set<() => void>();
let loadSeq = 0;
let noticeSeq = 0;

function setState(patch: Partial<RunState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** Called after every change of the session (the edit queue waits for a load to land). */
export function subscribeRun(l: () => void): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

export function useRun(): RunState {
  return useSyncExternalStore(subscribe, () => state);
}

export function getRun(): RunState {
  return state;
}

/** A part of the session, re-rendering only when that part changes. */
export function useRunPart<T>(pick: (s: RunState) => T): T {
  return useSyncExternalStore(subscribe, () => pick(state));
}

function notice(tone: Notice['tone'], title: string, messages: string[], brief = title): Notice {
  return { id: ++noticeSeq, tone, title, messages, brief };
}

const noticeOf = (n: NoticeText): Notice => ({ id: ++noticeSeq, ...n });

/** Notices about the run on screen: a newer run's replace them (they would repeat or be stale). */
const RUN_TITLES = new Set([WARNINGS_TITLE, REPAIRED_TITLE]);

/**
 * The notices after a load adds its own: the previous run's warnings and repairs go, and a notice
 * with the same title as a new one is replaced by it — one banner per thing said, never two.
 */
function withLoadNotices(old: Notice[], added: Notice[]): Notice[] {
  const titles = new Set(added.map((n) => n.title));
  return [...old.filter((n) => !RUN_TITLES.has(n.title) && !titles.has(n.title)), ...added];
}

/** The notices with `added` in place of any of the same title (a failure said again). */
function replacing(old: Notice[], added: Notice[]): Notice[] {
  const titles = new Set(added.map((n) => n.title));
  return [...old.filter((n) => !titles.has(n.title)), ...added];
}

/** A notice of the app's own (the share link's guard), shown once per title while it stands. */
export function addNotice(n: NoticeText): void {
  if (state.notices.some((x) => x.title === n.title)) return;
  setState({ notices: [...state.notices, noticeOf(n)] });
}

/** Warnings the app learnt beside the load's (a `#src=` file's parse): one notice with them all. */
export function addWarnings(messages: string[]): void {
  const old = state.notices.find((n) => n.title === WARNINGS_TITLE);
  const all = [...new Set([...messages, ...(old?.messages ?? [])])];
  const n = noticeOf({
    tone: 'note',
    title: WARNINGS_TITLE,
    messages: all,
    brief: briefOf(WARNINGS_TITLE, all),
  });
  setState({ notices: [...state.notices.filter((x) => x !== old), n] });
}

export function dismissNotice(id: number): void {
  setState({ notices: state.notices.filter((n) => n.id !== id) });
}

// ---- the import overlay and the `#src=` link -------------------------------------------------

export function setImportOverlay(o: ImportOverlay | null): void {
  setState({ importOverlay: o });
}

export function getImportOverlay(): ImportOverlay | null {
  return state.importOverlay;
}

export function useImportOverlay(): ImportOverlay | null {
  return useRunPart((s) => s.importOverlay);
}

/** The URL the current run came from, when it came from a `#src=` link. */
export function getSrcLink(): string | null {
  const { src, source } = state;
  return src !== null && src.source === source ? src.url : null;
}

/** A `#src=` link is being opened: its URL and the source its file became (or null: it failed). */
export function setSrcLink(src: RunState['src'], srcError: SrcError | null = null): void {
  setState({ src, srcError });
}

export function dismissSrcError(): void {
  setState({ srcError: null });
}

// ---- worker failures -------------------------------------------------------------------------

explorer.subscribe((reason) => {
  if (reason === null) return;
  // Whatever was in flight is gone with the worker: drop its answers and stop waiting.
  loadSeq++;
  useUi.getState().setPlaying(false);
  setState({ engineFailure: reason, loading: false, pending: null });
});
toolsClient.subscribe((reason) => setState({ toolsFailure: reason }));

/** A new engine worker, and the run loaded again from the same source at the same view. */
export async function reloadRun(): Promise<void> {
  explorer.restart();
  setState({ engineFailure: null });
  const ui = useUi.getState();
  const view: ViewState = { step: ui.step, layer: ui.layer };
  if (ui.zoom) view.zoom = ui.zoom;
  if (ui.selectedPfn !== null) view.sel = ui.selectedPfn;
  if (state.source) await loadSource(state.source, view);
  else await loadSource({ kind: 'preset', preset: DEFAULT_PRESET }, linkView({}));
}

/** A new tools worker (the import or sweep that failed can be tried again). */
export function restartTools(): void {
  toolsClient.restart();
  setState({ toolsFailure: null });
}

// ---- loading ---------------------------------------------------------------------------------

let firstRunNotice: ((info: RunInfo) => NoticeText | null) | null = null;

/**
 * A check of the page's first run that belongs to another part (compare's link parameters,
 * app/compare/compare-notice.ts): the entry registers it, so the session imports nothing of it.
 */
export function setFirstRunNotice(check: (info: RunInfo) => NoticeText | null): void {
  firstRunNotice = check;
}

/** The view a link carries: step, layer, zoom (unless the whole host) and selection. */
export function currentView(hostBytes: number): ViewState {
  const ui = useUi.getState();
  const view: ViewState = { step: ui.step, layer: ui.layer };
  // The whole host is the default view: a link needs no zoom for it.
  const whole = ui.zoom !== null && ui.zoom.start <= 0 && ui.zoom.end >= hostBytes;
  if (ui.zoom && !whole) view.zoom = ui.zoom;
  if (ui.selectedPfn !== null) view.sel = ui.selectedPfn;
  return view;
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

/** An accepted run: the one place the generation is bumped and published. */
function publish(info: RunInfo, patch: Partial<RunState>): void {
  const generation = state.generation + 1;
  publishRun({ generation, info });
  setState({ ...patch, info, generation });
}

function accept(r: LoadResult, info: RunInfo, notices: Notice[]): void {
  const ui = useUi.getState();
  ui.suggestSpeed(info.steps);
  // The first run of the page: no map is mounted yet to ask for its snapshot; ask now, so the
  // worker builds it while React renders everything around the map.
  if (state.info === null && (r.view.layer ?? ui.layer) !== 'guest') {
    const step = r.view.step ?? ui.step;
    const first = Math.max(0, Math.min(info.computed, Math.round(step) || 0));
    prefetchSnapshot(first, state.generation + 1);
  }
  // The page's first run: what the page's own parameters say about it (a compare link's B).
  if (state.info === null) {
    const n = firstRunNotice?.(info) ?? null;
    if (n) notices.push(noticeOf(n));
  }
  ui.setPlaying(false);
  ui.selectOutcome(null);
  if (ui.guestIndex >= info.guests.length) ui.setGuestIndex(0);
  applyView(r.view, info);
  publish(info, {
    source: r.source?.source ?? null,
    link: r.source?.link ?? null,
    pending: null,
    loading: false,
    notices: withLoadNotices(state.notices, notices),
    keptLink: null,
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
    // A what-if's captions are decided as its run is computed.
    const captions = p.captions ?? state.info.captions;
    // A long run's digest is known once its events are all generated (worker/event-feed.ts).
    const scenarioDigest = p.scenarioDigest ?? state.info.scenarioDigest;
    const info = { ...state.info, series, marks, computed, runMs, captions, scenarioDigest };
    setState({ info });
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
 * Today's counters at the link's step beside the ones it recorded (issue 14: then and now),
 * once the worker answers; a newer load or a dismissed notice leaves nothing to fill.
 */
async function fillNow(id: number, step: number): Promise<void> {
  const generation = state.generation;
  const v = await getEngine()
    .stepView(step)
    .catch(() => null);
  if (v === null || generation !== state.generation) return;
  const now = v.metrics.meminfo;
  setState({
    notices: state.notices.map((n) =>
      n.id === id && n.thenNow
        ? { ...n, thenNow: n.thenNow.map((row) => ({ ...row, today: now[row.counter] })) }
        : n,
    ),
  });
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

/** A load's answer, or null when the worker stopped meanwhile (the failure state says so). */
async function answer(p: Promise<LoadResult>): Promise<LoadResult | null> {
  try {
    return await p;
  } catch (e) {
    if (explorer.failed !== null) return null;
    // A bug of ours in the worker's load: say it, rather than wait for an answer that never comes.
    const why = `the engine could not load it (internal error: ${e instanceof Error ? e.message : String(e)})`;
    return { ok: false, errors: [why], repairs: [], view: {}, info: null, source: null };
  }
}

/** Startup and hand-edited links: a fragment, or the default preset when there is none. */
export async function loadFragment(fragment: string): Promise<void> {
  if (fragment === '') {
    await loadSource({ kind: 'preset', preset: DEFAULT_PRESET }, linkView({}));
    return;
  }
  const seq = ++loadSeq;
  setState({ loading: true, pending: null });
  const r = await answer(
    takeEarlyLoad(fragment) ??
      getEngine().load({ kind: 'fragment', fragment }, { progressive: true }),
  );
  if (seq !== loadSeq || r === null) return;
  const notices: Notice[] = fragmentNotices(r, fragment).map(noticeOf);
  if (r.ok && r.info) {
    const view = linkView(r.view);
    accept({ ...r, view }, r.info, notices);
    const thenNow = notices.find((n) => n.thenNow !== undefined);
    if (thenNow) void fillNow(thenNow.id, view.step ?? 0);
    // Issue 16: the address bar keeps a link that could not be used, so it can be fixed.
    if (r.repairs.some((x) => x.code === 'link-unusable')) setState({ keptLink: fragment });
    return;
  }
  const why = r.errors.length > 0 ? r.errors : ['the link holds no scenario'];
  notices.push(notice('error', notLoadedTitle(why), why));
  setState({ notices: replacing(state.notices, notices) });
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
  const r = await answer(getEngine().load(source, progressive(want)));
  if (seq !== loadSeq || r === null) return false;
  const notices: Notice[] = [];
  for (const n of repairNotices(r, view?.step)) notices.push(noticeOf(n));
  if (r.ok && r.info) {
    const ui = useUi.getState();
    const keep: ViewState = { step: ui.step, layer: ui.layer };
    if (ui.zoom) keep.zoom = ui.zoom;
    // The caller's very object stays the source (a `#src=` link is known by it).
    const resolved = r.source ? { ...r.source, source } : null;
    accept({ ...r, view: view ?? keep, source: resolved }, r.info, notices);
    return true;
  }
  notices.push(notice('error', 'That change cannot run; the previous scenario is kept', r.errors));
  setState({ notices: replacing(state.notices, notices), loading: false, pending: null });
  if (previous) {
    // The worker replaced its run with the failed one; put the previous one back.
    const again = await answer(getEngine().load(previous, progressive(want)));
    if (seq === loadSeq && again?.ok && again.info) {
      useUi.getState().setComputed(again.info.computed);
      publish(again.info, { source: previous });
      followProgress();
    }
  }
  return false;
}
