/**
 * The workloads the engine bench times (bench/engine.ts, bench/scaling.ts), and the bare-loop
 * lower bound: the same churn events with no allocator, no direct map and no outcomes.
 */
import { applyEvent } from '../src/machine/apply';
import type { EngineEvent, MachineSpec } from '../src/machine/events';
import { Machine } from '../src/machine/machine';
import { Rng } from '../src/machine/rng';
import { PackedEvents } from '../src/scenario/compile';
import { EVENT_OPS } from '../src/scenario/types';
import { ReferenceMachine } from '../src/sim/reference';

export const GiB = 2 ** 30;
export const TiB = 2 ** 40;

export function ev(
  op: EngineEvent['op'],
  guest: number,
  gpa: number,
  sizeBytes: number,
  via: EngineEvent['via'] = 'user',
): EngineEvent {
  return { op, guest, gpa, pfn: 0, sizeBytes, via };
}

export function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20 + process.memoryUsage().arrayBuffers / 2 ** 20;
}

/** CPU time of this process in ms (user + system): a shared machine's load stretches wall time. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Boot a host and accept one guest's memory in 2 MiB requests (upstream-2024, THP): what a
 * user waits for before a big host's map first shows.
 */
export function acceptAll(
  hostBytes: number,
  guestBytes: number,
  kernelBytes = 4 * GiB,
): { ms: number; cpu: number; events: number; heap: number; splits: number } {
  const spec: MachineSpec = {
    host: {
      ranges: [{ start: 0, end: hostBytes }],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes,
      seed: 1,
    },
    kernel: 'upstream-2024',
    guests: [{ name: 'big', memoryBytes: guestBytes, vcpus: 64, backing: 'thp', snp: true }],
  };
  const before = heapMiB();
  const c0 = cpuMs();
  const t0 = performance.now();
  const m = new Machine(spec);
  applyEvent(m, ev('launch', 0, 0, 0));
  const chunks = guestBytes / (2 * 2 ** 20);
  for (let c = 0; c < chunks; c++) applyEvent(m, ev('accept', 0, c * 2 * 2 ** 20, 2 * 2 ** 20));
  const ms = performance.now() - t0;
  const cpu = cpuMs() - c0;
  const heap = heapMiB() - before;
  return { ms, cpu, events: chunks + 1, heap, splits: m.dm.level2Splits };
}

/** The churn's guests: 4 vCPUs, SNP, all memory accepted before the timed events. */
export const CHURN_SETUP = 16;

/**
 * The churn as the worker holds a compiled workload: packed typed arrays (20 bytes an event),
 * each event materialised only while it is applied. A million event objects kept alive would
 * measure the garbage collector's marking of the benchmark's own array, not the engine.
 * The first CHURN_SETUP events launch the guests and accept all their memory.
 */
