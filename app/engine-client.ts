/**
 * The UI's one handle on the engine worker (comlink). Answers arrive with their typed arrays
 * transferred (worker.ts marks them), so nothing large is copied.
 *
 * The client also remembers the current run: every successful load() bumps a generation and
 * notifies subscribers, so components that cache per-run data (the memory map) refresh without
 * being told by their parents.
 */
import { type Remote, wrap } from 'comlink';
import type {
  EngineApi,
  LoadOptions,
  LoadResult,
  LoadSource,
  MapSnapshot,
  RunInfo,
} from '../src/worker/protocol';

/** Calls the worker has beyond EngineApi (the map asks only for what it shows). */
export interface EngineExtras {
  /** 512 cell codes for each listed host region (at most 4096). */
  cellsAt(step: number, regions: number[]): Promise<Uint8Array>;
  /** 512 cell codes for each listed GPA chunk of one guest (at most 4096). */
  guestCellsAt(step: number, guest: number, chunks: number[]): Promise<Uint8Array>;
  /** A guest's GPA space summarised per 2 MiB chunk, in MapSnapshot form. */
  guestSnapshot(step: number, guest: number): Promise<MapSnapshot>;
}

export type Engine = Remote<EngineApi & EngineExtras>;

declare global {
  interface Window {
    __fractureEngine?: Engine;
  }
}

export interface RunState {
  generation: number;
  info: RunInfo | null;
}

let engine: Engine | null = null;
let run: RunState = { generation: 0, info: null };
const listeners = new Set<(r: RunState) => void>();

export function getEngine(): Engine {
  if (engine) return engine;
  const worker = new Worker(new URL('../src/worker/worker.ts', import.meta.url), {
    type: 'module',
  });
  const remote = wrap<EngineApi & EngineExtras>(worker);
  const load = async (source: LoadSource, options?: LoadOptions): Promise<LoadResult> => {
    const r = await remote.load(source, options);
    performance.mark('fracture:loaded');
    if (r.ok && r.info) {
      run = { generation: run.generation + 1, info: r.info };
      for (const l of listeners) l(run);
    }
    return r;
  };
  const snapshot = (step: number): Promise<MapSnapshot> => {
    const p = prefetched;
    if (p && p.generation === run.generation && p.step === step) {
      prefetched = null;
      return p.snap;
    }
    return remote.snapshot(step);
  };
  engine = new Proxy(remote, {
    get: (target, prop, receiver) =>
      prop === 'load' ? load : prop === 'snapshot' ? snapshot : Reflect.get(target, prop, receiver),
  }) as Engine;
  // For the benchmark (bench/map.bench.spec.ts): seek round trips through the real worker.
  window.__fractureEngine = engine;
  return engine;
}

/** A load the entry started before the app's modules evaluated (main.tsx). */
let early: { fragment: string; result: Promise<LoadResult> } | null = null;

/** Start loading a share link's fragment now, as the session's loadFragment would. */
export function startEarlyLoad(fragment: string): void {
  const result = getEngine().load({ kind: 'fragment', fragment }, { progressive: true });
  result.catch(() => {});
  early = { fragment, result };
}

/** The early load of this fragment, once (null if none was started for it). */
export function takeEarlyLoad(fragment: string): Promise<LoadResult> | null {
  const e = early;
  early = null;
  return e && e.fragment === fragment ? e.result : null;
}

/**
 * The host snapshot of the first run's first step, asked for as soon as the load answers: the
 * worker builds it while React renders the panels, and the map's first request takes it.
 */
let prefetched: { generation: number; step: number; snap: Promise<MapSnapshot> } | null = null;

export function prefetchSnapshot(step: number): void {
  const snap = getEngine().snapshot(step);
  snap.catch(() => {});
  prefetched = { generation: run.generation, step, snap };
}

/** The run loaded last (null before the first successful load). */
export function currentRun(): RunState {
  return run;
}

/** Called after every successful load; returns the unsubscribe function. */
export function onRunChange(fn: (r: RunState) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Start the worker as soon as the app's modules load, so it is parsed and waiting by the time
// the first load() arrives (part of the 1.5 s first-frame budget for share links).
if (typeof Worker !== 'undefined') getEngine();
