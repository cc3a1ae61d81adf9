/**
 * Workload generators (domain.md §5). A seeded mixer picks a guest at random, then one of that
 * guest's profiles by weight, and asks it for the next event:
 * - every guest first runs its setup: launch, then (with "linux-boot") the boot sequence of
 *   bootEvents(); without linux-boot, guests that run virtio-io or lazy-accept first accept their
 *   low memory (or all of it) so that they have somewhere to work. "linux-boot" is a prefix, not a
 *   mixable stream: a kernel boots before it does I/O, so its weight only has to be above zero.
 * - "virtio-io", "lazy-accept" and "uniform" then mix by weight; lazy-accept ends when the
 *   guest's memory is all accepted, the others run until `steps` events have been made.
 * Guests with snp=false only launch and take hypervisor writes: they have no private memory.
 */
import type { EngineEvent, MachineSpec } from '../machine/events';
import { type Block, bootLayout, PAGE, PMD, roundDown } from './layout';
import { Prng } from './prng';
import type { ProfileName, ScenarioWorkload } from './types';

/** The host-cause profiles; the generator runs them as one more runner next to the guests. */
const HOST_PROFILES: readonly ProfileName[] = ['bpf-host', 'gpu-host', 'fleet-errors'];
const HOST_RUNNER = -1;

const GIB = 1024 * 1024 * 1024;
/** Coherent DMA buffers a virtio guest keeps shared at once (rings, control queues). */
export const VIRTIO_MAX_BUFFERS = 256;

type Op = EngineEvent['op'];

export function ev(op: Op, guest: number, gpa: number, sizeBytes: number): EngineEvent {
  return { op, guest, gpa, pfn: 0, sizeBytes, via: 'user' };
}

/** Accept [a, b) in pieces that do not cross a 1 GiB boundary (firmware and kernel chunks). */
export function acceptEvents(guest: number, a: number, b: number, out: EngineEvent[]): void {
  for (let pos = a; pos < b; ) {
    const next = Math.min(b, (Math.floor(pos / GIB) + 1) * GIB);
    out.push(ev('accept', guest, pos, next - pos));
    pos = next;
  }
}

/**
 * Page-state changes for [a, b) as set_memory_decrypted() makes them: a 2M entry for each
 * 2M-aligned whole 2 MiB, 4K entries (one event per run up to the next 2M boundary) elsewhere
 * (arch/x86/coco/sev/core.c __set_pages_state).
 */
export function pscEvents(op: Op, guest: number, a: number, b: number, out: EngineEvent[]): void {
  for (let pos = a; pos < b; ) {
    const boundary = roundDown(pos, PMD) + PMD;
    const next = pos % PMD === 0 && b - pos >= PMD ? pos + PMD : Math.min(b, boundary);
    out.push(ev(op, guest, pos, next - pos));
    pos = next;
  }
}

/** A Linux SNP guest's boot, in kernel order: accept, kvmclock, GHCBs, pv pages, SWIOTLB, pools. */
export function bootEvents(
  guest: number,
  memBytes: number,
  vcpus: number,
  lazy: boolean,
  rng: Prng,
) {
  const layout = bootLayout(memBytes, vcpus, lazy, rng);
  const out: EngineEvent[] = [];
  acceptEvents(guest, 0, layout.lowEnd, out);
  const sa = layout.swiotlbAccept;
  if (sa) acceptEvents(guest, sa.start, sa.start + sa.size, out);
  const share = (b: Block) => pscEvents('share', guest, b.start, b.start + b.size, out);
  share(layout.kvmclock);
  for (const gpa of layout.ghcbs) out.push(ev('share', guest, gpa, PAGE));
  for (const gpa of layout.pvPages) out.push(ev('share', guest, gpa, PAGE));
  share(layout.swiotlb);
  for (const pool of layout.pools) share(pool);
  return { layout, events: out };
}

