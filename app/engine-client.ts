/**
 * The UI's handles on the engine worker: EngineClient, one instance per worker (the explorer's,
 * and compare's A and B). Answers arrive with their typed arrays transferred (worker.ts marks
 * them), so nothing large is copied. A worker that dies rejects every pending call and puts the
 * client in a failed state (WorkerClient); the run session shows it and can reload the run.
 *
 * The explorer's client also knows which run the session accepted last (publishRun): components
 * that cache per-run data (the memory map) refresh on its generation, the session's one number.
 */
import type { Remote } from 'comlink';
import type {
  EngineApi,
  LoadOptions,
  LoadResult,
  LoadSource,
  MapSnapshot,
  RunInfo,
} from '../src/worker/protocol';
import { testHooks } from './test-hooks';
import { WorkerClient } from './worker-client';

export type Engine = Remote<EngineApi>;

const startEngineWorker = () =>
  new Worker(new URL('../src/worker/worker.ts', import.meta.url), { type: 'module' });

export class EngineClient extends WorkerClient<EngineApi> {
  constructor() {
    super(startEngineWorker);
  }
}

export interface RunState {
  /** The session's generation of the run (0 before the first accepted load). */
  generation: number;
  info: RunInfo | null;
}

let run: RunState = { generation: 0, info: null };
const listeners = new Set<(r: RunState) => void>();

/** The session tells which run it accepted (app/run/session.ts); nothing else calls this. */
export function publishRun(next: RunState): void {
  run = next;
  for (const l of listeners) l(run);
}

/** The run the session accepted last (generation 0 before the first). */
export function currentRun(): RunState {
  return run;
}

/** Called after every accepted load; returns the unsubscribe function. */
export function onRunChange(fn: (r: RunState) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The explorer's engine client (one per page). */
export const explorer = new EngineClient();

/**
 * The host snapshot of the first run's first step, asked for as soon as the load answers: the
 * worker builds it while React renders the panels, and the map's first request takes it.
 */
let prefetched: { generation: number; step: number; snap: Promise<MapSnapshot> } | null = null;

const engine: Engine = new Proxy(explorer.api, {
  get: (target, prop, receiver) => {
    if (prop === 'snapshot') return snapshot;
    if (prop === 'load') return load;
    return Reflect.get(target, prop, receiver);
  },
});

async function load(source: LoadSource, options?: LoadOptions): Promise<LoadResult> {
  const r = await explorer.api.load(source, options);
  performance.mark('fracture:loaded');
  return r;
}

function snapshot(step: number): Promise<MapSnapshot> {
  const p = prefetched;
  if (p && p.generation === run.generation && p.step === step) {
    prefetched = null;
    return p.snap;
  }
  return explorer.api.snapshot(step);
}

/** The explorer's engine calls. */
export function getEngine(): Engine {
  return engine;
}

/** Ask for the first snapshot of the run about to be published as `generation`. */
export function prefetchSnapshot(step: number, generation: number): void {
  const snap = explorer.api.snapshot(step);
  snap.catch(() => {});
  prefetched = { generation, step, snap };
}

/** A load the entry started before the app's modules evaluated (main.tsx). */
let early: { fragment: string; result: Promise<LoadResult> } | null = null;

/** Start loading a share link's fragment now, as the session's loadFragment would. */
export function startEarlyLoad(fragment: string): void {
  const result = engine.load({ kind: 'fragment', fragment }, { progressive: true });
  result.catch(() => {});
  early = { fragment, result };
}

/** The early load of this fragment, once (null if none was started for it). */
export function takeEarlyLoad(fragment: string): Promise<LoadResult> | null {
  const e = early;
  early = null;
  return e && e.fragment === fragment ? e.result : null;
}

// For tests and the benchmark (bench/map.bench.spec.ts): seek round trips through the real
// worker, and a way to kill it (e2e/worker-failure.spec.ts).
if (typeof window !== 'undefined') {
  const hooks = testHooks();
  hooks.engine = engine;
  hooks.killEngine = (message) => explorer.kill(message);
}

// Start the worker as soon as the app's modules load, so it is parsed and waiting by the time
// the first load() arrives (part of the 1.5 s first-frame budget for share links).
if (typeof Worker !== 'undefined') explorer.warm();
