/**
 * The scaling table (issue 19): one workload at growing sizes, each size in a fresh process (as
 * each run gets a fresh worker) so its peak memory is its own, and the growth per decade of its
 * time: 10x for linear cost, so a super-linear path shows as a row far above 10x.
 *
 * Series: the 4K churn (events 10 k -> 1 M), the slowest many-guests-1t sweep cell and a
 * hugetlbfs-1g cell (steps 10 k -> 1 M; the hugetlbfs-1g cells were super-linear until
 * FreeHeads counted free 1 GiB pages), and host boot + accept (1 GiB -> 16 TiB).
 * BENCH_SCALE=full adds the 10 M-event rows (LIMITS.events).
 */
import { spawnSync } from 'node:child_process';
import { applyEvent } from '../src/machine/apply';
import type { Backing, KernelDesign } from '../src/machine/events';
import { Machine } from '../src/machine/machine';
import { compilePacked } from '../src/scenario/compile';
import { loadPreset } from '../src/scenario/presets';
import { withOverrides } from '../src/sim/sweep';
import {
  acceptAll,
  CHURN_SETUP,
  churnEvents,
  churnSpec,
  cpuMs,
  GiB,
  heapMiB,
  runChurn,
  TiB,
} from './workloads';

interface RowResult {
  ms: number;
  /** CPU time of the same span: what the growth is computed from (other processes share the cores). */
  cpu: number;
  /** Events applied (the unit of cost for event rows). */
  events: number;
  /** Peak resident memory above the process's own before the workload. */
  peakMiB: number;
  /** Heap and buffers the finished engine holds (after a GC), where measured. */
  heldMiB: number | null;
}

/** Time and memory of one row, measured in this process (the child run-engine spawns). */
export function measureRow(id: string): RowResult {
  const rss0 = process.memoryUsage().rss;
  const held0 = heapMiB();
  const peak = () => Math.max(0, (process.resourceUsage().maxRSS * 1024 - rss0) / 2 ** 20);
  const [kind, a, b, c] = id.split(':');
  if (kind === 'churn') {
    const n = Number(a);
    const events = churnEvents(n, 8, 28 * GiB, 42);
    const r = runChurn(churnSpec('upstream-2024'), events, false);
    return {
      ms: r.ms,
      cpu: r.cpu,
      events: events.length - CHURN_SETUP,
      peakMiB: peak(),
      heldMiB: null,
    };
  }
  if (kind === 'host') {
    const host = Number(a);
    const r = acceptAll(host, host / 8, Math.min(4 * GiB, host / 16));
    return { ms: r.ms, cpu: r.cpu, events: r.events, peakMiB: peak(), heldMiB: r.heap };
  }
  if (kind === 'cell') {
    const p = loadPreset('many-guests-1t');
    if (!p.ok) throw new Error('preset many-guests-1t does not load');
    const s = { ...p.scenario, workload: { ...p.scenario.workload!, steps: Number(c) } };
    // What a sweep cell costs: compile the scenario, boot the machine, apply every event.
    const c0 = cpuMs();
    const t0 = performance.now();
    const { spec, events } = compilePacked(withOverrides(s, a as KernelDesign, b as Backing));
    const m = new Machine(spec);
    for (let i = 0; i < events.length; i++) applyEvent(m, events.at(i));
    const ms = performance.now() - t0;
    const cpu = cpuMs() - c0;
    const held = heapMiB() - held0 - (events.op.byteLength * 20) / 2 ** 20;
    if (m.guests.length === 0) throw new Error('no guests');
    return { ms, cpu, events: events.length, peakMiB: peak(), heldMiB: held };
  }
  throw new Error(`unknown scaling row ${id}`);
}

/**
 * One row in a fresh process; null when it ran past the time limit (a row that has turned
 * super-linear would otherwise hold the bench for hours: the hugetlbfs-1g cliff's 1 M steps).
 */
