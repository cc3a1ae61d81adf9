/**
 * The host's physical page allocator (mm/page_alloc.c), one zone, orders 0..MAX_PAGE_ORDER (10).
 *
 * Rules modelled (rule ids in brackets):
 * - [buddy.boot] memblock_free_all() hands every free range to the buddy in ascending address
 *   order as maximal aligned blocks; __free_pages_core() uses FPI_TO_TAIL, so the free lists start
 *   out lowest address first.
 * - [buddy.alloc] __rmqueue_smallest(): take the head of the smallest non-empty list of order >=
 *   the request; expand() keeps the lower half and puts each upper half on the head of its list.
 *   So successive order-0 allocations from a fresh block ascend.
 * - [buddy.free] __free_one_page(): merge with the buddy (pfn ^ (1 << order)) while it is free at
 *   the same order; the result goes to the head of its list.
 * - [buddy.pcp] Order-0 pages go through a per-cpu list (one CPU modelled): frees are pushed on
 *   it without merging; allocations pop the most recently freed page; an empty list is refilled
 *   with PCP_BATCH pages from the buddy (rmqueue_bulk), and past PCP_HIGH the oldest PCP_BATCH
 *   pages go back to the buddy (free_pcppages_bulk). Bulk allocations drain the list first.
 * Not modelled: migratetypes, zones and watermarks, page shuffling, several CPUs.
 *
 * Alternatives for comparison: "packed" (always the lowest free pages: first fit by address) and
 * "random" (a random free block, and a random half at every split: maximal scattering).
 *
 * Bulk allocation (allocPages) returns exactly what n successive order-0 allocations would, as
 * runs, in O(blocks) rather than O(pages): a 960 GiB guest is 251 M pages.
 */
import { FreeHeads } from './free-heads';
import { MinHeap } from './min-heap';
import { PerCpuPages } from './pcp';
import { PfnStack } from './pfn-stack';
import { Rng } from './rng';

export const MAX_ORDER = 10;
/** 2^order for every order the allocator handles (gigantic pages included). */
const POW2 = Array.from({ length: 40 }, (_, i) => 2 ** i);
/** pcp->batch and pcp->high for a large zone (mm/page_alloc.c zone_batchsize, zone_highsize). */
export const PCP_BATCH = 63;
export const PCP_HIGH = 6 * PCP_BATCH;

/** A run of consecutive host frames [pfn, pfn + count). */
export interface PfnRun {
  pfn: number;
  count: number;
}

export type AllocatorKind = 'buddy' | 'packed' | 'random';

export class BuddyAllocator {
  /**
   * Free block heads (pfn → order). A list entry is live iff its pfn still heads a free block of
   * that order: entries of blocks merged away stay behind and are skipped (lazy deletion); a
   * block freed again is pushed again, so the newest entry is always nearest the head.
   */
  private freeHeads = new FreeHeads(MAX_ORDER);
  private stacks: PfnStack[] = [];
  /** "packed" keeps each order's free blocks in a min-heap by address instead of a LIFO list. */
  private heaps: MinHeap[] = [];
  freePages = 0;
  /** The per-cpu list of free order-0 pages: the end of the array is its head. */
  private pcp = new PerCpuPages();
  private readonly rng: Rng | null;

  constructor(
    readonly kind: AllocatorKind,
    seed = 1,
  ) {
    for (let o = 0; o <= MAX_ORDER; o++) {
      this.stacks.push(new PfnStack(0));
      this.heaps.push(new MinHeap(o));
    }
    this.rng = kind === 'random' ? new Rng(seed) : null;
  }

  /** [buddy.boot] Hand free ranges to the allocator, ascending, lowest at the head of each list. */
  boot(ranges: readonly PfnRun[]): void {
    const sorted = [...ranges].sort((a, b) => a.pfn - b.pfn);
    // Two passes (count, then fill typed arrays): a 16 TiB host hands over 4 M blocks, and
    // growing plain arrays that far costs more than the allocator's own work.
    let blocks = 0;
    const each = (out: (pfn: number, order: number) => void) => {
      for (const r of sorted) {
        let p = r.pfn;
        const end = r.pfn + r.count;
        while (p < end) {
          let o = MAX_ORDER;
          while (o > 0 && (p % POW2[o]! !== 0 || p + POW2[o]! > end)) o--;
          out(p, o);
          p += POW2[o]!;
        }
      }
    };
    each(() => blocks++);
    const pfns = new Float64Array(blocks);
    const orders = new Uint8Array(blocks);
    let k = 0;
    each((p, o) => {
      pfns[k] = p;
      orders[k++] = o;
    });
    if (this.kind !== 'packed') {
      // Each list pops from its end, so it holds its blocks highest first: the lowest is the head.
      const perOrder = new Int32Array(MAX_ORDER + 1);
      for (let i = 0; i < blocks; i++) perOrder[orders[i]!]!++;
      for (let o = 0; o <= MAX_ORDER; o++) {
        const st = this.stacks[o]!;
        st.reserve(st.length + perOrder[o]!);
        for (let i = blocks - 1; i >= 0; i--) if (orders[i] === o) st.push(pfns[i]!);
      }
      for (let i = 0; i < blocks; i++) {
        this.freeHeads.set(pfns[i]!, orders[i]!);
        this.liveCount[orders[i]!]!++;
        this.freePages += POW2[orders[i]!]!;
      }
      return;
    }
    for (let i = blocks - 1; i >= 0; i--) {
      this.pushLive(pfns[i]!, orders[i]!);
      this.freePages += POW2[orders[i]!]!;
    }
  }

