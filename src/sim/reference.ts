/**
 * A deliberately naive model of the same machine, for property tests and the benchmark's speed
 * ratio: one flat word per host frame, a Map per guest page for page states and GPA → host frame
 * translations, a Map per 2 MiB region and per 1 GiB block for the direct map, a Set of 2M RMP
 * entries, and every counter recomputed by walking (a region's assigned pages are counted by
 * looking at its 512 words). No run-length encoding, no counts kept
 * up to date, no typed-array tricks. The kernel designs are a switch on the design name, written
 * from domain.md rather than taken from src/machine/kernels.
 *
 * What it shares with the engine: the boot layout (bootDirectMap and normalizeRanges, tested on
 * their own), the seeded Rng (the same numbers for "random" placement), the bit
 * layout of frame and guest words (so words compare directly), and the granularity of the calls
 * where that granularity is itself the rule: RMPUPDATE of whole aligned 2 MiB runs as 2M entries,
 * one free per run of host frames (a run is freed as its maximal aligned blocks), one unmap TLB
 * flush per RMPUPDATE. The page allocator is its own (reference-buddy.ts: a plain array per free
 * list, a Map of free block heads, n pages as n single-page allocations), written from the rules
 * in the header of src/machine/buddy.ts, so placement is compared frame by frame too. Guest ops
 * are in reference-ops.ts.
 */
import { bootDirectMap, normalizeRanges } from '../machine/boot-layout';
import type { Backing, EngineEvent, MachineSpec } from '../machine/events';
import {
  DM_UNMAPPED,
  frameUse,
  frameWord,
  RMP_ASSIGNED,
  RMP_IMMUTABLE,
  RMP_INUSE,
  RMP_VALIDATED,
  RMP_VMSA,
  USE_FREE,
  USE_HOLE,
  USE_KERNEL,
  USE_PAGETABLE,
  USE_RMPTABLE,
  USE_VMM,
} from '../machine/frame-bits';
import { DESIGN_LINUX, linuxRules } from '../machine/linux';
import { OUTCOME_KINDS, type OutcomeKind } from '../machine/outcomes';
import {
  ISA_END_ADDRESS,
  MiB,
  PAGE_SIZE,
  PAGES_PER_1G,
  PAGES_PER_2M,
  type PageLevel,
  PTRS_PER_TABLE,
  PUD_SIZE,
} from '../machine/units';
import type { RefGuest } from './reference-alloc';
import { type FrameRun, MAX_PAGE_ORDER, ReferenceBuddy } from './reference-buddy';
import { refBootTraffic, refRmpTable } from './reference-host';
import { applyReference } from './reference-ops';

const R2M = PAGES_PER_2M;
const G1 = PAGES_PER_1G;

export interface DesignRules {
  snp: boolean;
  privateMemory: 'backing' | 'gmem';
  gmemFolio: '4k' | '2m' | '1g';
  inPlaceShared: boolean;
  sequester: boolean;
}

/** The design table of domain.md §4, written out again. */
export function designRules(kernel: MachineSpec['kernel']): DesignRules {
  const gmem = ['unmap-2023', 'upstream-2024', 'gmem-thp-rfc', 'gmem-1g-rfc'].includes(kernel);
  return {
    snp: kernel !== 'no-snp',
    privateMemory: gmem ? 'gmem' : 'backing',
    gmemFolio: kernel === 'gmem-thp-rfc' ? '2m' : kernel === 'gmem-1g-rfc' ? '1g' : '4k',
    inPlaceShared: kernel === 'gmem-1g-rfc',
    sequester: kernel === 'sequester',
  };
}

export class ReferenceMachine {
  readonly rules: DesignRules;
  readonly totalPages: number;
  /** One word per host frame (frame-bits.ts layout); holes are 0 (USE_HOLE). */
  private readonly frames: Uint32Array;
  /** 2 MiB regions written since boot (so tests need not rescan all of RAM after each event). */
  readonly touched = new Set<number>();
  readonly rmp2m = new Set<number>();
  /** Direct map: 1 GiB blocks that are leaves, 2 MiB regions that are leaves or PTE tables. */
  readonly pud = new Map<number, 'leaf' | 'table'>();
  readonly pmd = new Map<number, 'leaf' | 'table'>();
  /** Present PTEs of each PTE table at boot (edges and holes have fewer than 512). */
  readonly ptes = new Map<number, number>();
  level2Splits = 0;
  level3Splits = 0;
  dmFlushes = 0;
  /** set_memory_4k() sets _PAGE_KERNEL_4K (6.15+): one more flush per 2M → 4K split it makes. */
  readonly kernel4k: boolean;
  splitTablePages = 0;
  readonly alloc: ReferenceBuddy;
  readonly guests: RefGuest[];
  readonly outcomes = new Map<OutcomeKind, number>(OUTCOME_KINDS.map((k) => [k, 0]));
  step = 0;
  lastUnmapStep = -1;
  seqFree: number[] = [];