function inChild(id: string, limitMs: number): RowResult | null {
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!], {
    env: { ...process.env, BENCH_ROW: id },
    encoding: 'utf8',
    timeout: limitMs,
    killSignal: 'SIGKILL',
  });
  if (r.signal === 'SIGKILL') return null;
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{'))
    throw new Error(`scaling row ${id} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(last) as RowResult;
}

interface Series {
  title: string;
  /** Row sizes, ascending: events or bytes. */
  sizes: number[];
  id(size: number): string;
  label(size: number): string;
  /** Cost per unit as printed, from a result. */
  cost(r: RowResult, size: number): string;
  /** A target on one row besides the growth (the issue's 16 TiB row). */
  target?(size: number): { text: string; ok(r: RowResult): boolean } | undefined;
  /** Event series: cost per event of the largest row over the smallest's, against 1.5x. */
  flat?: boolean;
}

/** Cost per event stays within this factor from the smallest to the largest row (issue 19). */
const FLAT_TARGET = 1.5;

/** Growth of cost per decade of size: 10x is linear. */
const GROWTH_TARGET = 15;

const count = (n: number) =>
  n >= 1e6 ? `${n / 1e6} M` : n >= 1e3 ? `${n / 1e3} k` : n.toLocaleString('en');
const bytes = (n: number) => (n >= TiB ? `${n / TiB} TiB` : `${n / GiB} GiB`);
const perEvent = (r: RowResult) => `${((r.cpu * 1000) / r.events).toFixed(2)} us/ev`;

/**
 * The slowest cell of `sim sweep many-guests-1t` once the hugetlbfs-1g cliff was fixed (2.0 s
 * of a 22 s serial sweep here; the upstream-2024 and unmap-2023 cells all take 1.7-2.0 s), and
 * the cell that had the cliff (over 120 s before, 1.8 s after).
 */
const SLOWEST: [KernelDesign, Backing] = ['unmap-2023', '4k'];
const CLIFF: [KernelDesign, Backing] = ['upstream-2024', 'hugetlbfs-1g'];

function cellSeries([k, b]: [KernelDesign, Backing], steps: number[], why: string): Series {
  return {
    title: `many-guests-1t x ${k} x ${b} (${why}), steps`,
    sizes: steps,
    id: (n) => `cell:${k}:${b}:${n}`,
    label: (n) => `${count(n)} steps`,
    cost: perEvent,
    flat: true,
  };
}

export function seriesList(full: boolean): Series[] {
  const events = full ? [1e4, 1e5, 1e6, 1e7] : [1e4, 1e5, 1e6];
  return [
    {
      title: 'churn 4K share/unshare/hv-write, 8 x 28 GiB on 256 GiB (upstream-2024), events',
      sizes: events,
      id: (n) => `churn:${n}`,
      label: (n) => `${count(n)} events`,
      cost: perEvent,
      flat: true,
    },
    cellSeries(SLOWEST, events, 'slowest sweep cell'),
    cellSeries(CLIFF, events, 'the hugetlbfs-1g cliff'),
    {
      title: 'host boot + guest of host/8 accepting in 2M (upstream-2024, thp), host size',
      sizes: [GiB, 16 * GiB, 256 * GiB, 4 * TiB, 16 * TiB],
      id: (n) => `host:${n}`,
      label: (n) => `${bytes(n)} host, ${bytes(n / 8)} guest`,
      cost: (r, n) => `${(r.cpu / (n / GiB)).toFixed(1)} ms/GiB`,
      target: (n) =>
        n === 16 * TiB
          ? { text: '<= 2 s, 256 MiB', ok: (r) => r.ms <= 2000 && (r.heldMiB ?? 0) <= 256 }
          : undefined,
    },
  ];
}

/**
 * How far cost per event rises above the cheapest smaller row (a super-linear path shows as a
 * rise; the smallest rows cost more per event, as they pay the JIT's warm-up: printed beside).
 */
function flatness(done: { r: RowResult; size: number }[]): string[] {
  const per = (x: { r: RowResult }) => (x.r.cpu * 1000) / x.r.events;
  let cheapest = done[0]!;
  let worst = { f: 1, at: done[0]!, vs: done[0]! };
  for (const x of done) {
    if (per(x) < per(cheapest)) cheapest = x;
    const f = per(x) / per(cheapest);
    if (f > worst.f) worst = { f, at: x, vs: cheapest };
  }
  const first = done[0]!;
  const last = done[done.length - 1]!;
  const us = (x: { r: RowResult }) => per(x).toFixed(2);
  return [
    `  cost per event, ${count(first.size)} -> ${count(last.size)}: rise above the cheapest smaller row`,
    `x${worst.f.toFixed(2)}${worst.f > 1 ? ` (${count(worst.at.size)} vs ${count(worst.vs.size)})` : ''}; ${count(last.size)} ${us(last)} vs ${count(first.size)} ${us(first)} us/ev`,
    `<= x${FLAT_TARGET}`,
    worst.f <= FLAT_TARGET ? 'yes' : 'NO',
  ];
}

/** The table rows: [benchmark, result, target, ok], one series after another. */
export function scalingRows(full: boolean): string[][] {
  // BENCH_ROW_LIMIT (seconds) caps each row's wall time.
  const limitMs = 1000 * Number(process.env.BENCH_ROW_LIMIT ?? (full ? 600 : 120));
  const rows: string[][] = [];
  // BENCH_SCALE_SERIES: only the series whose title contains it (e.g. "churn").
  const only = process.env.BENCH_SCALE_SERIES;
  for (const s of seriesList(full).filter((x) => !only || x.title.includes(only))) {
    rows.push([
      `scaling: ${s.title}`,
      'wall s (cpu s), peak RSS, held, cpu cost, growth',
      'cpu growth/decade',
      '',
    ]);
    let prev: { r: RowResult; size: number } | null = null;
    const done: { r: RowResult; size: number }[] = [];
    for (const size of s.sizes) {
      const r = inChild(s.id(size), limitMs);
      if (!r) {
        rows.push([`  ${s.label(size)}`, `stopped after ${limitMs / 1000} s`, 'finishes', 'NO']);
        break;
      }
      const held = r.heldMiB === null ? '' : `, held ${r.heldMiB.toFixed(0)}`;
      const growth = prev ? (r.cpu / prev.r.cpu) ** (1 / Math.log10(size / prev.size)) : NaN;
      const extra = s.target?.(size);
      const text = `${(r.ms / 1000).toFixed(1)} s (${(r.cpu / 1000).toFixed(1)}), ${r.peakMiB.toFixed(0)} MiB${held}, ${s.cost(r, size)}`;
      const grown = Number.isNaN(growth) ? '' : `, x${growth.toFixed(1)}`;
      const ok = (Number.isNaN(growth) || growth <= GROWTH_TARGET) && (extra?.ok(r) ?? true);
      rows.push([
        `  ${s.label(size)}`,
        text + grown,
        extra ? `<= x${GROWTH_TARGET}, ${extra.text}` : prev ? `<= x${GROWTH_TARGET}` : '',
        prev || extra ? (ok ? 'yes' : 'NO') : '',
      ]);
      prev = { r, size };
      done.push(prev);
    }
    if (s.flat && done.length > 1) rows.push(flatness(done));
  }
  return rows;
}