  private push(pfn: number, order: number): void {
    this.freeHeads.set(pfn, order);
    if (this.kind === 'packed') {
      this.heaps[order]!.push(pfn);
      return;
    }
    const s = this.stacks[order]!;
    s.push(pfn);
    if (s.length > 64 && s.length > 4 * this.liveCount[order]!) this.compact(order);
  }

  /** Live entries per list (entries of merged blocks stay behind until popped or compacted). */
  private liveCount = new Int32Array(MAX_ORDER + 1);

  private live(pfn: number, order: number): boolean {
    return this.freeHeads.get(pfn) === order;
  }

  /** Drops dead entries of one stack (blocks merged or taken out of order). */
  private compact(order: number): void {
    const st = this.stacks[order]!;
    st.keep((pfn) => this.live(pfn, order));
    this.liveCount[order] = st.length;
  }

  /** compact(), also dropping all but the newest entry of a block pushed more than once. */
  private compactExact(order: number): void {
    const st = this.stacks[order]!;
    const newer = new Set<number>();
    const keep = new Uint8Array(st.length);
    for (let i = st.length - 1; i >= 0; i--) {
      const pfn = st.at(i);
      if (!newer.has(pfn) && this.live(pfn, order)) keep[i] = 1;
      newer.add(pfn);
    }
    let i = 0;
    st.keep(() => keep[i++] === 1);
    this.liveCount[order] = st.length;
  }

  /** The head (or a random live block) of a list, removed; -1 when the list is empty. */
  private take(order: number): number {
    const s = this.stacks[order]!;
    if (this.rng && s.length > 0) {
      // Random placement: "a random free block", so draw among the live blocks only. Entries of
      // merged-away blocks, and the older entry of a block freed twice, would weigh the draw:
      // drop them first (one pass, only when the list has any).
      if (s.length !== this.liveCount[order]) this.compactExact(order);
      if (s.length > 0) s.swapToTop(this.rng.int(s.length));
    }
    while (s.length > 0) {
      const pfn = s.pop();
      if (this.live(pfn, order)) {
        this.freeHeads.delete(pfn);
        this.liveCount[order]!--;
        return pfn;
      }
    }
    return -1;
  }

  private smallestNonEmpty(order: number): number {
    for (let o = order; o <= MAX_ORDER; o++) {
      // A list with no live entry is empty whatever dead entries it still holds.
      if (this.liveCount[o] === 0) continue;
      const s = this.stacks[o]!;
      while (s.length > 0) {
        if (this.live(s.top(), o)) return o;
        s.pop();
      }
    }
    return -1;
  }

  /** [buddy.alloc] One block of 2^order pages; its first pfn, or -1 when nothing fits. */
  alloc(order: number): number {
    if (order === 0 && this.kind !== 'packed') {
      if (this.pcp.length === 0) this.refillPcp();
      const pfn = this.pcp.pop();
      if (pfn === undefined) return -1;
      this.freePages--;
      return pfn;
    }
    return this.allocBuddy(order);
  }

  /** rmqueue_bulk(): PCP_BATCH order-0 pages from the buddy, lowest popped first. */
  private refillPcp(): void {
    if (this.kind === 'buddy') {
      const runs = this.bulkFromBuddy(Math.min(PCP_BATCH, this.freePages));
      // The first page taken must pop first: push runs in reverse.
      for (let i = runs.length - 1; i >= 0; i--) this.pcp.pushRun(runs[i]!.pfn, runs[i]!.count);
      this.freePages += runs.reduce((s, r) => s + r.count, 0);
      return;
    }
    const got: number[] = [];
    for (let i = 0; i < PCP_BATCH; i++) {
      const pfn = this.allocBuddy(0);
      if (pfn < 0) break;
      got.push(pfn);
    }
    this.freePages += got.length;
    for (let i = got.length - 1; i >= 0; i--) this.pcp.push(got[i]!);
  }

