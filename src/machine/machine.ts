/**
 * The host: RAM, the buddy allocator, the direct map, the RMP and the guests, wired to one
 * kernel design. Mechanics that every design shares live here (RMPUPDATE with its 2M and
 * overlap rules, PSMASH, the RMP write check, allocation); the guest operations are in
 * guest-ops.ts; what differs between designs is in kernels/.
 *
 * Host frame state lives in `frames` (see frame-bits.ts) and the per-region `rmp2m` flag: the
 * hardware takes a PFN's RMP page size from the entry at the 2M-aligned PFN, so one flag per
 * 2 MiB region is exact. For a 2M entry all 512 frames carry RMP_ASSIGNED too, so
 * frames.counts[region] > 0 answers "is any page of this region assigned?" in O(1).
 */
import { bootDirectMap, normalizeRanges } from './boot-layout';
import { BuddyAllocator, type PfnRun } from './buddy';
import { bootCauses, SITE_SNP_4K, SITE_SNP_UNMAP, userspaceCauses } from './causes';
import { effectiveLinux } from './causes/era';
import { HeldState } from './causes/held';
import { DirectMap, PMD_TABLE, PUD_TABLE } from './direct-map';
import type { MachineSpec } from './events';
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
} from './frame-bits';
import { Guest } from './guest';
import { DESIGNS } from './kernels';
import type { Design, DesignContext, DesignState } from './kernels/design';
import { guestKernel } from './kernels/gmem-no-direct-map';
import { rmpTableRange, withoutRange } from './kernels/snp-host';
import { type LinuxRules, linuxRules } from './linux';
import { type OutcomeKind, OutcomeLog } from './outcomes';
import { RegionWords } from './region-words';
import { type RuleId, ruleIndex } from './rules';
import { ISA_END_ADDRESS, MiB, PAGES_PER_1G, PAGES_PER_2M, type PageLevel, roundUp } from './units';
import { GFP_KERNEL, type Gfp, gfpForUse } from './zones';

/** Where the kernel image sits (CONFIG_PHYSICAL_START) and how much of the boot memory it is. */
const KERNEL_IMAGE_START = 16 * MiB;
const KERNEL_IMAGE_MAX = 48 * MiB;

export class Machine {
  readonly design: Design;
  readonly totalPages: number;
  frames: RegionWords;
  rmp2m: Uint8Array;
  dm: DirectMap;
  alloc: BuddyAllocator;
  guests: Guest[];
  log = new OutcomeLog();
  /** The step being applied (1-based); 0 while booting. */
  step = 0;
  /** What the design keeps per machine (the sequestered area), cloned with it. */
  designState: DesignState;
  private lastUnmapStep = -1;
  /** What the host kernel version changes (host.linux, else the design's era). */
  readonly linux: LinuxRules;
  /** Page-table pages of the direct map right after boot. */
  readonly bootTablePages: number;
  readonly ramPages: number;
  readonly ctx: DesignContext;
  /** Frames the host causes hold (causes/held.ts). */
  held: HeldState;
  /** [snp.rmp_table] The RMP table's e820 reservation in bytes, or null (no SNP). */
  readonly rmpTable: { start: number; end: number } | null;
  /** host.cpu.hvInUseWrAllowed: writes to in-use hypervisor pages do not fault. */
  readonly hvInUseWrAllowed: boolean;
  /** The rule a split is caused by while the host's own RMP traffic runs (withCause). */
  private cause: RuleId | null = null;