export function churnEvents(n: number, guests: number, guestBytes: number, seed: number) {
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

/**
 * The churn with host causes mixed in (issue 17): one event in five is a host-cause event —
 * BPF load/unload, secretmem fault/free, a 64 KiB WC GPU buffer and its return, page-cache
 * fill/drop — on the same guests' SNP share/unshare/hv-write churn.
 */
export function causeChurnEvents(n: number, guests: number, guestBytes: number, seed: number) {
  const rng = new Rng(seed);
  const events = new PackedEvents(n + 2 * guests);
  for (let g = 0; g < guests; g++) {
    events.push(ev('launch', g, 0, 0));
    events.push(ev('accept', g, 0, guestBytes));
  }
  const ops: EngineEvent['op'][] = ['share', 'unshare', 'hv-write'];
  const host: [EngineEvent['op'], number][] = [
    ['bpf-load', 1],
    ['bpf-unload', 1],
    ['secretmem', 4096],
    ['secretmem-free', 4096],
    ['gpu-wc', 65536],
    ['gpu-wb', 65536],
    ['page-cache', 65536],
    ['page-cache-drop', 65536],
  ];
  for (let i = 0; i < n; i++) {
    if (rng.int(5) === 0) {
      const [op, size] = host[rng.int(host.length)]!;
      events.push({ op, guest: 0, gpa: 0, pfn: 0, sizeBytes: size, via: 'user' });
      continue;
    }
    const g = rng.int(guests);
    events.push(ev(ops[rng.int(3)]!, g, rng.int(guestBytes / 4096) * 4096, 4096));
  }
  return events;
}

export function churnSpec(
  kernel: MachineSpec['kernel'],
  hostBytes = 256 * GiB,
  guestBytes = 28 * GiB,
  linux?: string,
): MachineSpec {
  return {
    host: {
      ranges: [{ start: 0, end: hostBytes }],
      gbpages: true,
      allocator: 'buddy',
      kernelBytes: 2 * GiB,
      seed: 1,
      ...(linux !== undefined ? { linux } : {}),
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
}

/** The timed part of a churn (the events after CHURN_SETUP) on a fresh engine or reference. */
export function runChurn(
  spec: MachineSpec,
  events: PackedEvents,
  naive: boolean,
): { ms: number; cpu: number; perSec: number } {
  const apply = naive
    ? (
        (r: ReferenceMachine) => (e: EngineEvent) =>
          r.apply(e)
      )(new ReferenceMachine(spec))
    : (
        (m: Machine) => (e: EngineEvent) =>
          applyEvent(m, e)
      )(new Machine(spec));
  for (let i = 0; i < CHURN_SETUP; i++) apply(events.at(i));
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = CHURN_SETUP; i < events.length; i++) apply(events.at(i));
  const ms = performance.now() - t0;
  return { ms, cpu: cpuMs() - c0, perSec: ((events.length - CHURN_SETUP) / ms) * 1000 };
}

export function churn(
  kernel: MachineSpec['kernel'],
  n: number,
  naive: boolean,
  hostBytes = 256 * GiB,
  guestBytes = 28 * GiB,
): { ms: number; cpu: number; perSec: number } {
  return runChurn(
    churnSpec(kernel, hostBytes, guestBytes),
    churnEvents(n, 8, guestBytes, 42),
    naive,
  );
}

const SHARE = EVENT_OPS.indexOf('share');
const UNSHARE = EVENT_OPS.indexOf('unshare');
const HV_WRITE = EVENT_OPS.indexOf('hv-write');
const PRIVATE = 0;
const SHARED = 1;

/**
 * The bare-loop lower bound (issue 19): the churn's timed events read from the same packed
 * arrays and applied to a flat array of page states (guest pages laid end to end, all private
 * after the accepts) and a bitmap of split 2 MiB regions. A share flips the page and splits its
 * region, an unshare flips it back, a host write to a private page counts a fault: the least
 * work any model of these events does, with no allocator, no run lists and no outcomes.
 */
export function bareLoop(
  events: PackedEvents,
  guests: number,
  guestBytes: number,
): { ms: number; perSec: number; splits: number; faults: number } {
  const guestPages = guestBytes / 4096;
  const pages = new Uint8Array(guests * guestPages);
  const split = new Uint32Array(Math.ceil(pages.length / 512 / 32));
  const { op, guest, addr, sizeBytes } = events;
  let splits = 0;
  let faults = 0;
  const t0 = performance.now();
  for (let i = CHURN_SETUP; i < events.length; i++) {
    const o = op[i]!;
    const first = guest[i]! * guestPages + addr[i]! / 4096;
    const end = first + sizeBytes[i]! / 4096;
    for (let p = first; p < end; p++) {
      if (o === SHARE) {
        if (pages[p] === SHARED) continue;
        pages[p] = SHARED;
        // Region and word indexes stay below 2^31 (58 M pages): bitwise is exact here.
        const r = (p / 512) | 0;
        const bit = 1 << (r & 31);
        if ((split[r >>> 5]! & bit) === 0) {
          split[r >>> 5]! |= bit;
          splits++;
        }
      } else if (o === UNSHARE) pages[p] = PRIVATE;
      else if (o === HV_WRITE && pages[p] === PRIVATE) faults++;
    }
  }
  const ms = performance.now() - t0;
  return { ms, perSec: ((events.length - CHURN_SETUP) / ms) * 1000, splits, faults };
}
