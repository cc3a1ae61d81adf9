/**
 * Engine benchmarks (npm run bench): the three targets, printed as a table.
 * Medians of several runs; heap measured with a forced GC when node runs with --expose-gc.
 */
import { readFileSync } from 'node:fs';
import { applyEvent } from '../src/machine/apply';
import type { EngineEvent, MachineSpec } from '../src/machine/events';
import { Machine } from '../src/machine/machine';
import { Rng } from '../src/machine/rng';
import { PackedEvents } from '../src/scenario/compile';
import { ReferenceMachine } from '../src/sim/reference';
import { EngineHost } from '../src/worker/host';

const GiB = 2 ** 30;
const TiB = 2 ** 40;

function ev(
  op: EngineEvent['op'],
  guest: number,
  gpa: number,
  sizeBytes: number,
  via: EngineEvent['via'] = 'user',
): EngineEvent {
  return { op, guest, gpa, pfn: 0, sizeBytes, via };
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20 + process.memoryUsage().arrayBuffers / 2 ** 20;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function acceptAll(
  hostBytes: number,
  guestBytes: number,
): { ms: number; events: number; heap: number; splits: number } {
  const spec: MachineSpec = {
    host: {
      ranges: [{ start: 0, end: hostBytes }],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 4 * GiB,
      seed: 1,
    },
    kernel: 'upstream-2024',
    guests: [{ name: 'big', memoryBytes: guestBytes, vcpus: 64, backing: 'thp', snp: true }],
  };
  const before = heapMiB();
  const t0 = performance.now();
  const m = new Machine(spec);
  applyEvent(m, ev('launch', 0, 0, 0));
  const chunks = guestBytes / (2 * 2 ** 20);
  for (let c = 0; c < chunks; c++) applyEvent(m, ev('accept', 0, c * 2 * 2 ** 20, 2 * 2 ** 20));
  const ms = performance.now() - t0;
  const heap = heapMiB() - before;
  return { ms, events: chunks + 1, heap, splits: m.dm.level2Splits };
}

/**
 * The churn as the worker holds a compiled workload: packed typed arrays (20 bytes an event),
 * each event materialised only while it is applied. A million event objects kept alive would
 * measure the garbage collector's marking of the benchmark's own array, not the engine.
 */
function churnEvents(n: number, guests: number, guestBytes: number, seed: number): PackedEvents {
  const rng = new Rng(seed);
  const events = new PackedEvents(n + 2 * guests);
  for (let g = 0; g < guests; g++) {
    events.push(ev('launch', g, 0, 0));
    events.push(ev('accept', g, 0, guestBytes));
  }
  const ops: EngineEvent['op'][] = ['share', 'unshare', 'hv-write'];
  for (let i = 0; i < n; i++) {
    const g = rng.int(guests);
    events.push(ev(ops[rng.int(3)]!, g, rng.int(guestBytes / 4096) * 4096, 4096));
  }
  return events;
}

function churn(
  kernel: MachineSpec['kernel'],
  n: number,
  naive: boolean,
  hostBytes = 256 * GiB,
  guestBytes = 28 * GiB,
): { ms: number; perSec: number } {
  const spec: MachineSpec = {
    host: {
      ranges: [{ start: 0, end: hostBytes }],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 2 * GiB,
      seed: 1,
    },
    kernel,
    guests: Array.from({ length: 8 }, (_, i) => ({
      name: `g${i}`,
      memoryBytes: guestBytes,
      vcpus: 4,
      backing: 'thp' as const,
      snp: true,
    })),
  };
  const events = churnEvents(n, 8, guestBytes, 42);
  const setup = 16;
  if (naive) {
    const r = new ReferenceMachine(spec);
    for (let i = 0; i < setup; i++) r.apply(events.at(i));
    const t0 = performance.now();
    for (let i = setup; i < events.length; i++) r.apply(events.at(i));
    const ms = performance.now() - t0;
    return { ms, perSec: ((events.length - setup) / ms) * 1000 };
  }
  const m = new Machine(spec);
  for (let i = 0; i < setup; i++) applyEvent(m, events.at(i));
  const t0 = performance.now();
  for (let i = setup; i < events.length; i++) applyEvent(m, events.at(i));
  const ms = performance.now() - t0;
  return { ms, perSec: ((events.length - setup) / ms) * 1000 };
}

/** One 8 GiB guest accepting all its memory in 2 MiB requests on a 16 GiB host. */
function acceptRatio(naive: true): { ms: number; events: number };
function acceptRatio(naive: false): number;
function acceptRatio(naive: boolean): { ms: number; events: number } | number {
  const spec: MachineSpec = {
    host: {
      ranges: [{ start: 0, end: 16 * GiB }],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 2 * GiB,
      seed: 1,
    },
    kernel: 'upstream-2024',
    guests: [{ name: 'g', memoryBytes: 8 * GiB, vcpus: 8, backing: 'thp', snp: true }],
  };
  const chunks = (8 * GiB) / (2 * 2 ** 20);
  const apply = naive
    ? (
        (r) => (e: EngineEvent) =>
          r.apply(e)
      )(new ReferenceMachine(spec))
    : (
        (m) => (e: EngineEvent) =>
          applyEvent(m, e)
      )(new Machine(spec));
  apply(ev('launch', 0, 0, 0));
  const t0 = performance.now();
  for (let c = 0; c < chunks; c++) apply(ev('accept', 0, c * 2 * 2 ** 20, 2 * 2 ** 20));
  const ms = performance.now() - t0;
  return naive ? { ms, events: chunks } : ms;
}

const rows: string[][] = [['benchmark', 'result', 'target', 'ok']];
const runs = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_ONLY=accept|churn|ratio|seek runs one part (profiling); default all. */
const only = process.env.BENCH_ONLY ?? 'all';
const part = (name: string) => only === 'all' || only === name;

if (part('accept')) {
  const a = Array.from({ length: runs }, () => acceptAll(1 * TiB, 960 * GiB));
  const aMs = median(a.map((x) => x.ms));
  // Memory from the first run only: a finished machine's buffers are freed lazily, so later
  // runs start from a heap that still holds the previous one and their deltas read too low.
  const aHeap = a[0]!.heap;
  rows.push([
    '1 TiB host, 960 GiB guest accepts in 2M (upstream-2024)',
    `${aMs.toFixed(0)} ms, ${a[0]!.events} events, ${a[0]!.splits} splits`,
    '< 2000 ms',
    aMs < 2000 ? 'yes' : 'NO',
  ]);
  rows.push([
    '  engine memory (heap + buffers)',
    `${aHeap.toFixed(0)} MiB`,
    '< 512 MiB',
    aHeap < 512 ? 'yes' : 'NO',
  ]);
  // The full 15 TiB guest takes minutes on these machines; BENCH_HUGE=15 runs it, 0 skips it.
  const hugeTiB = Number(process.env.BENCH_HUGE ?? 2);
  if (hugeTiB > 0) {
    const big = acceptAll(16 * TiB, hugeTiB * TiB);
    rows.push([
      `16 TiB host, ${hugeTiB} TiB guest, same workload`,
      `${big.ms.toFixed(0)} ms, ${big.heap.toFixed(0)} MiB`,
      'no OOM',
      'yes',
    ]);
  }
}

const n = Number(process.env.BENCH_CHURN ?? 1_000_000);
if (part('churn')) {
  const c = Array.from({ length: runs }, () => churn('upstream-2024', n, false));
  const cRate = median(c.map((x) => x.perSec));
  rows.push([
    `churn ${n.toLocaleString('en')} 4K share/unshare/hv-write, 8 guests, 256 GiB (upstream-2024)`,
    `${Math.round(cRate).toLocaleString('en')} events/s`,
    '>= 1,000,000/s',
    cRate >= 1e6 ? 'yes' : 'NO',
  ]);
}
// The reference keeps a Map entry per guest page, so 8 x 28 GiB (58 M pages) does not fit in a
// Map; the ratio is measured on 8 x 1 GiB guests on a 16 GiB host. Both models run the very same
// events (BENCH_NAIVE of them, default all): rates over different event counts are not
// comparable, since the first events of a run pay for JIT warm-up and fresh memory.
if (part('ratio')) {
  const ratioN = Math.min(n, Number(process.env.BENCH_NAIVE ?? n));
  const nv = churn('upstream-2024', ratioN, true, 16 * GiB, GiB);
  const en = median(
    Array.from({ length: runs }, () => churn('upstream-2024', ratioN, false, 16 * GiB, GiB).perSec),
  );
  const ratio = en / nv.perSec;
  rows.push([
    `naive reference model, same churn, 8 x 1 GiB guests on 16 GiB (${ratioN.toLocaleString('en')} events)`,
    `${Math.round(nv.perSec).toLocaleString('en')} events/s`,
    '',
    '',
  ]);
  rows.push([
    '  engine on the same events',
    `${Math.round(en).toLocaleString('en')} events/s`,
    '',
    '',
  ]);
  rows.push([
    '  engine / reference speed ratio, 4K churn',
    `${ratio.toFixed(1)}x`,
    '>= 50x',
    ratio >= 50 ? 'yes' : 'NO',
  ]);
  // Range events are where run-length state pays: one 2 MiB accept is one run for the engine
  // and 512 pages for the reference.
  const na = acceptRatio(true);
  const ea = median(Array.from({ length: runs }, () => acceptRatio(false)));
  rows.push([
    `  engine / reference, 8 GiB guest accepting in 2M on 16 GiB (${na.events} events)`,
    `${(na.ms / ea).toFixed(0)}x (${ea.toFixed(0)} ms vs ${na.ms.toFixed(0)} ms)`,
    '',
    '',
  ]);
}

/**
 * Seeks in a million-event run as the worker answers them (EngineHost with a clock, checkpoints
 * as the browser gets them): the map snapshot and the counters at a random step and the step
 * before. The browser bench measures the same with the worker round trip on top.
 */
function seeks(): { p50: number; p95: number; max: number; runMs: number; checkpoints: number } {
  const path = 'public/scenarios/virtio-churn-1h.json';
  const scenario = JSON.parse(readFileSync(path, 'utf8')) as {
    workload: { steps: number };
    events?: unknown[];
  };
  scenario.workload.steps = 1_000_000 - (scenario.events?.length ?? 0);
  // The budget the worker takes on a device with 8 GiB or more (src/worker/worker.ts).
  const h = new EngineHost({ now: () => performance.now() }, 2 ** 30);
  const t0 = performance.now();
  h.load({ kind: 'scenario', scenario }, { progressive: true });
  while (!h.advanceFor(1000)) {}
  // The worker's idle work after the run (if any) is part of what a user waits for before seeking.
  const runMs = performance.now() - t0;
  const rng = new Rng(12345);
  const out: number[] = [];
  for (let i = 0; i < 60; i++) {
    const step = rng.int(1_000_000);
    const t = performance.now();
    h.snapshot(step);
    h.stepViews(step);
    out.push(performance.now() - t);
  }
  const s = [...out].sort((a, b) => a - b);
  return {
    p50: median(out),
    p95: s[Math.floor(0.95 * s.length)]!,
    max: s[s.length - 1]!,
    runMs,
    checkpoints: h.checkpointSteps().length,
  };
}

if (part('seek')) {
  const r = seeks();
  rows.push([
    `seek in a 1M-event run (virtio-churn-1h x5, ${r.checkpoints} checkpoints in 1 GiB; run ${(r.runMs / 1000).toFixed(1)} s)`,
    `median ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, max ${r.max.toFixed(0)} ms`,
    '< 100 ms',
    r.p95 < 100 ? 'yes' : 'NO',
  ]);
}

// Fixed column widths, so the parts run-engine.mjs starts one by one line up as one table.
const widths = [84, 40, 16, 3];
const shown = process.env.BENCH_HEADER === '0' ? rows.slice(1) : rows;
for (const r of shown) console.log(r.map((x, i) => x.padEnd(widths[i]!)).join('  '));