  constructor(readonly spec: MachineSpec) {
    this.held = new HeldState(spec.host.seed);
    this.design = DESIGNS[spec.kernel];
    this.linux = linuxRules(effectiveLinux(spec));
    this.designState = this.design.createState();
    this.hvInUseWrAllowed = spec.host.cpu?.hvInUseWrAllowed === true;
    const e820 = normalizeRanges(spec.host.ranges);
    const end = Math.max(ISA_END_ADDRESS, ...e820.map((r) => r.end));
    this.totalPages = roundUp(end / 4096, PAGES_PER_2M);
    this.rmpTable = rmpTableRange(e820, this.design.rmpTableBytes(this.totalPages));
    const ranges = this.rmpTable ? withoutRange(e820, this.rmpTable) : e820;
    this.frames = new RegionWords(this.totalPages, frameWord(USE_HOLE), RMP_ASSIGNED);
    this.rmp2m = new Uint8Array(this.totalPages / PAGES_PER_2M);
    // [boot.debug_pagealloc] probe_page_size_mask(): no 2M or 1G pages at all.
    const pieces = bootDirectMap(ranges, spec.host.gbpages).map((p) =>
      spec.host.debugPagealloc ? { ...p, level: '4K' as const } : p,
    );
    this.dm = new DirectMap(this.totalPages, pieces, spec.host.gbpages);
    this.wirePtePresence();
    this.alloc = new BuddyAllocator(spec.host.allocator, spec.host.seed);
    this.ramPages = ranges.reduce((s, r) => s + (r.end - r.start) / 4096, 0);
    this.bootHostMemory(ranges);
    if (this.rmpTable) {
      const first = this.rmpTable.start / 4096;
      this.frames.set(first, this.rmpTable.end / 4096 - first, frameWord(USE_RMPTABLE));
    }
    this.bootTablePages = this.countTablePages();
    this.guests = spec.guests.map(
      (g, i) => new Guest(i, g, false, this.totalPages, guestKernel(this.design, g)),
    );
    this.ctx = designContext(this);
    if (spec.host.boot === 'booted') this.bootPreamble();
    // ccp and kvm_amd load after boot: their splits count in /proc/vmstat.
    this.design.hostTraffic.boot(this);
  }

  /** Run fn with its direct-map splits and unmaps attributed to `rule` (the host's own traffic). */
  withCause(rule: RuleId, fn: () => void): void {
    const outer = this.cause;
    this.cause = rule;
    try {
      fn();
    } finally {
      this.cause = outer;
    }
  }

  /**
   * Step 0 of a booted host: the causes' boot hooks before SYSTEM_RUNNING (DirectMap* moves,
   * vmstat does not: [cpa.vmstat.running]), then early userspace after it.
   */
  private bootPreamble(): void {
    this.dm.running = false;
    bootCauses(this);
    this.dm.running = true;
    userspaceCauses(this);
    this.dm.site = SITE_SNP_4K;
    this.bootSplitOutcomes = this.log.length;
  }

  /** Outcomes the boot preamble emitted (all at step 0). */
  bootSplitOutcomes = 0;

  private readonly runStarts = new Uint16Array(513);
  private readonly runWords = new Uint32Array(513);

  private wirePtePresence(): void {
    const present = (pfn: number, w: number) =>
      ((frameUse(w) !== USE_HOLE && frameUse(w) !== USE_RMPTABLE) ||
        pfn < ISA_END_ADDRESS / 4096) &&
      !(w & DM_UNMAPPED);
    this.dm.setPtePresence(
      (pfn) => present(pfn, this.frames.get(pfn)),
      (r) => {
        const n = this.frames.runsOf(r, this.runStarts, this.runWords);
        for (let j = 0; j < n; j++)
          if (!present(r * PAGES_PER_2M + this.runStarts[j]!, this.runWords[j]!)) return false;
        return true;
      },
    );
  }

  /** [buddy.boot] RAM to the allocator, minus the first 1 MiB and the host kernel's memory. */
  private bootHostMemory(ranges: { start: number; end: number }[]): void {
    this.frames.set(0, ISA_END_ADDRESS / 4096, frameWord(USE_KERNEL));
    const reserved: PfnRun[] = [{ pfn: 0, count: ISA_END_ADDRESS / 4096 }];
    let kernel = roundUp(this.spec.host.kernelBytes, 4096) / 4096;
    // The image at CONFIG_PHYSICAL_START; the rest (memmap, slab) top-down as memblock does.
    const image = Math.min(kernel, KERNEL_IMAGE_MAX / 4096);
    const free: PfnRun[] = [];
    for (const r of ranges) {
      const s = Math.max(r.start, ISA_END_ADDRESS) / 4096;
      const e = r.end / 4096;
      if (e > s) free.push({ pfn: s, count: e - s });
      if (e <= s) continue;
      this.frames.set(s, e - s, frameWord(USE_FREE));
    }
    const carve = (pfn: number, count: number) => {
      this.frames.set(pfn, count, frameWord(USE_KERNEL));
      reserved.push({ pfn, count });
    };
    const imgStart = KERNEL_IMAGE_START / 4096;
    for (const r of free) {
      const s = Math.max(r.pfn, imgStart);
      const e = Math.min(r.pfn + r.count, imgStart + image);
      if (e > s) {
        carve(s, e - s);
        kernel -= e - s;
      }
    }
    for (let i = free.length - 1; i >= 0 && kernel > 0; i--) {
      const r = free[i]!;
      let top = r.pfn + r.count;
      while (kernel > 0 && top > r.pfn) {
        const isReserved = reserved.some((x) => top - 1 >= x.pfn && top - 1 < x.pfn + x.count);
        if (isReserved) break;
        const n = Math.min(kernel, top - r.pfn);
        carve(top - n, n);
        kernel -= n;
        top -= n;
      }
    }
    this.alloc.boot(subtractRuns(free, reserved));
  }

