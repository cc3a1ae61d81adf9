/**
 * The kernel's direct map (physmap) page tables: one PUD entry per 1 GiB, one PMD entry per
 * 2 MiB, PTE pages only where a 2 MiB mapping was split — exactly as sparse as the kernel's.
 *
 * Rules (ids cited by outcomes):
 * - [dm.boot] the boot layout from boot-layout.ts (split_mem_range, init_memory_mapping).
 * - [dm.split.pud] split_large_page() on a 1G leaf: 512 x 2M, one page-table page, DirectMap1G
 *   -= 1 GiB, DirectMap2M += 1 GiB, direct_map_level3_splits++, flush_tlb_all().
 * - [dm.split.pmd] split_large_page() on a 2M leaf: 512 x 4K, one page-table page, DirectMap2M
 *   -= 2 MiB, DirectMap4k += 2 MiB, direct_map_level2_splits++, flush_tlb_all().
 *   (arch/x86/mm/pat/set_memory.c: __split_large_page, update_page_count, split_page_count)
 * - [dm.no-collapse] pages split by set_memory_4k() never collapse (CPA_COLLAPSE is only for
 *   set_memory_rox, v6.15 41d88484c71c): nothing here merges.
 * - [dm.cpa_flush] from 6.15 set_memory_4k() sets _PAGE_KERNEL_4K on the PTE it was given, so
 *   the call ends in one cpa_flush() IPI broadcast on top of the per-split flush_tlb_all(). A
 *   call that splits splits one 2 MiB region to 4K (adjust_direct_map() asks for one 4K page,
 *   and only when its mapping is 2M or 1G), so it is counted once per 2M → 4K split made by
 *   set_memory_4k(); set_direct_map_*_noflush() sets no such bit and flushes only to split.
 * - [cpa.collapse.pmd] / [cpa.collapse.pud] collapsePmd()/collapsePud(): the reverse, from v6.15
 *   (collapse_pmd_page()/collapse_pud_page(), 41d88484c71c); when to call them is cpa.ts's.
 * - [cpa.vmstat.running] split_page_count()/collapse_page_count() bump vmstat only when
 *   system_state == SYSTEM_RUNNING (`running`); DirectMap* move at any time.
 * Counters count mappings by level exactly like direct_pages_count[]: clearing _PAGE_PRESENT on
 * a 4K PTE does not change them.
 *
 * Provenance: `pmdSite`/`pudSite` hold the call site (causes/sites.ts) that last split each 2 MiB
 * region / 1 GiB block (0: never split), and `bySite` the running counters per site
 * (SITE_COUNTERS columns), so "who split this, and how much DirectMap4k is whose" is O(1).
 *
 * Invariant: count4k*4K + count2m*2M + count1g*1G is the mapped RAM from boot and never changes.
 */
import type { MapPiece } from './boot-layout';
import { PAGES_PER_1G, PAGES_PER_2M, type PageLevel } from './units';

/** Per-1G state. */
export const PUD_NONE = 0;
export const PUD_LEAF = 1;
export const PUD_TABLE = 2;
/** Per-2M state (meaningful when the PUD is a table). */
export const PMD_NONE = 0;
export const PMD_LEAF = 2;
export const PMD_TABLE = 3;

export interface SplitRecord {
  /** 'pud' = 1G→2M (level3), 'pmd' = 2M→4K (level2). */
  kind: 'pud' | 'pmd';
  /** Index of the 1 GiB block or 2 MiB region split. */
  index: number;
}

/** Columns of DirectMap.bySite, per call site. */
export const SITE_COUNTERS = 6;
export const SC_L2_SPLITS = 0;
export const SC_L3_SPLITS = 1;
export const SC_L2_COLLAPSES = 2;
export const SC_L3_COLLAPSES = 3;
/** 2 MiB regions currently 4K because this site split them. */
export const SC_REGIONS_4K = 4;
/** 1 GiB blocks currently 2M-mapped because this site split them. */
export const SC_GIGS_2M = 5;
/** Call sites tracked (causes/sites.ts has fewer). */
export const MAX_SITES = 64;

