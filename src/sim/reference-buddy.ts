/**
 * The reference model's own page allocator: the rules of the engine's buddy allocator (the header
 * of src/machine/buddy.ts, after mm/page_alloc.c) written again the slow, obvious way, so that the
 * property tests compare the engine's allocator too. One plain array per order as the free list,
 * a Map pfn → order of free block heads, a plain array as the per-cpu list. No lazy deletion, no
 * runs, no bulk paths, no counters: a merged buddy is found in its list and spliced out, n pages
 * are n single-page allocations, and the free page count is summed over the lists when asked.
 *
 * Every list's head is the END of its array (push / pop); its tail is index 0.
 *
 * - Boot (memblock_free_all → __free_pages_core, FPI_TO_TAIL): ranges ascending, each cut into
 *   maximal naturally aligned blocks of order <= MAX_PAGE_ORDER, each block added at the tail of
 *   its list, so every list starts lowest address at the head. No merging at boot.
 * - __rmqueue_smallest(): the head of the smallest non-empty list of order >= the request;
 *   expand() keeps the lower half and adds each upper half at the head of its list.
 * - __free_one_page(): while the buddy (pfn ± 2^order, the other half of the parent) heads a free
 *   block of the same order, take it out of its list and merge; the result goes to the head.
 * - Per-cpu list (one CPU, order 0 only): a free goes to its head without merging; past PCP_HIGH
 *   pages, free_pcppages_bulk() hands the PCP_BATCH oldest (the tail, oldest first) to the buddy.
 *   An allocation takes the head; an empty list is first refilled by rmqueue_bulk(): up to
 *   PCP_BATCH single-page __rmqueue_smallest() calls, each page added at the tail, so the first
 *   page taken is the first handed out.
 * - "packed": no per-cpu list; each list is kept sorted by address (lowest at the head) and an
 *   allocation takes the lowest block of all lists of order >= the request, keeping lower halves.
 * - "random": the per-cpu list as "buddy"; a list gives up the block at Rng.int(length), swapped
 *   with the head first, and expand() keeps the upper half when Rng.int(2) is 1 (the lower one
 *   then goes on its list). One Rng, seeded from the scenario, drawn in exactly that order.
 * - Gigantic orders (> MAX_PAGE_ORDER; 1 GiB hugetlb, alloc_contig_pages): the lowest naturally
 *   aligned range whose max-order blocks are all free, taken out of their list.
 * - A run of pages is freed as its maximal aligned blocks, ascending (a block of order 0 through
 *   the per-cpu list), which is how the engine's callers free a run of host frames.
 */
import { Rng } from '../machine/rng';

export const MAX_PAGE_ORDER = 10;
/** pcp->batch and pcp->high of a large zone (zone_batchsize(), zone_highsize(): 6 batches). */
export const PCP_BATCH = 63;
export const PCP_HIGH = 378;

export type PlacementKind = 'buddy' | 'packed' | 'random';

/** Host frames [pfn, pfn + count). */
export interface FrameRun {
  pfn: number;
  count: number;
}

export class ReferenceBuddy {
  /** free[order]: pfns of free blocks of that order; the end of the array is the list's head. */
  readonly free: number[][] = Array.from({ length: MAX_PAGE_ORDER + 1 }, () => []);
  /** pfn → order of every free block head (the buddy bookkeeping of struct page). */
  readonly heads = new Map<number, number>();
  /** The per-cpu list of free order-0 pages; its end is the head (most recently freed). */
  readonly pcp: number[] = [];
  private readonly rng: Rng | null;

  constructor(
    readonly kind: PlacementKind,
    seed = 1,
  ) {
    this.rng = kind === 'random' ? new Rng(seed) : null;
  }

  /** Free pages, counted: every free block's pages plus the per-cpu list. */
  get freePages(): number {
    let n = this.pcp.length;
    for (const order of this.heads.values()) n += 2 ** order;
    return n;
  }