interface GuestRun {
  index: number;
  mem: number;
  snp: boolean;
  setup: EngineEvent[];
  setupPos: number;
  /** Runtime profiles still able to produce events, with their weights. */
  profiles: { name: ProfileName; weight: number }[];
  swiotlb: Block | null;
  reserved: Block[];
  lowEnd: number;
  lazyCursor: number;
  lazySkip: Block | null;
  bufGpa: number[];
  bufSize: number[];
}

/** Streams the generated part of a scenario, one event at a time; bounded by workload.steps. */
export class WorkloadGenerator implements IterableIterator<EngineEvent> {
  private readonly rng: Prng;
  private readonly runs: (GuestRun | undefined)[];
  private readonly active: number[];
  private readonly weights: Map<ProfileName, number>;
  private readonly hostStarts: number[] = [];
  private readonly hostPrefix: number[] = [];
  private hostBytes = 0;
  private emitted = 0;

  constructor(
    private readonly spec: MachineSpec,
    private readonly workload: ScenarioWorkload,
  ) {
    this.rng = new Prng(workload.seed);
    this.weights = new Map(workload.profiles.map((p) => [p.profile, p.weight]));
    this.runs = spec.guests.map(() => undefined);
    this.active = spec.guests.map((_, i) => i);
    for (const r of spec.host.ranges) {
      this.hostStarts.push(r.start);
      this.hostPrefix.push(this.hostBytes);
      this.hostBytes += r.end - r.start;
    }
    for (const name of HOST_PROFILES) {
      const weight = this.weights.get(name);
      if (weight !== undefined) this.hostProfiles.push({ name, weight });
    }
    if (this.hostProfiles.length > 0) this.active.push(HOST_RUNNER);
  }

  /** Host-cause profiles (issue 17): the host itself is one more "runner" in `active`. */
  private readonly hostProfiles: { name: ProfileName; weight: number }[] = [];

  [Symbol.iterator](): IterableIterator<EngineEvent> {
    return this;
  }

  next(): IteratorResult<EngineEvent> {
    const e = this.nextEvent();
    return e ? { done: false, value: e } : { done: true, value: undefined };
  }

  nextEvent(): EngineEvent | null {
    if (this.emitted >= this.workload.steps) return null;
    while (this.active.length > 0) {
      const slot = this.rng.below(this.active.length);
      const gi = this.active[slot] ?? 0;
      if (gi === HOST_RUNNER) {
        this.emitted++;
        return this.hostEvent();
      }
      const run = this.runs[gi] ?? this.start(gi);
      const e = run.setupPos < run.setup.length ? run.setup[run.setupPos++] : this.runtime(run);
      if (e) {
        this.emitted++;
        return e;
      }
      this.active[slot] = this.active[this.active.length - 1] ?? 0;
      this.active.pop();
    }
    return null;
  }

  private start(gi: number): GuestRun {
    const g = this.spec.guests[gi];
    const mem = g?.memoryBytes ?? 0;
    const snp = g?.snp ?? false;
    const has = (p: ProfileName) => this.weights.has(p);
    const lazy = snp && has('lazy-accept');
    const run: GuestRun = {
      index: gi,
      mem,
      snp,
      setup: [ev('launch', gi, 0, 0)],
      setupPos: 0,
      profiles: [],
      swiotlb: null,
      reserved: [],
      lowEnd: mem,
      lazyCursor: mem,
      lazySkip: null,
      bufGpa: [],
      bufSize: [],
    };
    if (snp && has('linux-boot')) {
      const boot = bootEvents(gi, mem, g?.vcpus ?? 1, lazy, this.rng);
      run.setup.push(...boot.events);
      run.swiotlb = boot.layout.swiotlb;
      run.reserved = [boot.layout.swiotlb, boot.layout.kvmclock, ...boot.layout.pools];
      run.lowEnd = boot.layout.lowEnd;
      run.lazySkip = boot.layout.swiotlbAccept;
    } else if (snp && (has('virtio-io') || lazy)) {
      run.lowEnd = lazy ? Math.min(mem, 256 * 1024 * 1024) : mem;
      acceptEvents(gi, 0, run.lowEnd, run.setup);
    }
    run.lazyCursor = lazy ? run.lowEnd : mem;
    for (const name of ['virtio-io', 'lazy-accept', 'uniform'] as const) {
      const weight = this.weights.get(name);
      if (weight !== undefined && (name !== 'lazy-accept' || lazy)) {
        run.profiles.push({ name, weight });
      }
    }
    this.runs[gi] = run;
    return run;
  }