export class DirectMap {
  readonly pud: Uint8Array;
  readonly pmd: Uint8Array;
  /** Present 4K PTEs in each split 2 MiB region (boot holes and edges have fewer than 512). */
  readonly ptesInRegion: Uint16Array;
  count4k = 0;
  count2m = 0;
  count1g = 0;
  level2Splits = 0;
  level3Splits = 0;
  /** Every TLB flush: one per split, plus the cpaFlushes. */
  tlbFlushes = 0;
  /** [dm.cpa_flush] cpa_flush() broadcasts after set_memory_4k() calls (6.15+ only). */
  cpaFlushes = 0;
  /** Page-table pages allocated by splits after boot (one per split). */
  splitTablePages = 0;
  level2Collapses = 0;
  level3Collapses = 0;
  /** system_state == SYSTEM_RUNNING: only then do splits and collapses reach vmstat. */
  running = true;
  /** The call site whose splits are being made (causes/sites.ts; 1 = the SNP design's). */
  site = 1;
  readonly pmdSite: Uint8Array;
  readonly pudSite: Uint8Array;
  /** A PTE of the region carries _PAGE_KERNEL_4K (set_memory_4k): it never collapses. */
  readonly kernel4k: Uint8Array;
  readonly bySite = new Float64Array(MAX_SITES * SITE_COUNTERS);
  readonly mappedBytes: number;

  constructor(
    readonly totalPages: number,
    pieces: readonly MapPiece[],
    readonly gbpages: boolean,
  ) {
    const regions = Math.ceil(totalPages / PAGES_PER_2M);
    this.pud = new Uint8Array(Math.ceil(totalPages / PAGES_PER_1G));
    this.pmd = new Uint8Array(regions);
    this.ptesInRegion = new Uint16Array(regions);
    this.pmdSite = new Uint8Array(regions);
    this.pudSite = new Uint8Array(this.pud.length);
    this.kernel4k = new Uint8Array(regions);
    let mapped = 0;
    for (const p of pieces) {
      const first = p.start / 4096;
      const last = p.end / 4096;
      mapped += p.end - p.start;
      if (p.level === '1G') {
        for (let g = first / PAGES_PER_1G; g < last / PAGES_PER_1G; g++) this.pud[g] = PUD_LEAF;
        this.count1g += (last - first) / PAGES_PER_1G;
      } else if (p.level === '2M') {
        for (let r = first / PAGES_PER_2M; r < last / PAGES_PER_2M; r++) {
          this.pmd[r] = PMD_LEAF;
          this.pud[Math.floor(r / 512)] = PUD_TABLE;
        }
        this.count2m += (last - first) / PAGES_PER_2M;
      } else {
        for (let pfn = first; pfn < last; ) {
          const r = Math.floor(pfn / PAGES_PER_2M);
          const end = Math.min(last, (r + 1) * PAGES_PER_2M);
          this.pmd[r] = PMD_TABLE;
          this.pud[Math.floor(r / 512)] = PUD_TABLE;
          this.ptesInRegion[r]! += end - pfn;
          pfn = end;
        }
        this.count4k += last - first;
      }
    }
    this.mappedBytes = mapped;
  }

  /** The mapping level that translates this frame, or null when the frame is not direct-mapped. */
  levelOf(pfn: number): PageLevel | null {
    const g = Math.floor(pfn / PAGES_PER_1G);
    const pud = this.pud[g];
    if (pud === PUD_LEAF) return '1G';
    if (pud !== PUD_TABLE) return null;
    const pmd = this.pmd[Math.floor(pfn / PAGES_PER_2M)];
    if (pmd === PMD_LEAF) return '2M';
    return pmd === PMD_TABLE ? '4K' : null;
  }

  regionLevel(region: number): PageLevel | null {
    return this.levelOf(region * PAGES_PER_2M);
  }

  /**
   * set_memory_4k() on [pfn, pfn + n): split every large mapping that covers part of the range,
   * 1G first. Appends what was split to `out` and returns the number of splits. `kernel4k`: the
   * call sets _PAGE_KERNEL_4K (set_memory_4k() on 6.15+), one more flush per region it split.
   */
  split4k(pfn: number, n: number, out: SplitRecord[] | null, kernel4k = false): number {
    let splits = 0;
    const lastRegion = Math.floor((pfn + n - 1) / PAGES_PER_2M);
    for (let r = Math.floor(pfn / PAGES_PER_2M); r <= lastRegion; r++) {
      const g = Math.floor(r / 512);
      if (this.pud[g] === PUD_LEAF) {
        this.splitPud(g);
        out?.push({ kind: 'pud', index: g });
        splits++;
      }
      if (this.pmd[r] === PMD_LEAF) {
        this.splitPmd(r);
        out?.push({ kind: 'pmd', index: r });
        splits++;
        if (kernel4k) this.cpaFlush();
      }
      if (kernel4k) this.kernel4k[r] = 1;
    }
    return splits;
  }