  boot(ranges: readonly FrameRun[]): void {
    const sorted = [...ranges].sort((a, b) => a.pfn - b.pfn);
    for (const r of sorted)
      eachBlock(r.pfn, r.count, (pfn, order) => this.addFree(pfn, order, 'tail'));
  }

  // ---- the free lists -------------------------------------------------------------------

  private addFree(pfn: number, order: number, where: 'head' | 'tail'): void {
    this.heads.set(pfn, order);
    const list = this.free[order]!;
    if (this.kind === 'packed') {
      // Sorted, highest address at index 0: the lowest is the head.
      let i = 0;
      while (i < list.length && list[i]! > pfn) i++;
      list.splice(i, 0, pfn);
    } else if (where === 'head') list.push(pfn);
    else list.unshift(pfn);
  }

  /** Take a free block out of its list, wherever it is in it. */
  private removeFree(pfn: number, order: number): void {
    const list = this.free[order]!;
    const i = list.lastIndexOf(pfn);
    if (i < 0) throw new Error(`reference buddy: ${pfn} is not on the order-${order} list`);
    list.splice(i, 1);
    this.heads.delete(pfn);
  }

  /** The block a list gives up: its head, or for "random" a random entry swapped to the head. */
  private takeFrom(order: number): number {
    const list = this.free[order]!;
    if (this.rng) {
      const i = this.rng.int(list.length);
      const head = list.length - 1;
      [list[i], list[head]] = [list[head]!, list[i]!];
    }
    const pfn = list.pop()!;
    this.heads.delete(pfn);
    return pfn;
  }

  /** __rmqueue_smallest() (or first fit for "packed"): a block of 2^order pages, or -1. */
  private rmqueue(order: number): number {
    if (this.kind === 'packed') return this.rmqueueLowest(order);
    for (let o = order; o <= MAX_PAGE_ORDER; o++) {
      if (this.free[o]!.length === 0) continue;
      return this.expand(this.takeFrom(o), o, order);
    }
    return -1;
  }

  private rmqueueLowest(order: number): number {
    let best = -1;
    for (let o = order; o <= MAX_PAGE_ORDER; o++) {
      const list = this.free[o]!;
      const lowest = list[list.length - 1];
      if (lowest !== undefined && (best < 0 || lowest < this.free[best]!.at(-1)!)) best = o;
    }
    if (best < 0) return -1;
    return this.expand(this.takeFrom(best), best, order);
  }

  /** expand(): split a block of order `high` down to `order`, freeing the halves not kept. */
  private expand(pfn: number, high: number, order: number): number {
    let at = pfn;
    for (let o = high; o > order; o--) {
      const half = 2 ** (o - 1);
      if (this.rng && this.rng.int(2) === 1) {
        this.addFree(at, o - 1, 'head');
        at += half;
      } else this.addFree(at + half, o - 1, 'head');
    }
    return at;
  }

  /** __free_one_page(): merge with free buddies, then the head of the list. */
  private freeToBuddy(pfn: number, order: number): void {
    let p = pfn;
    let o = order;
    while (o < MAX_PAGE_ORDER) {
      const size = 2 ** o;
      const buddy = Math.floor(p / size) % 2 === 0 ? p + size : p - size;
      if (this.heads.get(buddy) !== o) break;
      this.removeFree(buddy, o);
      p = Math.min(p, buddy);
      o++;
    }
    this.addFree(p, o, 'head');
  }

  // ---- the allocator's interface --------------------------------------------------------

  /** One block of 2^order pages (order <= MAX_PAGE_ORDER); its first pfn, or -1. */
  alloc(order: number): number {
    if (order > 0 || this.kind === 'packed') return this.rmqueue(order);
    if (this.pcp.length === 0) {
      // rmqueue_bulk(): each page taken is added at the tail.
      for (let i = 0; i < PCP_BATCH; i++) {
        const pfn = this.rmqueue(0);
        if (pfn < 0) break;
        this.pcp.unshift(pfn);
      }
    }
    return this.pcp.pop() ?? -1;
  }

