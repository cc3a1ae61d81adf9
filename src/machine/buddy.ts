/**
 * The host's physical page allocator (mm/page_alloc.c): zones (zones.ts) of free areas
 * (zone-buddy.ts, which lists the buddy rules), one CPU's per-cpu lists, one NUMA node.
 *
 * Rules at this level (ids in brackets):
 * - [zone.layout] boot() hands each zone the free pages inside it; its managed pages set its
 *   watermarks, lowmem_reserve and pcp batch/high (zones.ts).
 * - [zone.zonelist] get_page_from_freelist(): zones from the highest the gfp allows (Normal)
 *   down — Normal, DMA32, DMA — taking the first whose watermark holds (zone_watermark_fast,
 *   low watermark + lowmem_reserve). When the preferred zone is Normal and DMA32 is populated,
 *   the first pass sets ALLOC_NOFRAGMENT (alloc_flags_nofragment: fall back to another
 *   migratetype only by whole pageblocks) and, finding nothing, retries without it. The model has
 *   no reclaim or OOM killer: when no zone passes its watermark it takes free pages from the
 *   zonelist in order regardless (so capacity is all of RAM, and DMA stays the last resort).
 * - Migratetype from the gfp (gfp_migratetype): GFP_HIGHUSER_MOVABLE movable; GFP_KERNEL and
 *   GFP_HIGHUSER (guest_memfd) unmovable. The optional `gfp` argument of alloc, allocOne and
 *   allocPages defaults to GFP_HIGHUSER_MOVABLE, the behaviour these calls had before zones and
 *   migratetypes (every pageblock is movable at boot, so a movable-only workload never falls back).
 *
 * Alternatives for comparison: "packed" (always the lowest free pages, first fit by address,
 * one zone, no per-cpu lists, gfp ignored) and "random" (the buddy's rules, but a random free
 * block of a list and a random half at every split: maximal scattering).
 *
 * Bulk allocation (allocPages) returns exactly what n successive order-0 allocations would, as
 * runs, in O(blocks) rather than O(pages): a 960 GiB guest is 251 M pages.
 */
import { PageblockTypes } from './pageblocks';
import { Rng } from './rng';
import { type AllocatorKind, emitRun, MAX_ORDER, POW2, ZoneBuddy } from './zone-buddy';
import {
  GFP_HIGHUSER_MOVABLE,
  type Gfp,
  MAX_DMA_PFN,
  MAX_DMA32_PFN,
  MIGRATE_MOVABLE,
  type Migratetype,
  NR_ZONES,
  ZONE_DMA32,
  ZONE_NORMAL,
  type ZoneId,
  zoneOfPfn,
  zoneParams,
} from './zones';

export { type AllocatorKind, MAX_ORDER };
/** pcp->batch of a zone of 1 GiB or more (zone_batchsize). */
export const PCP_BATCH = 63;

/** A run of consecutive host frames [pfn, pfn + count). */
export interface PfnRun {
  pfn: number;
  count: number;
}

/** Pass of get_page_from_freelist: 0 low watermark + ALLOC_NOFRAGMENT, 1 low watermark, 2 none. */
const PASS_NOFRAG = 0;
const PASS_NO_WMARK = 2;

export class BuddyAllocator {
  zones: ZoneBuddy[] = [];
  pb = new PageblockTypes();
  /** Populated zones, highest first (the zonelist of every gfp the model uses). */
  zonelist: ZoneId[] = [];
  /** The first pass of get_page_from_freelist (PASS_NOFRAG when alloc_flags_nofragment applies). */
  private firstPass = 1;
  private readonly rng: Rng | null;

  constructor(
    readonly kind: AllocatorKind,
    seed = 1,
  ) {
    this.rng = kind === 'random' ? new Rng(seed) : null;
    for (let z = 0; z < NR_ZONES; z++)
      this.zones.push(new ZoneBuddy(kind, z as ZoneId, this.pb, this.rng));
  }

  /** Free pages: the zones' free lists and per-cpu lists. */
  get freePages(): number {
    let n = 0;
    for (const z of this.zones) n += z.free + z.pcpCount;
    return n;
  }