  private countTablePages(): number {
    let n = Math.ceil(this.dm.pud.length / 512);
    const { pud, pmd } = this.dm;
    for (let i = 0; i < pud.length; i++) if (pud[i] === PUD_TABLE) n++;
    for (let i = 0; i < pmd.length; i++) if (pmd[i] === PMD_TABLE) n++;
    return n;
  }

  // ---- outcomes -------------------------------------------------------------------------

  /** The guest whose event is being applied, for outcomes that do not name one. */
  curGuest = -1;

  emit(
    kind: OutcomeKind,
    rule: RuleId,
    pfn: number,
    detail: number,
    gpa = -1,
    guest = this.curGuest,
  ): void {
    this.log.push(this.step, kind, ruleIndex(rule), guest, pfn, detail, gpa);
  }

  // ---- direct map -----------------------------------------------------------------------

  private readonly splitScratch: { kind: 'pud' | 'pmd'; index: number }[] = [];

  /**
   * set_memory_4k(): split and account, allocating one page-table page per split ([dm.cpa_flush]
   * on 6.15+). `setMemory4k` false: the split of set_direct_map_*_noflush(), which sets no bit.
   */
  split4k(pfn: number, n: number, why: RuleId, setMemory4k = true): void {
    // [cpa.kernel_4k] the PTEs carry _PAGE_KERNEL_4K: these regions never collapse.
    if (setMemory4k) {
      const k4 = this.dm.kernel4k;
      for (let r = Math.floor(pfn / PAGES_PER_2M); r * PAGES_PER_2M < pfn + n; r++) k4[r] = 1;
    }
    this.splitRaw(pfn, n, this.cause ?? why, setMemory4k);
  }

  private splitRaw(pfn: number, n: number, rule: RuleId, setMemory4k = false): void {
    const recs = this.splitScratch;
    recs.length = 0;
    if (this.dm.split4k(pfn, n, recs, setMemory4k && this.linux.kernel4k) === 0) return;
    for (const r of recs) {
      const first = r.kind === 'pud' ? r.index * PAGES_PER_1G : r.index * PAGES_PER_2M;
      this.emit('dm-split', rule, first, r.kind === 'pud' ? 1 : 0);
      // split_large_page(): alloc_pages(GFP_KERNEL, 0).
      const pt = this.alloc.alloc(0, GFP_KERNEL);
      if (pt >= 0) this.frames.set(pt, 1, frameWord(USE_PAGETABLE));
    }
  }

  /**
   * set_direct_map_invalid_noflush() / _default_noflush() page by page (SNP host v10,
   * invalidate_direct_map()): no flush of its own, only the splits' flush_tlb_all(). (v7 used
   * set_memory_np()/set_memory_p(), one more flush per call; v8–v10 the _noflush calls.)
   */
  setDirectMapPresent(pfn: number, n: number, present: boolean, why: RuleId): void {
    const rule = this.cause ?? why;
    if (!present) {
      this.dm.site = SITE_SNP_UNMAP;
      this.splitRaw(pfn, n, rule, false);
      this.dm.site = SITE_SNP_4K;
      this.frames.update(pfn, n, DM_UNMAPPED, DM_UNMAPPED);
      // One outcome per event, not per RMPUPDATE: a 2 MiB accept is 512 of them.
      if (this.lastUnmapStep !== this.step) this.emit('dm-unmap', rule, pfn, n);
      this.lastUnmapStep = this.step;
    } else this.frames.update(pfn, n, DM_UNMAPPED, 0);
  }

  // ---- RMP ------------------------------------------------------------------------------