  private runtime(run: GuestRun): EngineEvent | null {
    while (run.profiles.length > 0) {
      let total = 0;
      for (const p of run.profiles) total += p.weight;
      let x = this.rng.next() * total;
      let pick = run.profiles.length - 1;
      for (let i = 0; i < run.profiles.length; i++) {
        x -= run.profiles[i]?.weight ?? 0;
        if (x < 0) {
          pick = i;
          break;
        }
      }
      const name = run.profiles[pick]?.name;
      const e =
        name === 'virtio-io'
          ? this.virtio(run)
          : name === 'uniform'
            ? this.uniform(run)
            : this.lazy(run);
      if (e) return e;
      run.profiles.splice(pick, 1);
    }
    return null;
  }

  private page(lo: number, hi: number, align = PAGE): number {
    const slots = Math.floor((hi - lo) / align);
    return lo + this.rng.below(slots) * align;
  }

  /** Hypervisor write of one 4K page; `via` user unless said otherwise. */
  private hvWrite(run: GuestRun, gpa: number, via: EngineEvent['via'] = 'user'): EngineEvent {
    return { op: 'hv-write', guest: run.index, gpa, pfn: 0, sizeBytes: PAGE, via };
  }

  /** virtio: coherent buffers shared and freed at run time, hypervisor writes into shared pages. */
  private virtio(run: GuestRun): EngineEvent | null {
    const rng = this.rng;
    if (!run.snp) return this.hvWrite(run, this.page(0, run.mem));
    const n = run.bufGpa.length;
    const r = rng.next();
    if (n === 0 && run.swiotlb === null) return this.virtioShare(run);
    if (r < 0.2 && n < VIRTIO_MAX_BUFFERS) return this.virtioShare(run);
    if (r < 0.4 && n > 0) {
      const k = rng.below(n);
      const gpa = run.bufGpa[k] ?? 0;
      const size = run.bufSize[k] ?? PAGE;
      run.bufGpa[k] = run.bufGpa[n - 1] ?? 0;
      run.bufSize[k] = run.bufSize[n - 1] ?? PAGE;
      run.bufGpa.pop();
      run.bufSize.pop();
      return ev('unshare', run.index, gpa, size);
    }
    const sw = run.swiotlb;
    if (sw && (n === 0 || rng.next() < 0.5)) {
      return this.hvWrite(run, this.page(sw.start, sw.start + sw.size));
    }
    const k = rng.below(n);
    const base = run.bufGpa[k] ?? 0;
    return this.hvWrite(run, this.page(base, base + (run.bufSize[k] ?? PAGE)));
  }