  private zoneOf(pfn: number): ZoneBuddy {
    return this.zones[this.kind === 'packed' ? 0 : zoneOfPfn(pfn)]!;
  }

  /** [buddy.boot] Hand free ranges to the allocator, ascending, lowest at the head of each list. */
  boot(ranges: readonly PfnRun[]): void {
    const sorted = [...ranges].sort((a, b) => a.pfn - b.pfn);
    // Cut at the zone boundaries (multiples of 2^MAX_ORDER pages, so no block crosses one).
    const perZone: PfnRun[][] = [[], [], []];
    for (const r of sorted) {
      let p = r.pfn;
      const end = r.pfn + r.count;
      while (p < end) {
        const z = this.kind === 'packed' ? 0 : zoneOfPfn(p);
        const zEnd =
          this.kind === 'packed' ? end : z === 0 ? MAX_DMA_PFN : z === 1 ? MAX_DMA32_PFN : end;
        const e = Math.min(end, zEnd);
        perZone[z]!.push({ pfn: p, count: e - p });
        p = e;
      }
    }
    perZone.forEach((runs, z) => {
      this.bootZone(this.zones[z]!, runs);
    });
    const managed = this.zones.map((z) => z.free);
    zoneParams(managed).forEach((p, z) => {
      this.zones[z]!.setParams(p);
    });
    this.zonelist = ([2, 1, 0] as const).filter((z) => managed[z]! > 0);
    this.firstPass = this.zonelist[0] === ZONE_NORMAL && managed[ZONE_DMA32]! > 0 ? PASS_NOFRAG : 1;
  }

  private bootZone(zone: ZoneBuddy, runs: PfnRun[]): void {
    // Two passes (count, then fill typed arrays): a 16 TiB host hands over 4 M blocks, and
    // growing plain arrays that far costs more than the allocator's own work.
    let blocks = 0;
    for (const r of runs) decompose(r.pfn, r.count, () => blocks++);
    const pfns = new Float64Array(blocks);
    const orders = new Uint8Array(blocks);
    let k = 0;
    for (const r of runs)
      decompose(r.pfn, r.count, (p, o) => {
        pfns[k] = p;
        orders[k++] = o;
      });
    zone.boot(pfns, orders);
  }

  private mt(gfp: Gfp): Migratetype {
    return this.kind === 'packed' ? MIGRATE_MOVABLE : gfp.migratetype;
  }

  /** [zone.zonelist] One block of 2^order pages (order <= MAX_ORDER); its first pfn, or -1. */
  alloc(order: number, gfp: Gfp = GFP_HIGHUSER_MOVABLE): number {
    if (this.kind === 'packed') return this.zones[0]!.rmqueue(order, MIGRATE_MOVABLE, false);
    const mt = this.mt(gfp);
    const zl = this.zonelist;
    for (let retry = 0; retry < 2; retry++) {
      // A failed attempt changes nothing, so which zones pass the watermark holds for all
      // passes: with none (a full host) go straight to the last.
      let ok = 0;
      for (let i = 0; i < zl.length; i++) if (this.zones[zl[i]!]!.watermarkOk(order)) ok |= 1 << i;
      for (let pass = ok === 0 ? PASS_NO_WMARK : this.firstPass; pass <= PASS_NO_WMARK; pass++) {
        for (let i = 0; i < zl.length; i++) {
          if (pass < PASS_NO_WMARK && (ok & (1 << i)) === 0) continue;
          const pfn = this.zones[zl[i]!]!.alloc(order, mt, pass === PASS_NOFRAG);
          if (pfn >= 0) return pfn;
        }
      }
      if (!this.drainWouldHelp(order) || !this.drainAllPages()) break;
    }
    return -1;
  }

  /**
   * The model drains only for a single page when the buddy lists of all zones are empty, so
   * that every free page stays allocatable. The kernel drains after every failed reclaim, and
   * compacts for higher orders (not modelled): a full host would otherwise drain on every THP
   * attempt.
   */
  private drainWouldHelp(order: number): boolean {
    if (order > 0) return false;
    for (const z of this.zones) if (z.free > 0) return false;
    return true;
  }