  /**
   * [rmp.rmpupdate] RMPUPDATE of [pfn, pfn + n): 4K entries, or 2M entries for whole aligned
   * regions. Assigning a 2M entry over any assigned 4K entry fails (FAIL_OVERLAP); so does a 4K
   * update inside a 2M entry (PSMASH first). Returns false, changing nothing, on failure.
   * `extra` is RMP_IMMUTABLE and/or RMP_VMSA for an assigned entry (firmware pages, a VMSA).
   */
  rmpUpdate(
    pfn: number,
    n: number,
    assigned: boolean,
    size: '4K' | '2M',
    validated: boolean,
    extra = 0,
  ): boolean {
    const r0 = Math.floor(pfn / PAGES_PER_2M);
    const r1 = Math.floor((pfn + n - 1) / PAGES_PER_2M);
    for (let r = r0; r <= r1; r++) {
      const overlap =
        size === '2M'
          ? assigned && (this.frames.counts[r]! > 0 || this.rmp2m[r] === 1)
          : this.rmp2m[r] === 1;
      if (overlap || (size === '2M' && (pfn % PAGES_PER_2M !== 0 || n % PAGES_PER_2M !== 0))) {
        this.emit('rmpupdate-fail', 'rmp.rmpupdate', r * PAGES_PER_2M, size === '2M' ? 2 : 1);
        return false;
      }
    }
    this.design.beforeRmpUpdate(this.ctx, pfn, n, size, assigned);
    const bits = assigned ? RMP_ASSIGNED + (validated ? RMP_VALIDATED : 0) + extra : 0;
    this.frames.update(pfn, n, RMP_ASSIGNED | RMP_VALIDATED | RMP_IMMUTABLE | RMP_VMSA, bits);
    if (size === '2M') this.rmp2m.fill(assigned ? 1 : 0, r0, r1 + 1);
    this.design.afterRmpUpdate(this.ctx, pfn, n, size, assigned);
    return true;
  }

  /** [rmp.psmash] Split the 2M RMP entry of a region into 512 4K entries (validated kept). */
  psmash(region: number, rule: RuleId = 'rmp.psmash'): void {
    if (this.rmp2m[region] !== 1) return;
    this.rmp2m[region] = 0;
    this.emit('psmash', rule, region * PAGES_PER_2M, region);
  }

  /** Does a host write to this frame through a mapping of this size fault (the design says)? */
  writeFaults(pfn: number, level: PageLevel): boolean {
    return this.design.hostWriteFaults(this, pfn, level);
  }

  /**
   * [rmp.check.inuse] A host write to a hypervisor-owned page the CPU is using (a running vCPU's
   * VMCB) faults unless the CPU has HvInUseWrAllowed.
   */
  inUseWriteFaults(pfn: number): boolean {
    return !this.hvInUseWrAllowed && (this.frames.get(pfn) & RMP_INUSE) !== 0;
  }

  /** [rmp.check.write] The RMP check of a host write through a mapping of this size. */
  rmpCheckWrite(pfn: number, level: PageLevel): boolean {
    const r = Math.floor(pfn / PAGES_PER_2M);
    if (this.rmp2m[r] === 1) return true;
    if (level === '4K') return (this.frames.get(pfn) & RMP_ASSIGNED) !== 0;
    // 2M, and 1G checked like a 2M access to the 2 MiB sub-region hit.
    return this.frames.counts[r]! > 0;
  }

  // ---- allocation -----------------------------------------------------------------------

  /**
   * n order-0 pages marked with a frame word; null when the host is out of memory. `gfp` says
   * where they may come from (zones.ts); omitted, it follows the word's use: the VMM's memory
   * GFP_HIGHUSER_MOVABLE, guest_memfd GFP_HIGHUSER, everything else GFP_KERNEL.
   */
  allocFrames(n: number, word: number, gfp: Gfp = gfpForUse(frameUse(word))): PfnRun[] | null {
    if (n === 1) {
      // One page (4K churn): no arrays; the result is scratch, read before the next call.
      const pfn = this.alloc.allocOne(gfp);
      if (pfn < 0) return null;
      this.frames.set(pfn, 1, word);
      this.oneRun[0]!.pfn = pfn;
      this.oneRun[0]!.count = 1;
      return this.oneRun;
    }
    const runs = this.alloc.allocPages(n, gfp);
    if (!runs) return null;
    for (const r of runs) this.frames.set(r.pfn, r.count, word);
    return runs;
  }

  /** One naturally aligned block of 2^order frames (gfp as allocFrames); its pfn, or -1. */
  allocBlock(order: number, word: number, gfp: Gfp = gfpForUse(frameUse(word))): number {
    const pfn = order > 10 ? this.alloc.allocGigantic(order) : this.alloc.alloc(order, gfp);
    if (pfn >= 0) this.frames.set(pfn, 2 ** order, word);
    return pfn;
  }