  /**
   * [dm.cpa_flush] The one cpa_flush() IPI broadcast of a set_memory_*() call that changed a PTE,
   * on top of its splits' flush_tlb_all(). The only place cpaFlushes grows: split4k() above for
   * the SNP designs' set_memory_4k() (6.15+, once per region it split: one region per call there)
   * and cpa() in cpa.ts for the host causes, which never calls split4k(), so no call counts twice.
   */
  cpaFlush(): void {
    this.cpaFlushes++;
    this.tlbFlushes++;
  }

  /** [dm.split.pud] */
  splitPud(g: number): void {
    this.pud[g] = PUD_TABLE;
    this.pmd.fill(PMD_LEAF, g * 512, Math.min((g + 1) * 512, this.pmd.length));
    this.count1g--;
    this.count2m += 512;
    if (this.running) this.level3Splits++;
    this.tlbFlushes++;
    this.splitTablePages++;
    const s = this.site * SITE_COUNTERS;
    this.bySite[s + SC_L3_SPLITS]!++;
    this.bySite[s + SC_GIGS_2M]!++;
    this.pudSite[g] = this.site;
  }

  /** [dm.split.pmd] */
  splitPmd(r: number): void {
    this.pmd[r] = PMD_TABLE;
    this.ptesInRegion[r] = PAGES_PER_2M;
    this.count2m--;
    this.count4k += PAGES_PER_2M;
    if (this.running) this.level2Splits++;
    this.tlbFlushes++;
    this.splitTablePages++;
    const s = this.site * SITE_COUNTERS;
    this.bySite[s + SC_L2_SPLITS]!++;
    this.bySite[s + SC_REGIONS_4K]!++;
    this.pmdSite[r] = this.site;
  }

  /** [cpa.collapse.pmd] 512 × 4K back to one 2M leaf (the caller checked the 512 PTEs). */
  collapsePmd(r: number): void {
    this.pmd[r] = PMD_LEAF;
    this.ptesInRegion[r] = 0;
    this.count2m++;
    this.count4k -= PAGES_PER_2M;
    if (this.running) this.level2Collapses++;
    this.splitTablePages--;
    const by = this.pmdSite[r]! * SITE_COUNTERS;
    this.bySite[by + SC_REGIONS_4K]!--;
    this.bySite[this.site * SITE_COUNTERS + SC_L2_COLLAPSES]!++;
    this.pmdSite[r] = 0;
  }

  /** [cpa.collapse.pud] 512 × 2M back to one 1G leaf (the caller checked the 512 PMDs). */
  collapsePud(g: number): void {
    this.pud[g] = PUD_LEAF;
    this.pmd.fill(PMD_NONE, g * 512, Math.min((g + 1) * 512, this.pmd.length));
    this.count1g++;
    this.count2m -= 512;
    if (this.running) this.level3Collapses++;
    this.splitTablePages--;
    const by = this.pudSite[g]! * SITE_COUNTERS;
    this.bySite[by + SC_GIGS_2M]!--;
    this.bySite[this.site * SITE_COUNTERS + SC_L3_COLLAPSES]!++;
    this.pudSite[g] = 0;
  }

  /** Runs of equal level in address order, for ptdump and the reconciler. */
  pieces(): MapPiece[] {
    const out: MapPiece[] = [];
    const add = (startPfn: number, endPfn: number, level: PageLevel) => {
      const last = out[out.length - 1];
      const start = startPfn * 4096;
      if (last && last.level === level && last.end === start) last.end = endPfn * 4096;
      else out.push({ start, end: endPfn * 4096, level });
    };
    for (let g = 0; g < this.pud.length; g++) {
      if (this.pud[g] === PUD_LEAF) add(g * PAGES_PER_1G, (g + 1) * PAGES_PER_1G, '1G');
      else if (this.pud[g] === PUD_TABLE) {
        for (let r = g * 512; r < Math.min((g + 1) * 512, this.pmd.length); r++) {
          if (this.pmd[r] === PMD_LEAF) add(r * PAGES_PER_2M, (r + 1) * PAGES_PER_2M, '2M');
          else if (this.pmd[r] === PMD_TABLE) this.addPtes(r, add);
        }
      }
    }
    return out;
  }