  private allocBuddy(order: number): number {
    if (this.kind === 'packed') return this.allocPacked(order);
    const o = this.smallestNonEmpty(order);
    if (o < 0) return -1;
    let pfn = this.take(o);
    for (let high = o; high > order; high--) {
      const half = POW2[high - 1]!;
      // expand(): keep the lower half, free the upper; "random" picks a random half to keep.
      if (this.rng && this.rng.int(2) === 1) {
        this.pushLive(pfn, high - 1);
        pfn += half;
      } else this.pushLive(pfn + half, high - 1);
    }
    this.freePages -= POW2[order]!;
    return pfn;
  }

  private pushLive(pfn: number, order: number): void {
    this.liveCount[order]!++;
    this.push(pfn, order);
  }

  /** First fit by address: the lowest free block that can hold the order. */
  private allocPacked(order: number): number {
    const o = this.lowestBlockOrder(order);
    if (o < 0) return -1;
    const pfn = this.heaps[o]!.pop(this.freeHeads);
    this.freeHeads.delete(pfn);
    this.liveCount[o]!--;
    for (let high = o; high > order; high--) this.pushLive(pfn + POW2[high - 1]!, high - 1);
    this.freePages -= POW2[order]!;
    return pfn;
  }

  /** The order whose lowest live block has the lowest address, among orders >= min. */
  private lowestBlockOrder(min: number): number {
    let best = -1;
    let bestPfn = Number.POSITIVE_INFINITY;
    for (let o = min; o <= MAX_ORDER; o++) {
      const pfn = this.heaps[o]!.peek(this.freeHeads);
      if (pfn >= 0 && pfn < bestPfn) {
        bestPfn = pfn;
        best = o;
      }
    }
    return best;
  }

  /**
   * n order-0 pages, exactly as n successive alloc(0) calls would return them (buddy and random
   * per block), merged into runs. Returns null, taking nothing, when fewer than n pages are free.
   */
  allocPages(n: number): PfnRun[] | null {
    if (n > this.freePages) return null;
    const runs: PfnRun[] = [];
    let left = n;
    if (this.kind === 'packed') {
      // First fit by address, page by page: no per-cpu list (alloc(0) and free(0) skip it too).
      for (const r of this.bulkFromBuddy(n)) emitRun(runs, r.pfn, r.count);
      return runs;
    }
    if (this.pcp.length > 0) {
      const got = this.pcp.popRun(left, (pfn, count) => emitRun(runs, pfn, count));
      this.freePages -= got;
      left -= got;
    }
    if (this.kind === 'random') {
      // Page by page as alloc(0): refills of the per-cpu list draw from the Rng as they go.
      for (; left > 0; left--) emitRun(runs, this.alloc(0), 1);
      return runs;
    }
    // As n successive alloc(0): whole refills of PCP_BATCH are consumed entirely (successive
    // __rmqueue_smallest calls, however grouped); the last refill leaves its rest on the list.
    const whole = Math.floor(left / PCP_BATCH) * PCP_BATCH;
    if (whole > 0) {
      for (const r of this.bulkFromBuddy(whole)) emitRun(runs, r.pfn, r.count);
      left -= whole;
    }
    if (left > 0) {
      this.refillPcp();
      const got = this.pcp.popRun(left, (pfn, count) => emitRun(runs, pfn, count));
      this.freePages -= got;
    }
    return runs;
  }

  /** allocPages(1) without building runs (the churn's hot path): the pfn, or -1. */
  allocOne(): number {
    if (this.freePages < 1) return -1;
    if (this.kind === 'packed') return this.allocBuddy(0);
    if (this.pcp.length === 0) this.refillPcp();
    this.freePages--;
    return this.pcp.pop()!;
  }

  /** n order-0 pages straight from the buddy lists, as n successive __rmqueue_smallest(0). */
  private bulkFromBuddy(n: number): PfnRun[] {
    const runs: PfnRun[] = [];
    let left = n;
    while (left > 0) {
      const o = this.kind === 'packed' ? this.lowestBlockOrder(0) : this.smallestNonEmpty(0);
      if (o < 0) break;
      const pfn = this.kind === 'packed' ? this.takeHeap(o) : this.take(o);
      const size = POW2[o]!;
      if (size <= left) {
        emitRun(runs, pfn, size);
        left -= size;
        this.freePages -= size;
      } else {
        emitRun(runs, pfn, left);
        this.freePages -= left;
        // What expand() leaves after `left` ascending allocations: the aligned pieces above.
        // The block is aligned to its size, so a piece's order is the lowest set bit of its
        // offset in the block (offsets are below 2^10: bit operations are safe on them).
        let at = left;
        while (at < size) {
          const k = 31 - Math.clz32(at & -at);
          this.pushLive(pfn + at, k);
          at += POW2[k]!;
        }
        left = 0;
      }
    }
    return runs;
  }