  /** n single pages, as n alloc(0) calls, as runs in the order given; null, taking nothing, if fewer are free. */
  allocPages(n: number): FrameRun[] | null {
    if (this.freePages < n) return null;
    const runs: FrameRun[] = [];
    for (let i = 0; i < n; i++) {
      const pfn = this.alloc(0);
      const last = runs[runs.length - 1];
      if (last && last.pfn + last.count === pfn) last.count++;
      else runs.push({ pfn, count: 1 });
    }
    return runs;
  }

  /** 2^order pages, order > MAX_PAGE_ORDER, from wholly free max-order blocks; or -1. */
  allocGigantic(order: number): number {
    const size = 2 ** order;
    const max = 2 ** MAX_PAGE_ORDER;
    let end = 0;
    for (const pfn of this.heads.keys()) end = Math.max(end, pfn + 1);
    for (let start = 0; start < end; start += size) {
      let whole = true;
      for (let p = start; p < start + size && whole; p += max)
        whole = this.heads.get(p) === MAX_PAGE_ORDER;
      if (!whole) continue;
      for (let p = start; p < start + size; p += max) this.removeFree(p, MAX_PAGE_ORDER);
      return start;
    }
    return -1;
  }

  /** Free one block of 2^order pages (order 0 through the per-cpu list, except "packed"). */
  freeBlock(pfn: number, order: number): void {
    if (order > 0 || this.kind === 'packed') return this.freeToBuddy(pfn, order);
    this.pcp.push(pfn);
    if (this.pcp.length <= PCP_HIGH) return;
    // free_pcppages_bulk(): the oldest batch, oldest first.
    for (const p of this.pcp.splice(0, PCP_BATCH)) this.freeToBuddy(p, 0);
  }

  /** Free [pfn, pfn + count) as its maximal aligned blocks, ascending. */
  freeRange(pfn: number, count: number): void {
    eachBlock(pfn, count, (p, order) => this.freeBlock(p, order));
  }

  /** Free blocks per order, the per-cpu pages counted at order 0 (as /proc/buddyinfo). */
  buddyinfo(): number[] {
    const counts = this.free.map((list) => list.length);
    counts[0]! += this.pcp.length;
    return counts;
  }

  /** Lists and heads agree, blocks are aligned, and no page is free twice. */
  checkInvariants(): string | null {
    const blocks: [number, number][] = this.pcp.map((pfn) => [pfn, 1]);
    let listed = 0;
    for (const [order, list] of this.free.entries()) {
      listed += list.length;
      for (const pfn of list) {
        if (this.heads.get(pfn) !== order)
          return `reference buddy: ${pfn} on the order-${order} list is not an order-${order} head`;
        if (pfn % 2 ** order !== 0) return `reference buddy: ${pfn} not aligned to order ${order}`;
        blocks.push([pfn, 2 ** order]);
      }
    }
    if (listed !== this.heads.size)
      return `reference buddy: ${this.heads.size} heads, ${listed} listed`;
    blocks.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < blocks.length; i++)
      if (blocks[i]![0] < blocks[i - 1]![0] + blocks[i - 1]![1])
        return `reference buddy: page ${blocks[i]![0]} is free twice`;
    return null;
  }
}

/** Maximal naturally aligned blocks of order <= MAX_PAGE_ORDER covering [pfn, pfn + count). */
export function eachBlock(
  pfn: number,
  count: number,
  out: (pfn: number, order: number) => void,
): void {
  const end = pfn + count;
  for (let p = pfn; p < end; ) {
    let o = MAX_PAGE_ORDER;
    while (o > 0 && (p % 2 ** o !== 0 || p + 2 ** o > end)) o--;
    out(p, o);
    p += 2 ** o;
  }
}