  constructor(readonly spec: MachineSpec) {
    this.rules = designRules(spec.kernel);
    this.kernel4k = linuxRules(spec.host.linux ?? DESIGN_LINUX[spec.kernel]).kernel4k;
    const e820 = normalizeRanges(spec.host.ranges);
    const end = Math.max(ISA_END_ADDRESS, ...e820.map((r) => r.end));
    this.totalPages = Math.ceil(end / PAGE_SIZE / R2M) * R2M;
    this.frames = new Uint32Array(this.totalPages);
    // The RMP table is e820-reserved: cut out of the usable ranges before anything is mapped.
    const rmp = this.rules.snp ? refRmpTable(e820, this.totalPages) : null;
    const ranges = rmp
      ? normalizeRanges(
          e820.flatMap((r) => [
            { start: r.start, end: Math.min(r.end, rmp.start) },
            { start: Math.max(r.start, rmp.end), end: r.end },
          ]),
        )
      : e820;
    for (const p of bootDirectMap(ranges, spec.host.gbpages)) this.mapBoot(p);
    this.alloc = new ReferenceBuddy(spec.host.allocator, spec.host.seed);
    this.bootMemory(ranges);
    if (rmp) this.frames.fill(frameWord(USE_RMPTABLE), rmp.start / PAGE_SIZE, rmp.end / PAGE_SIZE);
    this.guests = spec.guests.map((g, index) => ({
      index,
      spec: g,
      pages: Math.floor(g.memoryBytes / PAGE_SIZE),
      status: 'created',
      reason: '',
      state: new Map(),
      backing: new Map(),
      gmem: new Map(),
      userMap: new Map(),
      doubleBacked: 0,
      gigaFolio: new Map(),
      gigaSplit: new Set(),
      folio2m: new Set(),
    }));
    refBootTraffic(this);
  }

  private mapBoot(p: { start: number; end: number; level: PageLevel }): void {
    if (p.level === '1G') {
      for (let g = p.start / PUD_SIZE; g < p.end / PUD_SIZE; g++) this.pud.set(g, 'leaf');
      return;
    }
    for (let pfn = p.start / PAGE_SIZE; pfn < p.end / PAGE_SIZE; ) {
      const r = Math.floor(pfn / R2M);
      const e = Math.min(p.end / PAGE_SIZE, (r + 1) * R2M);
      this.pud.set(Math.floor(r / PTRS_PER_TABLE), 'table');
      this.pmd.set(r, p.level === '2M' ? 'leaf' : 'table');
      if (p.level === '4K') this.ptes.set(r, (this.ptes.get(r) ?? 0) + (e - pfn));
      pfn = e;
    }
  }

  /** RAM to the allocator minus the first 1 MiB and the kernel: image at 16 MiB, rest top-down. */
  private bootMemory(ranges: { start: number; end: number }[]): void {
    const kernel: FrameRun[] = [{ pfn: 0, count: ISA_END_ADDRESS / PAGE_SIZE }];
    const free: FrameRun[] = [];
    for (const r of ranges) {
      const s = Math.max(r.start, ISA_END_ADDRESS) / PAGE_SIZE;
      if (r.end / PAGE_SIZE > s) free.push({ pfn: s, count: r.end / PAGE_SIZE - s });
    }
    const isKernel = (pfn: number) => kernel.some((k) => pfn >= k.pfn && pfn < k.pfn + k.count);
    let left = Math.ceil(this.spec.host.kernelBytes / PAGE_SIZE);
    const image = Math.min(left, (48 * MiB) / PAGE_SIZE);
    const img = (16 * MiB) / PAGE_SIZE;
    for (const r of free) {
      const s = Math.max(r.pfn, img);
      const e = Math.min(r.pfn + r.count, img + image);
      if (e > s) {
        kernel.push({ pfn: s, count: e - s });
        left -= e - s;
      }
    }
    for (let i = free.length - 1; i >= 0 && left > 0; i--) {
      const r = free[i]!;
      let top = r.pfn + r.count;
      while (left > 0 && top > r.pfn && !isKernel(top - 1)) {
        const n = Math.min(left, top - r.pfn);
        kernel.push({ pfn: top - n, count: n });
        left -= n;
        top -= n;
      }
    }
    // Page by page: RAM is free, then kernel pages are not; the free runs go to the allocator.
    for (const r of free) this.frames.fill(frameWord(USE_FREE), r.pfn, r.pfn + r.count);
    for (const k of kernel) this.frames.fill(frameWord(USE_KERNEL), k.pfn, k.pfn + k.count);
    const runs: FrameRun[] = [];
    for (let pfn = 0; pfn < this.totalPages; pfn++) {
      if (this.frames[pfn] !== frameWord(USE_FREE)) continue;
      const last = runs[runs.length - 1];
      if (last && last.pfn + last.count === pfn) last.count++;
      else runs.push({ pfn, count: 1 });
    }
    this.alloc.boot(runs);
  }