  /**
   * [zone.drain] drain_all_pages(): what the slow path does when an allocation fails after
   * reclaim ("pages are pinned on the per-cpu lists"): every zone's per-cpu pages to the buddy,
   * then one more try (only when the buddy lists alone cannot hold the request). Without it a page freed to another migratetype's list would stay out of
   * reach. Returns whether there was anything to drain.
   */
  private drainAllPages(): boolean {
    let any = false;
    for (const z of this.zones) any = z.drainPcp() || any;
    return any;
  }

  /** allocPages(1) without building runs (the churn's hot path): the pfn, or -1. */
  allocOne(gfp: Gfp = GFP_HIGHUSER_MOVABLE): number {
    if (this.kind !== 'packed') {
      // alloc(0) pops a pcp list without touching the buddy when the zone it reaches first has
      // pages there: the first zone above its watermark, or, with none above, the first zone.
      let z: ZoneBuddy | undefined;
      for (const zi of this.zonelist) {
        const c = this.zones[zi]!;
        if (c.free - 1 >= c.floor) {
          z = c;
          break;
        }
      }
      z ??= this.zones[this.zonelist[0] ?? 0]!;
      const list = z.pcpList(gfp.migratetype, 0);
      if (list.length > 0) {
        z.pcpCount--;
        return list.pop()!;
      }
    }
    return this.freePages < 1 ? -1 : this.alloc(0, gfp);
  }

  /**
   * n order-0 pages, exactly as n successive alloc(0, gfp) calls would return them, merged into
   * runs. Returns null, taking nothing, when fewer than n pages are free.
   */
  allocPages(n: number, gfp: Gfp = GFP_HIGHUSER_MOVABLE): PfnRun[] | null {
    if (n > this.freePages) return null;
    const runs: PfnRun[] = [];
    const out = (pfn: number, count: number) => emitRun(runs, pfn, count);
    if (this.kind === 'packed') {
      this.zones[0]!.bulk(n, MIGRATE_MOVABLE, false, out);
      return runs;
    }
    if (this.kind === 'random') {
      // Page by page as alloc(0): refills of the per-cpu list draw from the Rng as they go.
      for (let i = 0; i < n; i++) out(this.alloc(0, gfp), 1);
      return runs;
    }
    const mt = gfp.migratetype;
    let left = n;
    while (left > 0) {
      let got = this.allocRound(left, mt, out);
      if (got === 0 && this.drainWouldHelp(0) && this.drainAllPages())
        got = this.allocRound(left, mt, out);
      if (got === 0)
        throw new Error(`buddy: ${left} of ${n} pages not found with ${this.freePages} free`);
      left -= got;
    }
    return runs;
  }

  /**
   * Up to `left` of the next order-0 allocations, all served by the same zone and pass: pages
   * the pcp list already holds (taking them changes no watermark), or whole refills straight
   * from the buddy while the watermark would still hold before each (each refill is consumed
   * entirely), or one real refill whose rest stays on the list.
   */
  private allocRound(left: number, mt: Migratetype, out: (p: number, c: number) => void): number {
    for (let pass = this.firstPass; pass <= PASS_NO_WMARK; pass++) {
      for (const zi of this.zonelist) {
        const z = this.zones[zi]!;
        if (pass < PASS_NO_WMARK && !z.watermarkOk(0)) continue;
        const nofrag = pass === PASS_NOFRAG;
        const list = z.pcpList(mt, 0);
        if (list.length > 0) {
          const got = list.popRun(left, out);
          z.pcpCount -= got;
          return got;
        }
        const batch = z.params.batch;
        if (left >= batch) {
          // Later passes go one refill at a time: a refill there can change what the first
          // pass would find (a claimed pageblock), and the next allocation starts over.
          let m = pass === this.firstPass ? Math.floor(left / batch) : 1;
          if (pass < PASS_NO_WMARK) m = Math.min(m, Math.floor((z.free - 1 - z.floor) / batch) + 1);
          const got = z.bulk(m * batch, mt, nofrag, out);
          if (got > 0) return got;
          continue;
        }
        if (z.refillPcp(0, mt, nofrag) === 0) continue;
        const got = list.popRun(left, out);
        z.pcpCount -= got;
        return got;
      }
    }
    return 0;
  }