  private virtioShare(run: GuestRun): EngineEvent {
    const r = this.rng.next();
    // dma_alloc_coherent orders: mostly single pages, some small order-n blocks.
    const size = PAGE * (r < 0.7 ? 1 : r < 0.85 ? 2 : r < 0.95 ? 4 : 16);
    const hi = Math.max(run.lowEnd, run.lazyCursor);
    let gpa = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      gpa = this.page(0, hi, size);
      if (!run.reserved.some((b) => gpa < b.start + b.size && b.start < gpa + size)) break;
    }
    run.bufGpa.push(gpa);
    run.bufSize.push(size);
    return ev('share', run.index, gpa, size);
  }

  /** Lazy acceptance: the next unaccepted 2 MiB unit, in ascending order (zone->unaccepted_pages). */
  private lazy(run: GuestRun): EngineEvent | null {
    const skip = run.lazySkip;
    if (skip && run.lazyCursor >= skip.start && run.lazyCursor < skip.start + skip.size) {
      run.lazyCursor = skip.start + skip.size;
    }
    if (run.lazyCursor >= run.mem) return null;
    const start = run.lazyCursor;
    const end = Math.min(run.mem, roundDown(start, PMD) + PMD);
    run.lazyCursor = end;
    return ev('accept', run.index, start, end - start);
  }

  /** Uniform: any op at any place in the guest's memory, 4K or (aligned) 2M. */
  private uniform(run: GuestRun): EngineEvent | null {
    const rng = this.rng;
    const r = rng.next();
    const big = run.mem >= PMD && rng.next() < 0.15;
    const gpa = big ? this.page(0, run.mem, PMD) : this.page(0, run.mem);
    const size = big ? PMD : PAGE;
    if (!run.snp || r >= 0.65) {
      if (run.snp && r >= 0.95 && this.hostBytes > 0) return this.hostWrite();
      return this.hvWrite(run, this.page(0, run.mem), r < 0.85 ? 'user' : 'direct-map');
    }
    if (r < 0.15) return ev('accept', run.index, this.page(0, run.mem, PMD), PMD);
    return ev(r < 0.4 ? 'share' : 'unshare', run.index, gpa, size);
  }

  /**
   * One host-cause event. bpf-host: 45% load 1–16 programs, 35% unload 1–8, 20% 1–32 kprobes.
   * gpu-host: 55% a write-combined buffer of 64K–32M (a power of two), else return as much.
   * fleet-errors: 70% the page cache takes 16M, 28% reclaim drops 16M, 2% an uncorrectable
   * error on a random host frame. Illustrative rates (unconfirmed), not measurements.
   */
  private hostEvent(): EngineEvent {
    const rng = this.rng;
    let x = rng.next() * this.hostProfiles.reduce((s, p) => s + p.weight, 0);
    let name = this.hostProfiles[this.hostProfiles.length - 1]!.name;
    for (const p of this.hostProfiles) {
      x -= p.weight;
      if (x < 0) {
        name = p.name;
        break;
      }
    }
    const host = (op: EngineEvent['op'], sizeBytes: number, pfn = 0): EngineEvent => ({
      op,
      guest: 0,
      gpa: 0,
      pfn,
      sizeBytes,
      via: 'user',
    });
    const r = rng.next();
    if (name === 'bpf-host') {
      if (r < 0.45) return host('bpf-load', 1 + rng.below(16));
      return r < 0.8 ? host('bpf-unload', 1 + rng.below(8)) : host('kprobe', 1 + rng.below(32));
    }
    if (name === 'gpu-host')
      return host(r < 0.55 ? 'gpu-wc' : 'gpu-wb', (64 * 1024) << rng.below(10));
    if (r < 0.7) return host('page-cache', 16 * 1024 * 1024);
    if (r < 0.98 || this.hostBytes === 0) return host('page-cache-drop', 16 * 1024 * 1024);
    return host('hwpoison', 0, this.hostWrite().pfn);
  }

  /** A host kernel write to a random host frame (guest 0 and via "user": unused fields). */
  private hostWrite(): EngineEvent {
    const offset = this.rng.below(this.hostBytes / PAGE) * PAGE;
    let k = this.hostPrefix.length - 1;
    while (k > 0 && (this.hostPrefix[k] ?? 0) > offset) k--;
    const addr = (this.hostStarts[k] ?? 0) + offset - (this.hostPrefix[k] ?? 0);
    return { op: 'host-write', guest: 0, gpa: 0, pfn: addr / PAGE, sizeBytes: PAGE, via: 'user' };
  }
}