  apply(ev: EngineEvent): void {
    applyReference(this, ev);
  }

  // ---- frames ---------------------------------------------------------------------------

  word(pfn: number): number {
    return this.frames[pfn] ?? frameWord(USE_HOLE);
  }

  setWord(pfn: number, n: number, word: number): void {
    for (let i = 0; i < n; i++) {
      this.frames[pfn + i] = word;
      this.touched.add(Math.floor((pfn + i) / R2M));
    }
  }

  updateWord(pfn: number, n: number, clear: number, set: number): void {
    for (let i = 0; i < n; i++) this.setWord(pfn + i, 1, (this.word(pfn + i) & ~clear) | set);
  }

  assigned(pfn: number): boolean {
    return (this.word(pfn) & RMP_ASSIGNED) !== 0;
  }

  /** Assigned 4K entries in a 2 MiB region, by looking at all 512. */
  assignedInRegion(r: number): number {
    let n = 0;
    for (let i = 0; i < R2M; i++) if (this.assigned(r * R2M + i)) n++;
    return n;
  }

  // ---- outcomes -------------------------------------------------------------------------

  emit(kind: OutcomeKind): void {
    this.outcomes.set(kind, this.outcomes.get(kind)! + 1);
  }

  // ---- direct map -----------------------------------------------------------------------

  levelOf(pfn: number): PageLevel | null {
    const g = this.pud.get(Math.floor(pfn / G1));
    if (g === 'leaf') return '1G';
    if (g !== 'table') return null;
    const p = this.pmd.get(Math.floor(pfn / R2M));
    return p === 'leaf' ? '2M' : p === 'table' ? '4K' : null;
  }

  /** set_memory_4k() page by page: a 1G leaf becomes 512 x 2M, then a 2M leaf 512 x 4K. */
  split4k(pfn: number, n: number, setMemory4k = true): void {
    for (let p = pfn; p < pfn + n; p++) {
      const g = Math.floor(p / G1);
      const r = Math.floor(p / R2M);
      if (this.pud.get(g) === 'leaf') {
        this.pud.set(g, 'table');
        for (let k = g * PTRS_PER_TABLE; k < (g + 1) * PTRS_PER_TABLE; k++) this.pmd.set(k, 'leaf');
        this.level3Splits++;
        this.splitDone();
      }
      if (this.pmd.get(r) === 'leaf') {
        this.pmd.set(r, 'table');
        this.ptes.set(r, R2M);
        this.level2Splits++;
        this.splitDone();
        if (setMemory4k && this.kernel4k) this.dmFlushes++;
      }
    }
  }

  private splitDone(): void {
    this.dmFlushes++;
    this.splitTablePages++;
    this.emit('dm-split');
    const pt = this.alloc.alloc(0, false);
    if (pt >= 0) this.setWord(pt, 1, frameWord(USE_PAGETABLE));
  }

  setPresent(pfn: number, n: number, present: boolean): void {
    if (!present) {
      this.split4k(pfn, n, false);
      this.updateWord(pfn, n, DM_UNMAPPED, DM_UNMAPPED);
      if (this.lastUnmapStep !== this.step) this.emit('dm-unmap');
      this.lastUnmapStep = this.step;
    } else this.updateWord(pfn, n, DM_UNMAPPED, 0);
  }