  /** Boot leaves partial PTE tables only at range edges; present PTEs are the first ones mapped. */
  private ptePresent: ((pfn: number) => boolean) | null = null;
  private regionAllPresent: ((region: number) => boolean) | null = null;
  /**
   * Which PTEs of a split region are present: boot leaves partial tables at range edges, and
   * unmap-2023 clears _PAGE_PRESENT on private pages. `all` answers for a whole region cheaply.
   */
  setPtePresence(fn: (pfn: number) => boolean, all: (region: number) => boolean): void {
    this.ptePresent = fn;
    this.regionAllPresent = all;
  }

  private addPtes(r: number, add: (s: number, e: number, l: PageLevel) => void): void {
    const base = r * PAGES_PER_2M;
    if (
      !this.ptePresent ||
      (this.ptesInRegion[r] === PAGES_PER_2M && this.regionAllPresent?.(r) !== false)
    ) {
      add(base, base + PAGES_PER_2M, '4K');
      return;
    }
    let runStart = -1;
    for (let i = 0; i <= PAGES_PER_2M; i++) {
      const present = i < PAGES_PER_2M && this.ptePresent(base + i);
      if (present && runStart < 0) runStart = i;
      if (!present && runStart >= 0) {
        add(base + runStart, base + i, '4K');
        runStart = -1;
      }
    }
  }

  /** Become a copy of src (same host), reusing this one's tables. */
  copyFrom(src: DirectMap): void {
    this.pud.set(src.pud);
    this.pmd.set(src.pmd);
    this.ptesInRegion.set(src.ptesInRegion);
    this.pmdSite.set(src.pmdSite);
    this.pudSite.set(src.pudSite);
    this.kernel4k.set(src.kernel4k);
    this.bySite.set(src.bySite);
    this.level2Collapses = src.level2Collapses;
    this.level3Collapses = src.level3Collapses;
    this.running = src.running;
    this.site = src.site;
    this.count4k = src.count4k;
    this.count2m = src.count2m;
    this.count1g = src.count1g;
    this.level2Splits = src.level2Splits;
    this.level3Splits = src.level3Splits;
    this.tlbFlushes = src.tlbFlushes;
    this.cpaFlushes = src.cpaFlushes;
    this.splitTablePages = src.splitTablePages;
  }

  clone(): DirectMap {
    const c = Object.create(DirectMap.prototype) as DirectMap;
    Object.assign(c, this, {
      pud: this.pud.slice(),
      pmd: this.pmd.slice(),
      ptesInRegion: this.ptesInRegion.slice(),
      pmdSite: this.pmdSite.slice(),
      pudSite: this.pudSite.slice(),
      kernel4k: this.kernel4k.slice(),
      bySite: this.bySite.slice(),
    });
    return c;
  }

  /** Recount every level from the tables: must equal the running counters. */
  checkInvariants(): string | null {
    let c1 = 0;
    let c2 = 0;
    let c4 = 0;
    for (let g = 0; g < this.pud.length; g++) {
      if (this.pud[g] === PUD_LEAF) c1++;
      else if (this.pud[g] === PUD_TABLE)
        for (let r = g * 512; r < Math.min((g + 1) * 512, this.pmd.length); r++) {
          if (this.pmd[r] === PMD_LEAF) c2++;
          else if (this.pmd[r] === PMD_TABLE) c4 += this.ptesInRegion[r]!;
        }
    }
    if (c1 !== this.count1g || c2 !== this.count2m || c4 !== this.count4k)
      return `walk finds 4k=${c4} 2m=${c2} 1g=${c1}, counters say 4k=${this.count4k} 2m=${this.count2m} 1g=${this.count1g}`;
    const sum = c4 * 4096 + c2 * 2 ** 21 + c1 * 2 ** 30;
    if (sum !== this.mappedBytes) return `DirectMap sum ${sum} != mapped ${this.mappedBytes}`;
    return null;
  }
}