  private takeHeap(order: number): number {
    const pfn = this.heaps[order]!.pop(this.freeHeads);
    this.freeHeads.delete(pfn);
    this.liveCount[order]!--;
    return pfn;
  }

  /** [buddy.free] Free one block, merging with free buddies (order 0 via the per-cpu list). */
  free(pfn: number, order: number): void {
    if (order === 0 && this.kind !== 'packed') {
      this.pcp.push(pfn);
      this.freePages++;
      if (this.pcp.length > PCP_HIGH) {
        // free_pcppages_bulk(): the oldest batch goes back to the buddy.
        this.freePages -= PCP_BATCH;
        this.pcp.drainOldest(PCP_BATCH, (p) => this.freeBuddy(p, 0));
      }
      return;
    }
    this.freeBuddy(pfn, order);
  }

  private freeBuddy(pfn: number, order: number): void {
    this.freePages += POW2[order]!;
    let p = pfn;
    let o = order;
    while (o < MAX_ORDER) {
      const size = POW2[o]!;
      const buddy = Math.floor(p / size) % 2 === 0 ? p + size : p - size;
      if (this.freeHeads.get(buddy) !== o) break;
      this.freeHeads.delete(buddy);
      this.liveCount[o]!--;
      p = Math.min(p, buddy);
      o++;
    }
    this.pushLive(p, o);
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
   * alloc_contig_pages / the boot-time gigantic pool): only from wholly free max-order blocks.
   */
  allocGigantic(order: number): number {
    const blocks = POW2[order - MAX_ORDER]!;
    const size = POW2[order]!;
    const step = 2 ** MAX_ORDER;
    // The lowest aligned run of wholly free max-order blocks (FreeHeads keeps counts per 1 GiB).
    const first = this.freeHeads.firstWholeRun(blocks);
    if (first < 0) return -1;
    const start = first * step;
    for (let i = 0; i < blocks; i++) {
      this.freeHeads.delete(start + i * step);
      this.liveCount[MAX_ORDER]!--;
    }
    this.freePages -= size;
    return start;
  }

  estimateBytes(): number {
    let n = this.freeHeads.bytes;
    for (const st of this.stacks) n += st.bytes;
    for (const h of this.heaps) n += h.pfn.length * 8;
    return n;
  }

  /** Become a copy of src (same kind), reusing this one's buffers where they fit. */
  copyFrom(src: BuddyAllocator): void {
    this.freeHeads.copyFrom(src.freeHeads);
    for (let o = 0; o <= MAX_ORDER; o++) this.stacks[o]!.copyFrom(src.stacks[o]!);
    this.heaps = src.heaps.map((h) => h.clone());
    this.freePages = src.freePages;
    this.liveCount.set(src.liveCount);
    this.pcp.copyFrom(src.pcp);
    if (this.rng && src.rng) this.rng.state = src.rng.state;
  }

  clone(): BuddyAllocator {
    const c = new BuddyAllocator(this.kind, 1);
    c.freeHeads = this.freeHeads.clone();
    c.stacks = this.stacks.map((s) => s.clone());
    c.heaps = this.heaps.map((h) => h.clone());
    c.freePages = this.freePages;
    c.liveCount = this.liveCount.slice();
    c.pcp = this.pcp.clone();
    if (this.rng && c.rng) c.rng.state = this.rng.state;
    return c;
  }

  /** Free blocks per order, as /proc/buddyinfo prints them (one zone). */
  buddyinfo(): number[] {
    const counts = new Array<number>(MAX_ORDER + 1).fill(0);
    for (const [, order] of this.freeHeads.entries()) counts[order]!++;
    counts[0]! += this.pcp.length;
    return counts;
  }

  checkInvariants(): string | null {
    let pages = 0;
    for (const [pfn, o] of this.freeHeads.entries()) {
      if (pfn % POW2[o]! !== 0) return `free block ${pfn} not aligned to order ${o}`;
      pages += POW2[o]!;
    }
    pages += this.pcp.length;
    if (pages !== this.freePages) return `freePages ${this.freePages} but lists hold ${pages}`;
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

function emitRun(runs: PfnRun[], pfn: number, count: number): void {
  const last = runs[runs.length - 1];
  if (last && last.pfn + last.count === pfn) last.count += count;
  else runs.push({ pfn, count });
}