  /** DirectMap4k/2M/1G by walking every block and region. */
  counts(): { c4k: number; c2m: number; c1g: number } {
    let c4k = 0;
    let c2m = 0;
    let c1g = 0;
    for (const v of this.pud.values()) if (v === 'leaf') c1g++;
    for (const [r, v] of this.pmd) {
      if (this.pud.get(Math.floor(r / PTRS_PER_TABLE)) !== 'table') continue;
      if (v === 'leaf') c2m++;
      else c4k += this.ptes.get(r) ?? 0;
    }
    return { c4k, c2m, c1g };
  }

  get tlbFlushes(): number {
    return this.dmFlushes;
  }

  // ---- RMP ------------------------------------------------------------------------------

  /** RMPUPDATE with the 2M alignment and FAIL_OVERLAP rules, and the design's direct-map hook. */
  rmpUpdate(
    pfn: number,
    n: number,
    assigned: boolean,
    size: '4K' | '2M',
    valid: boolean,
    extra = 0,
  ): void {
    for (let r = Math.floor(pfn / R2M); r <= Math.floor((pfn + n - 1) / R2M); r++) {
      const overlap =
        size === '2M'
          ? assigned && (this.assignedInRegion(r) > 0 || this.rmp2m.has(r))
          : this.rmp2m.has(r);
      if (overlap || (size === '2M' && (pfn % R2M !== 0 || n % R2M !== 0))) {
        this.emit('rmpupdate-fail');
        return;
      }
    }
    const k = this.spec.kernel;
    const invalidates = k === 'unmap-2023' || k === 'hugetlb-ban-2022';
    if (k === 'rfc-2021' && assigned) this.split4k(pfn, n);
    if (invalidates && assigned) this.setPresent(pfn, n, false);
    if (k.startsWith('upstream') || k.startsWith('gmem')) if (size === '4K') this.split4k(pfn, n);
    const bits = assigned ? RMP_ASSIGNED + (valid ? RMP_VALIDATED : 0) + extra : 0;
    this.updateWord(pfn, n, RMP_ASSIGNED | RMP_VALIDATED | RMP_IMMUTABLE | RMP_VMSA, bits);
    if (size === '2M')
      for (let r = pfn / R2M; r < (pfn + n) / R2M; r++)
        assigned ? this.rmp2m.add(r) : this.rmp2m.delete(r);
    if (invalidates && !assigned) this.setPresent(pfn, n, true);
  }

  /** A running VMCB is in use by the CPU: a write faults without HvInUseWrAllowed. */
  inUseFaults(pfn: number): boolean {
    return this.spec.host.cpu?.hvInUseWrAllowed !== true && (this.word(pfn) & RMP_INUSE) !== 0;
  }

  isRmpTable(pfn: number): boolean {
    return frameUse(this.word(pfn)) === USE_RMPTABLE;
  }

  psmash(r: number): void {
    if (!this.rmp2m.delete(r)) return;
    this.emit('psmash');
  }

  /** The host write check: 4K → that entry; 2M or 1G → any entry of the 2 MiB region hit. */
  writeFaults(pfn: number, level: PageLevel): boolean {
    if (!this.rules.snp) return false;
    const r = Math.floor(pfn / R2M);
    if (this.rmp2m.has(r)) return true;
    return level === '4K' ? this.assigned(pfn) : this.assignedInRegion(r) > 0;
  }

  // ---- allocation -----------------------------------------------------------------------

  /** Only the VMM's memory is movable; guest_memfd, page tables and kernel pages are not. */
  allocFrames(n: number, word: number): FrameRun[] | null {
    const runs = this.alloc.allocPages(n, frameUse(word) === USE_VMM);
    if (runs) for (const r of runs) this.setWord(r.pfn, r.count, word);
    return runs;
  }

  allocBlock(order: number, word: number): number {
    const movable = frameUse(word) === USE_VMM;
    const pfn =
      order > MAX_PAGE_ORDER ? this.alloc.allocGigantic(order) : this.alloc.alloc(order, movable);
    if (pfn >= 0) this.setWord(pfn, 2 ** order, word);
    return pfn;
  }

  freeFrames(pfn: number, n: number): void {
    this.setWord(pfn, n, frameWord(USE_FREE));
    this.alloc.freeRange(pfn, n);
  }

  isHole(pfn: number): boolean {
    return frameUse(this.word(pfn)) === USE_HOLE;
  }

  onRegister(backing: Backing): string | null {
    const huge = backing === 'hugetlbfs-2m' || backing === 'hugetlbfs-1g';
    return this.spec.kernel === 'hugetlb-ban-2022' && huge ? 'ban.hugetlb' : null;
  }
}