  freeFrames(pfn: number, n: number): void {
    this.frames.set(pfn, n, frameWord(USE_FREE));
    this.alloc.freeRange(pfn, n);
  }

  private readonly oneRun: PfnRun[] = [{ pfn: 0, count: 0 }];

  // ---- metrics --------------------------------------------------------------------------

  get tablePages(): number {
    return this.bootTablePages + this.dm.splitTablePages;
  }

  get tlbFlushes(): number {
    return this.dm.tlbFlushes;
  }

  get doubleBackedPages(): number {
    return this.guests.reduce((s, g) => s + g.doubleBacked, 0);
  }

  /** The RMP table's size (0 without SNP). */
  get rmpTableBytes(): number {
    return this.design.rmpTableBytes(this.totalPages);
  }

  count(kind: OutcomeKind): number {
    return this.log.count(kind);
  }

  privatePages(guest: Guest): number {
    let n = 0;
    for (let r = 0; r < guest.state.regions; r++) n += guest.state.counts[r]!;
    return n;
  }

  /** Rough bytes a clone of this machine holds (for the timeline's checkpoint budget). */
  estimateBytes(): number {
    let n =
      this.frames.bytes +
      this.dm.pmd.byteLength * 4 +
      this.rmp2m.byteLength +
      this.alloc.estimateBytes();
    for (const g of this.guests)
      n += g.state.bytes + g.backingMap.bytes + g.gmemMap.bytes + g.userMap.byteLength;
    return n;
  }

  /**
   * Become a copy of src — the same scenario's machine at another step — reusing this one's
   * buffers (restoring a checkpoint without fresh memory). The outcome log is the caller's.
   */
  restoreFrom(src: Machine): void {
    this.frames.copyFrom(src.frames);
    this.rmp2m.set(src.rmp2m);
    this.dm.copyFrom(src.dm);
    this.alloc.copyFrom(src.alloc);
    for (let i = 0; i < this.guests.length; i++) this.guests[i]!.copyFrom(src.guests[i]!);
    this.step = src.step;
    this.designState.copyFrom(src.designState);
    this.lastUnmapStep = src.lastUnmapStep;
    this.held.copyFrom(src.held);
    this.curGuest = src.curGuest;
  }

  /**
   * An independent copy: nothing the copy does reaches this machine. Its outcome log counts on
   * from this one's counts without the rows (callers that keep rows give it their own log).
   */
  clone(): Machine {
    const c = Object.create(Machine.prototype) as Machine;
    Object.assign(c, this, {
      log: OutcomeLog.countsOnly(this.log.counts),
      frames: this.frames.clone(),
      rmp2m: this.rmp2m.slice(),
      dm: this.dm.clone(),
      alloc: this.alloc.clone(),
      guests: this.guests.map((g) => g.clone()),
      designState: this.designState.clone(),
      held: this.held.clone(),
      splitScratch: [],
      oneRun: [{ pfn: 0, count: 0 }],
      runStarts: new Uint16Array(513),
      runWords: new Uint32Array(513),
    });
    c.wirePtePresence();
    (c as { ctx: DesignContext }).ctx = designContext(c);
    return c;
  }

  checkInvariants(): string | null {
    return (
      this.dm.checkInvariants() ??
      this.frames.checkInvariants() ??
      this.alloc.checkInvariants() ??
      this.guests.map((g) => g.state.checkInvariants()).find((x) => x !== null) ??
      null
    );
  }
}

function designContext(m: Machine): DesignContext {
  return {
    split4k: (pfn, n, rule) => m.split4k(pfn, n, rule),
    setDirectMapPresent: (pfn, n, present, rule) => m.setDirectMapPresent(pfn, n, present, rule),
  };
}

/** Runs minus reserved runs, ascending. */
function subtractRuns(runs: PfnRun[], minus: PfnRun[]): PfnRun[] {
  const cuts = [...minus].sort((a, b) => a.pfn - b.pfn);
  const out: PfnRun[] = [];
  for (const r of runs) {
    let s = r.pfn;
    const e = r.pfn + r.count;
    for (const c of cuts) {
      const cs = c.pfn;
      const ce = c.pfn + c.count;
      if (ce <= s || cs >= e) continue;
      if (cs > s) out.push({ pfn: s, count: cs - s });
      s = Math.max(s, ce);
    }
    if (e > s) out.push({ pfn: s, count: e - s });
  }
  return out;
}