  /** [buddy.free] Free one block (pcp orders via the zone's per-cpu lists). */
  free(pfn: number, order: number): void {
    this.zoneOf(pfn).freeBlock(pfn, order);
  }

  /**
   * Free a run of pages as its maximal aligned blocks, ascending (one __free_pages() per block).
   * An approximation where the pages were order-0 allocations: the kernel would put_page() each
   * through the per-cpu list.
   */
  freeRun(run: PfnRun): void {
    this.freeRange(run.pfn, run.count);
  }

  /** freeRun without the run object: maximal aligned blocks, ascending (as decompose()). */
  freeRange(pfn: number, count: number): void {
    if (count === 1) return this.free(pfn, 0);
    let p = pfn;
    const end = pfn + count;
    while (p < end) {
      let o = MAX_ORDER;
      while (o > 0 && (p % POW2[o]! !== 0 || p + POW2[o]! > end)) o--;
      this.free(p, o);
      p += POW2[o]!;
    }
  }

  /**
   * A naturally aligned run of 2^order pages with order > MAX_ORDER (1 GiB hugetlb pages, as
   * alloc_contig_pages / the boot-time gigantic pool): only from wholly free max-order blocks,
   * the zones in zonelist order, the lowest such run of a zone first.
   */
  allocGigantic(order: number): number {
    const zones = this.kind === 'packed' ? [0] : this.zonelist;
    for (const zi of zones) {
      const pfn = this.zones[zi]!.allocGigantic(order);
      if (pfn >= 0) return pfn;
    }
    return -1;
  }

  estimateBytes(): number {
    let n = this.pb.bytes;
    for (const z of this.zones) n += z.estimateBytes();
    return n;
  }

  /** Become a copy of src (same kind), reusing this one's buffers where they fit. */
  copyFrom(src: BuddyAllocator): void {
    this.pb.copyFrom(src.pb);
    for (let z = 0; z < NR_ZONES; z++) this.zones[z]!.copyFrom(src.zones[z]!);
    this.zonelist = src.zonelist.slice();
    this.firstPass = src.firstPass;
    if (this.rng && src.rng) this.rng.state = src.rng.state;
  }

  clone(): BuddyAllocator {
    const c = new BuddyAllocator(this.kind, 1);
    c.pb = this.pb.clone();
    if (this.rng && c.rng) c.rng.state = this.rng.state;
    c.zones = this.zones.map((z) => z.clone(c.pb, c.rng));
    c.zonelist = this.zonelist.slice();
    c.firstPass = this.firstPass;
    return c;
  }

  /** Free blocks per order, all zones summed (per-cpu blocks counted at their order). */
  buddyinfo(): number[] {
    const counts = new Array<number>(MAX_ORDER + 1).fill(0);
    for (const z of this.zones) z.addBuddyinfo(counts);
    return counts;
  }

  /** /proc/buddyinfo: one row per populated zone (per-cpu blocks counted at their order). */
  buddyinfoByZone(): { zone: ZoneId; counts: number[] }[] {
    return this.zonelist
      .slice()
      .reverse()
      .map((zone) => {
        const counts = new Array<number>(MAX_ORDER + 1).fill(0);
        this.zones[zone]!.addBuddyinfo(counts);
        return { zone, counts };
      });
  }

  checkInvariants(): string | null {
    for (const z of this.zones) {
      const e = z.checkInvariants();
      if (e) return e;
    }
    return null;
  }
}

/** Split [pfn, pfn + count) into maximal naturally aligned blocks of order <= MAX_ORDER. */
export function decompose(
  pfn: number,
  count: number,
  out: (pfn: number, order: number) => void,
): void {
  let p = pfn;
  const end = pfn + count;
  while (p < end) {
    let o = MAX_ORDER;
    while (o > 0 && (p % POW2[o]! !== 0 || p + POW2[o]! > end)) o--;
    out(p, o);
    p += POW2[o]!;
  }
}
