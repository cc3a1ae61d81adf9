/// <reference lib="webworker" />
/**
 * The worker entry: the engine host behind comlink. Typed arrays in answers are transferred,
 * not copied (a 16 TiB snapshot is 32 MiB).
 *
 * A progressive load answers early and the rest of the run is computed here in slices of a few
 * milliseconds, one per task: between two slices the worker serves whatever calls arrived, so
 * seeking and drawing go on while a million events are applied.
 */
import { expose, transfer } from 'comlink';
import { LIMITS } from '../scenario/index';
import { ENGINE_BUDGET_BYTES, EngineHost, MAX_WORKER_EVENTS } from './host';
import type { EngineApi, MapSnapshot, OutcomeMarks, SeriesData } from './protocol';

/**
 * Memory for a run's machines (checkpoints for seeking, the run's head, the seek cursor) and a
 * long run's events, by the device's memory (navigator.deviceMemory: GiB, rounded down, at most
 * 8): a million-event run on a 128 GiB host is ~25 MiB a machine, and 49 checkpoints keep a
 * seek's replay under ~45 ms where 25 leave ~70 ms. Small devices keep less.
 */
function memoryBudget(): number {
  const gib = (navigator as { deviceMemory?: number }).deviceMemory;
  if (gib === undefined) return 768 * 2 ** 20;
  return gib >= 8 ? ENGINE_BUDGET_BYTES : gib >= 4 ? 768 * 2 ** 20 : 320 * 2 ** 20;
}

/**
 * The most events a run takes: MAX_WORKER_EVENTS, unless the worker's name asks for more (up
 * to LIMITS.events) as `fracture-max-events=<n>`: the benchmark's 10 M-event rows start the
 * worker so; the app never does.
 */
function maxEvents(): number {
  const asked = /^fracture-max-events=(\d+)$/.exec(self.name)?.[1];
  return asked ? Math.min(LIMITS.events, Number(asked)) : MAX_WORKER_EVENTS;
}

const host = new EngineHost({ now: () => performance.now() }, memoryBudget(), {
  maxEvents: maxEvents(),
});

/** One slice of the run per task: ~12 ms, so a call waits at most about that long. */
const SLICE_MS = 12;
// A message to ourselves queues a task without a timer's clamping (setTimeout waits ≥ 4 ms
// once nested, and the engine has no timers).
const tick = new MessageChannel();
let running = false;
tick.port1.onmessage = () => {
  running = !host.advanceFor(SLICE_MS);
  if (running) tick.port2.postMessage(null);
};
const keepRunning = () => {
  if (running) return;
  running = true;
  tick.port2.postMessage(null);
};

const moveSnapshot = (s: MapSnapshot) => {
  // Each buffer once: transferring one twice is a DataCloneError.
  const buffers = new Set(
    [s.regionCode, s.regionLevel, s.regionFlags, s.regionUserLevel].map((a) => a.buffer),
  );
  return transfer(s, [...buffers]);
};
const moveBytes = (a: Uint8Array) => transfer(a, [a.buffer]);
const buffersOf = (series: SeriesData, marks: OutcomeMarks): ArrayBufferLike[] => {
  const buffers = [series.steps.buffer, marks.steps.buffer, marks.kinds.buffer];
  for (const c of Object.values(series.columns)) buffers.push(c.buffer);
  return buffers;
};

const api: EngineApi = {
  protocolVersion: () => host.protocolVersion(),
  load: async (source, options) => {
    const r = host.load(source, options);
    if (!r.info) return r;
    // The rest of the run, or (a run done at load) the placing of its checkpoints.
    keepRunning();
    const { series, marks } = r.info;
    return transfer(r, buffersOf(series, marks) as ArrayBuffer[]);
  },
  progress: async () => {
    const p = host.progress();
    return p ? transfer(p, buffersOf(p.series, p.marks) as ArrayBuffer[]) : null;
  },
  snapshot: async (step) => moveSnapshot(host.snapshot(step)),
  cells: async (step, first, count) => moveBytes(host.cells(step, first, count)),
  cellsAt: async (step, regions) => moveBytes(host.cellsAt(step, regions)),
  guestCells: async (step, g, first, count) => moveBytes(host.guestCells(step, g, first, count)),
  guestCellsAt: async (step, g, chunks) => moveBytes(host.guestCellsAt(step, g, chunks)),
  guestSnapshot: async (step, g) => moveSnapshot(host.guestSnapshot(step, g)),
  stepView: async (step) => host.stepView(step),
  stepViews: async (step) => host.stepViews(step),
  outcomes: async (q) => host.outcomes(q),
  outcomeIndexAt: async (step) => host.outcomeIndexAt(step),
  findOutcome: async (step, kind, dir) => host.findOutcome(step, kind, dir),
  inspect: async (step, pfn) => host.inspect(step, pfn),
  rule: async (id) => host.rule(id),
  texts: async (step) => host.texts(step),
  shareFragment: async (view) => host.shareFragment(view),
};

expose(api);
