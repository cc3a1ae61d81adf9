/**
 * One zone's free area (struct zone: free_area[order].free_list[migratetype] and the per-cpu
 * lists of one CPU), mm/page_alloc.c. BuddyAllocator (buddy.ts) walks the zonelist over these.
 *
 * Rules (ids in brackets; buddy.ts lists the zone-level ones):
 * - [buddy.boot] memblock_free_all(): maximal aligned blocks, ascending, added at the tail
 *   (FPI_TO_TAIL), all in MIGRATE_MOVABLE pageblocks (memmap_init_range).
 * - [buddy.alloc] __rmqueue_smallest(): the head of the smallest non-empty list of the
 *   migratetype; expand() keeps the lower half and puts each upper half at the head of its list.
 * - [buddy.fallback] __rmqueue_fallback() (find_suitable_fallback, steal_suitable_fallback; 6.10
 *   freelist hygiene): when the migratetype's lists are empty, the largest block of the other
 *   type (only blocks ≥ pageblock_order with ALLOC_NOFRAGMENT). A block ≥ pageblock_order is
 *   claimed whole (change_pageblock_range). A smaller one claims its pageblock when the request
 *   may steal (unmovable, or the block is ≥ order 4) and at least half the pageblock is free
 *   (move_freepages_block moves its free blocks to the tail of the new lists); otherwise the
 *   block alone is taken and the rest stays on the old type's lists. A movable request that may
 *   not steal takes the smallest such block instead of the largest. Simplified: pages in use are
 *   never counted as "alike" (the model does not know which are movable).
 * - [buddy.free] __free_one_page(): merge while the buddy is free at the same order; merging
 *   past pageblock_order retypes the buddy's pageblock to the freed block's type.
 * - [buddy.pcp] rmqueue_pcplist() / free_unref_page_commit(): orders ≤ 3 and 9 go through one
 *   list per migratetype and order; an empty list is refilled by rmqueue_bulk() with
 *   nr_pcp_alloc() blocks (first taken pops first); a free goes to the list of its pageblock's
 *   type, and once the zone's pcp pages reach pcp->high, free_pcppages_bulk() frees `batch`
 *   pages round-robin over the lists, starting with the one just freed to, oldest first.
 *
 * Free-list entries are deleted lazily: an entry is live iff its pfn heads a free block of that
 * order (FreeHeads) in a pageblock of that list's type.
 */
import { FreeHeads } from './free-heads';
import { MinHeap } from './min-heap';
import type { PageblockTypes } from './pageblocks';
import { PerCpuPages } from './pcp';
import { PfnStack } from './pfn-stack';
import type { Rng } from './rng';
import {
  MIGRATE_MOVABLE,
  MIGRATE_UNMOVABLE,
  type Migratetype,
  NR_PCP_LISTS,
  nrPcpAlloc,
  orderToPindex,
  PAGEBLOCK_ORDER,
  PAGEBLOCK_PAGES,
  pcpAllowedOrder,
  pindexToOrder,
  type ZoneId,
  type ZoneParams,
} from './zones';

export const MAX_ORDER = 10;
export type AllocatorKind = 'buddy' | 'packed' | 'random';
/** 2^order for every order the allocator handles (gigantic pages included). */
export const POW2 = Array.from({ length: 40 }, (_, i) => 2 ** i);
/** Lists per migratetype. */
const NO = MAX_ORDER + 1;

export function emitRun(runs: { pfn: number; count: number }[], pfn: number, count: number): void {
  const last = runs[runs.length - 1];
  if (last && last.pfn + last.count === pfn) last.count += count;
  else runs.push({ pfn, count });
}

export class ZoneBuddy {
  freeHeads = new FreeHeads(MAX_ORDER);
  /** stacks[mt × 11 + order]: the end of each is its list's head. */
  private stacks: PfnStack[] = [];
  /** "packed": one min-heap by address per order (one migratetype). */
  private heaps: MinHeap[] = [];
  /** Live entries per list (entries of merged blocks stay behind until popped or compacted). */
  private liveCount = new Int32Array(2 * NO);
  /** NR_FREE_PAGES: pages on the buddy lists (per-cpu pages are not free pages of the zone). */
  free = 0;
  pcp: PerCpuPages[] = [];
  /** pcp->count: pages on this zone's per-cpu lists. */
  pcpCount = 0;
  params: ZoneParams = {
    managed: 0,
    wmarkMin: 0,
    wmarkLow: 0,
    lowmemReserve: 0,
    batch: 1,
    pcpHigh: 4,
  };
  /** low watermark + lowmem_reserve: the fast path's floor for this zone. */
  floor = 0;

  constructor(
    readonly kind: AllocatorKind,
    readonly id: ZoneId,
    public pb: PageblockTypes,
    public rng: Rng | null,
  ) {
    for (let i = 0; i < 2 * NO; i++) this.stacks.push(new PfnStack(0));
    for (let o = 0; o <= MAX_ORDER; o++) this.heaps.push(new MinHeap(o));
    for (let i = 0; i < NR_PCP_LISTS; i++) this.pcp.push(new PerCpuPages(POW2[pindexToOrder(i)]!));
  }

  setParams(p: ZoneParams): void {
    this.params = p;
    this.floor = p.wmarkLow + p.lowmemReserve;
  }

  /** zone_watermark_fast() at the low watermark with this zone's lowmem_reserve. */
  watermarkOk(order: number): boolean {
    return this.free - POW2[order]! >= this.floor;
  }

  /** [buddy.boot] Blocks ascending; each list ends up lowest address at its head. */
  boot(pfns: Float64Array, orders: Uint8Array): void {
    const blocks = pfns.length;
    if (this.kind !== 'packed') {
      const perOrder = new Int32Array(NO);
      for (let i = 0; i < blocks; i++) perOrder[orders[i]!]!++;
      for (let o = 0; o <= MAX_ORDER; o++) {
        const st = this.stacks[NO + o]!;
        st.reserve(st.length + perOrder[o]!);
        for (let i = blocks - 1; i >= 0; i--) if (orders[i] === o) st.push(pfns[i]!);
      }
      for (let i = 0; i < blocks; i++) {
        this.freeHeads.set(pfns[i]!, orders[i]!);
        this.liveCount[NO + orders[i]!]!++;
        this.free += POW2[orders[i]!]!;
      }
      return;
    }
    for (let i = blocks - 1; i >= 0; i--) {
      this.pushLive(pfns[i]!, orders[i]!, MIGRATE_MOVABLE);
      this.free += POW2[orders[i]!]!;
    }
  }

  private live(pfn: number, order: number, mt: number): boolean {
    return this.freeHeads.get(pfn) === order && this.pb.get(pfn) === mt;
  }

  private push(pfn: number, order: number, mt: Migratetype): void {
    this.freeHeads.set(pfn, order);
    if (this.kind === 'packed') {
      this.heaps[order]!.push(pfn);
      return;
    }
    const li = mt * NO + order;
    const s = this.stacks[li]!;
    s.push(pfn);
    if (s.length > 64 && s.length > 4 * this.liveCount[li]!) {
      // "random" draws over the live count: a kept duplicate would weigh its draws.
      if (this.rng) this.compactExact(li);
      else this.compact(li);
    }
  }

  private pushLive(pfn: number, order: number, mt: Migratetype): void {
    this.liveCount[mt * NO + order]!++;
    this.push(pfn, order, mt);
  }

  /** Drops dead entries of one list. */
  private compact(li: number): void {
    const st = this.stacks[li]!;
    const order = li % NO;
    const mt = (li - order) / NO;
    st.keep((pfn) => this.live(pfn, order, mt));
    this.liveCount[li] = st.length;
  }

  /** compact(), also dropping all but the newest entry of a block pushed more than once. */
  private compactExact(li: number): void {
    const st = this.stacks[li]!;
    const order = li % NO;
    const mt = (li - order) / NO;
    const newer = new Set<number>();
    const keep = new Uint8Array(st.length);
    for (let i = st.length - 1; i >= 0; i--) {
      const pfn = st.at(i);
      if (!newer.has(pfn) && this.live(pfn, order, mt)) keep[i] = 1;
      newer.add(pfn);
    }
    let i = 0;
    st.keep(() => keep[i++] === 1);
    this.liveCount[li] = st.length;
  }

  /** The live block at the head of a list ("random": a random live block moved there), or -1. */
  private pick(li: number): number {
    const s = this.stacks[li]!;
    const order = li % NO;
    const mt = (li - order) / NO;
    if (this.rng && s.length > 0) {
      // "A random free block": draw among the live blocks only (dead entries would weigh it).
      if (s.length !== this.liveCount[li]) this.compactExact(li);
      if (s.length > 0) s.swapToTop(this.rng.int(s.length));
    }
    while (s.length > 0) {
      if (this.live(s.top(), order, mt)) return s.top();
      s.pop();
    }
    this.liveCount[li] = 0;
    return -1;
  }

  /** Remove the (live) head that pick() returned. */
  private removeTop(li: number): number {
    const pfn = this.stacks[li]!.pop();
    this.freeHeads.delete(pfn);
    this.liveCount[li]!--;
    return pfn;
  }

  private take(li: number): number {
    return this.pick(li) < 0 ? -1 : this.removeTop(li);
  }

  /** Does list li hold a live block? Drops dead entries from its head. */
  private nonEmpty(li: number): boolean {
    if (this.liveCount[li] === 0) return false;
    const s = this.stacks[li]!;
    const order = li % NO;
    const mt = (li - order) / NO;
    while (s.length > 0) {
      if (this.live(s.top(), order, mt)) return true;
      s.pop();
    }
    this.liveCount[li] = 0;
    return false;
  }

  private smallestNonEmpty(mt: Migratetype, order: number): number {
    for (let o = order; o <= MAX_ORDER; o++) if (this.nonEmpty(mt * NO + o)) return o;
    return -1;
  }

  /** expand(): split a block of order `high` down to `order`, freeing the halves not kept. */
  private expand(pfn: number, high: number, order: number, mt: Migratetype): number {
    let at = pfn;
    for (let o = high; o > order; o--) {
      const half = POW2[o - 1]!;
      if (this.rng && this.rng.int(2) === 1) {
        this.pushLive(at, o - 1, mt);
        at += half;
      } else this.pushLive(at + half, o - 1, mt);
    }
    return at;
  }

  /** [buddy.alloc] __rmqueue_smallest(). */
  private rmqueueSmallest(order: number, mt: Migratetype): number {
    const o = this.smallestNonEmpty(mt, order);
    if (o < 0) return -1;
    const pfn = this.expand(this.take(mt * NO + o), o, order, mt);
    this.free -= POW2[order]!;
    return pfn;
  }

  /** __rmqueue(): the migratetype's own lists, then a fallback. */
  rmqueue(order: number, mt: Migratetype, nofrag: boolean): number {
    if (this.kind === 'packed') return this.allocPacked(order);
    const pfn = this.rmqueueSmallest(order, mt);
    return pfn >= 0 ? pfn : this.rmqueueFallback(order, mt, nofrag);
  }

  /** [buddy.fallback] __rmqueue_fallback(). */
  private rmqueueFallback(order: number, mt: Migratetype, nofrag: boolean): number {
    const fb: Migratetype = mt === MIGRATE_MOVABLE ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE;
    let o = -1;
    // ALLOC_NOFRAGMENT: "do not steal pages from freelists belonging to other pageblocks".
    const minOrder = nofrag && order < PAGEBLOCK_ORDER ? PAGEBLOCK_ORDER : order;
    for (let c = MAX_ORDER; c >= minOrder; c--) {
      if (this.nonEmpty(fb * NO + c)) {
        o = c;
        break;
      }
    }
    if (o < 0) return -1;
    // can_steal_fallback(): order >= pageblock_order / 2, or an unmovable request.
    const canSteal = o >= PAGEBLOCK_ORDER >> 1 || mt === MIGRATE_UNMOVABLE;
    if (!canSteal && o > order) {
      // "steal and split the smallest available page instead of the largest"
      for (let c = order; c <= o; c++)
        if (this.nonEmpty(fb * NO + c)) {
          o = c;
          break;
        }
    }
    const li = fb * NO + o;
    const head = this.pick(li);
    if (o >= PAGEBLOCK_ORDER) {
      this.removeTop(li);
      this.pb.set(head, POW2[o]!, mt);
      const pfn = this.expand(head, o, order, mt);
      this.free -= POW2[order]!;
      return pfn;
    }
    if (canSteal && this.claimPageblock(head, fb, mt)) return this.rmqueueSmallest(order, mt);
    this.removeTop(li);
    const pfn = this.expand(head, o, order, fb);
    this.free -= POW2[order]!;
    return pfn;
  }

  /**
   * rmqueueFallback()'s first step for an order-0 request when the other type's largest block
   * is of pageblock order or more: retype it and put it, whole, at the head of this type's list.
   */
  private claimWhole(mt: Migratetype): boolean {
    const fb: Migratetype = mt === MIGRATE_MOVABLE ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE;
    for (let c = MAX_ORDER; c >= PAGEBLOCK_ORDER; c--) {
      const li = fb * NO + c;
      if (!this.nonEmpty(li)) continue;
      const head = this.pick(li);
      this.removeTop(li);
      this.pb.set(head, POW2[c]!, mt);
      this.pushLive(head, c, mt);
      return true;
    }
    return false;
  }

  /**
   * The whole-block path of steal_suitable_fallback(): with at least half of pfn's pageblock
   * free, retype it and move its free blocks (ascending) to the tail of the new type's lists.
   */
  private claimPageblock(pfn: number, from: Migratetype, to: Migratetype): boolean {
    const start = Math.floor(pfn / PAGEBLOCK_PAGES) * PAGEBLOCK_PAGES;
    const end = start + PAGEBLOCK_PAGES;
    const found: number[] = [];
    let freePages = 0;
    for (let p = start; p < end; ) {
      const o = this.freeHeads.get(p);
      if (o < 0) {
        p++;
        continue;
      }
      found.push(p, o);
      freePages += POW2[o]!;
      p += POW2[o]!;
    }
    if (freePages < PAGEBLOCK_PAGES / 2) return false;
    this.pb.set(start, PAGEBLOCK_PAGES, to);
    for (let order = 0; order < PAGEBLOCK_ORDER; order++) {
      const moved: number[] = [];
      for (let i = 0; i < found.length; i += 2) if (found[i + 1] === order) moved.push(found[i]!);
      if (moved.length === 0) continue;
      this.liveCount[from * NO + order]! -= moved.length;
      this.liveCount[to * NO + order]! += moved.length;
      const st = this.stacks[to * NO + order]!;
      // Stale entries of these blocks from an earlier time in this list would jump the queue.
      st.keep((q) => q < start || q >= end);
      moved.reverse();
      st.unshiftMany(moved);
    }
    return true;
  }

  /** n order-0 pages, as n successive __rmqueue(0) calls; returns how many it got. */
  bulk(
    n: number,
    mt: Migratetype,
    nofrag: boolean,
    out: (pfn: number, count: number) => void,
  ): number {
    let left = n;
    while (left > 0) {
      const o = this.kind === 'packed' ? this.lowestBlockOrder(0) : this.smallestNonEmpty(mt, 0);
      if (o < 0) {
        // The usual fallback claims a whole max-order block: put it on this type's list whole
        // and take it below in one piece, which leaves what expand() and successive order-0
        // allocations would (the type's lists were empty, so only its pieces are taken).
        if (this.kind === 'buddy' && this.claimWhole(mt)) continue;
        const p = this.kind === 'packed' ? -1 : this.rmqueueFallback(0, mt, nofrag);
        if (p < 0) break;
        out(p, 1);
        left--;
        continue;
      }
      const pfn = this.kind === 'packed' ? this.takeHeap(o) : this.take(mt * NO + o);
      const size = POW2[o]!;
      const got = Math.min(size, left);
      out(pfn, got);
      left -= got;
      this.free -= got;
      // What expand() leaves after `got` ascending allocations: the aligned pieces above. The
      // block is aligned to its size, so a piece's order is the lowest set bit of its offset
      // in the block (offsets are below 2^10: bit operations are safe on them).
      for (let at = got; at < size; ) {
        const k = 31 - Math.clz32(at & -at);
        this.pushLive(pfn + at, k, mt);
        at += POW2[k]!;
      }
    }
    return n - left;
  }

  /**
   * refillPcp's blocks or runs (no closure or array per refill: this is the churn's hot path).
   * A refill takes at most batch (≤ 63) blocks, and runs only merge, so 64 slots hold it.
   */
  private readonly scratchPfn = new Float64Array(64);
  private readonly scratchCnt = new Float64Array(64);
  private scratchN = 0;
  private readonly toScratch = (pfn: number, count: number): void => {
    const last = this.scratchN - 1;
    if (last >= 0 && this.scratchPfn[last]! + this.scratchCnt[last]! === pfn)
      this.scratchCnt[last]! += count;
    else {
      this.scratchPfn[this.scratchN] = pfn;
      this.scratchCnt[this.scratchN++] = count;
    }
  };

  pcpList(mt: Migratetype, order: number): PerCpuPages {
    return this.pcp[orderToPindex(mt, order)]!;
  }

  /** rmqueue_bulk() into an empty pcp list: nr_pcp_alloc() blocks, first taken on top. */
  refillPcp(order: number, mt: Migratetype, nofrag: boolean): number {
    const list = this.pcpList(mt, order);
    const count = nrPcpAlloc(this.params.batch, order);
    if (order === 0 && this.kind === 'buddy') {
      this.scratchN = 0;
      const got = this.bulk(count, mt, nofrag, this.toScratch);
      // The first page taken must pop first: push the runs in reverse.
      for (let i = this.scratchN - 1; i >= 0; i--)
        list.pushRun(this.scratchPfn[i]!, this.scratchCnt[i]!);
      this.pcpCount += got;
      return got;
    }
    let got = 0;
    for (; got < count; got++) {
      const pfn = this.rmqueue(order, mt, nofrag);
      if (pfn < 0) break;
      this.scratchPfn[got] = pfn;
    }
    for (let i = got - 1; i >= 0; i--) list.push(this.scratchPfn[i]!);
    this.pcpCount += got * POW2[order]!;
    return got;
  }

  /** [buddy.pcp] rmqueue_pcplist(): the head of the list, refilled first when empty; or -1. */
  pcpAlloc(order: number, mt: Migratetype, nofrag: boolean): number {
    const list = this.pcpList(mt, order);
    if (list.length === 0 && this.refillPcp(order, mt, nofrag) === 0) return -1;
    this.pcpCount -= POW2[order]!;
    return list.pop()!;
  }

  /** One block of 2^order pages from this zone (pcp orders through the pcp), or -1. */
  alloc(order: number, mt: Migratetype, nofrag: boolean): number {
    if (this.kind !== 'packed' && pcpAllowedOrder(order)) {
      if (this.pcpList(mt, order).length === 0 && !this.mayHaveBlock(order)) return -1;
      return this.pcpAlloc(order, mt, nofrag);
    }
    return this.mayHaveBlock(order) ? this.rmqueue(order, mt, nofrag) : -1;
  }

  /**
   * Could a list of either type hold a block of at least this order? (Live counts never
   * undercount.) A full host asks for a THP on every share and is refused: this answers it
   * without walking the lists three passes over.
   */
  private mayHaveBlock(order: number): boolean {
    const c = this.liveCount;
    for (let o = order; o <= MAX_ORDER; o++) if (c[o]! > 0 || c[NO + o]! > 0) return true;
    return false;
  }

  /** [buddy.free] free_unref_page() for pcp orders, else __free_one_page(). */
  freeBlock(pfn: number, order: number): void {
    if (this.kind === 'packed' || !pcpAllowedOrder(order)) return this.freeBuddy(pfn, order);
    const pindex = orderToPindex(this.pb.get(pfn), order);
    this.pcp[pindex]!.push(pfn);
    this.pcpCount += POW2[order]!;
    const { batch, pcpHigh } = this.params;
    if (this.pcpCount >= pcpHigh) this.freePcpBulk(pcpHigh < batch ? 1 : batch, pindex);
  }

  /**
   * drain_pages_zone(): every per-cpu page back to the buddy, batch << CONFIG_PCP_BATCH_SCALE_MAX
   * (5) pages at a time, each time round-robin from list 0. Returns whether it freed any.
   */
  drainPcp(): boolean {
    if (this.pcpCount === 0) return false;
    while (this.pcpCount > 0) this.freePcpBulk(this.params.batch * 32, 0);
    return true;
  }

  /** free_pcppages_bulk(): count pages, round-robin from `pindex`, each list oldest first. */
  private freePcpBulk(want: number, pindex: number): void {
    let count = Math.min(want, this.pcpCount);
    let pi = pindex - 1;
    while (count > 0) {
      do if (++pi > NR_PCP_LISTS - 1) pi = 0;
      while (this.pcp[pi]!.length === 0);
      const order = pindexToOrder(pi);
      const list = this.pcp[pi]!;
      const blocks = Math.min(list.length, Math.ceil(count / POW2[order]!));
      list.drainOldest(blocks, this.freeBuddyFn, order);
      count -= blocks * POW2[order]!;
      this.pcpCount -= blocks * POW2[order]!;
    }
  }

  private readonly freeBuddyFn = (pfn: number, order: number): void => this.freeBuddy(pfn, order);

  private freeBuddy(pfn: number, order: number): void {
    this.free += POW2[order]!;
    const mt = this.pb.get(pfn);
    let p = pfn;
    let o = order;
    while (o < MAX_ORDER) {
      const size = POW2[o]!;
      const buddy = Math.floor(p / size) % 2 === 0 ? p + size : p - size;
      if (this.freeHeads.get(buddy) !== o) break;
      const bmt = o >= PAGEBLOCK_ORDER ? this.pb.get(buddy) : mt;
      this.freeHeads.delete(buddy);
      this.liveCount[bmt * NO + o]!--;
      if (bmt !== mt) this.pb.set(buddy, size, mt);
      p = Math.min(p, buddy);
      o++;
    }
    this.pushLive(p, o, mt);
  }

  // ---- "packed": first fit by address ---------------------------------------------------

  private allocPacked(order: number): number {
    const o = this.lowestBlockOrder(order);
    if (o < 0) return -1;
    const pfn = this.takeHeap(o);
    for (let high = o; high > order; high--)
      this.pushLive(pfn + POW2[high - 1]!, high - 1, MIGRATE_MOVABLE);
    this.free -= POW2[order]!;
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

  private takeHeap(order: number): number {
    const pfn = this.heaps[order]!.pop(this.freeHeads);
    this.freeHeads.delete(pfn);
    this.liveCount[NO + order]!--;
    return pfn;
  }

  // ---- gigantic pages -------------------------------------------------------------------

  /** The lowest naturally aligned run of wholly free max-order blocks (alloc_contig_pages). */
  allocGigantic(order: number): number {
    const blocks = POW2[order - MAX_ORDER]!;
    const step = POW2[MAX_ORDER]!;
    const first = this.freeHeads.firstWholeRun(blocks);
    if (first < 0) return -1;
    const start = first * step;
    for (let i = 0; i < blocks; i++) {
      const p = start + i * step;
      this.liveCount[this.pb.get(p) * NO + MAX_ORDER]!--;
      this.freeHeads.delete(p);
    }
    this.free -= POW2[order]!;
    return start;
  }

  // ---- state ----------------------------------------------------------------------------

  addBuddyinfo(counts: number[]): void {
    for (const [, order] of this.freeHeads.entries()) counts[order]!++;
    for (let i = 0; i < NR_PCP_LISTS; i++) counts[pindexToOrder(i)]! += this.pcp[i]!.length;
  }

  estimateBytes(): number {
    let n = this.freeHeads.bytes;
    for (const st of this.stacks) n += st.bytes;
    for (const h of this.heaps) n += h.pfn.length * 8;
    return n;
  }

  copyFrom(src: ZoneBuddy): void {
    this.freeHeads.copyFrom(src.freeHeads);
    for (let i = 0; i < this.stacks.length; i++) this.stacks[i]!.copyFrom(src.stacks[i]!);
    this.heaps = src.heaps.map((h) => h.clone());
    this.liveCount.set(src.liveCount);
    this.free = src.free;
    for (let i = 0; i < NR_PCP_LISTS; i++) this.pcp[i]!.copyFrom(src.pcp[i]!);
    this.pcpCount = src.pcpCount;
    this.setParams(src.params);
  }

  clone(pb: PageblockTypes, rng: Rng | null): ZoneBuddy {
    const c = new ZoneBuddy(this.kind, this.id, pb, rng);
    c.freeHeads = this.freeHeads.clone();
    c.stacks = this.stacks.map((s) => s.clone());
    c.heaps = this.heaps.map((h) => h.clone());
    c.liveCount = this.liveCount.slice();
    c.free = this.free;
    c.pcp = this.pcp.map((l) => l.clone());
    c.pcpCount = this.pcpCount;
    c.setParams(this.params);
    return c;
  }

  checkInvariants(): string | null {
    let pages = 0;
    for (const [pfn, o] of this.freeHeads.entries()) {
      if (pfn % POW2[o]! !== 0) return `free block ${pfn} not aligned to order ${o}`;
      if (o > PAGEBLOCK_ORDER && this.pb.get(pfn) !== this.pb.get(pfn + PAGEBLOCK_PAGES))
        return `free block ${pfn} of order ${o} spans pageblocks of two migratetypes`;
      pages += POW2[o]!;
    }
    if (pages !== this.free) return `zone ${this.id}: free ${this.free} but lists hold ${pages}`;
    let pcp = 0;
    for (const l of this.pcp) pcp += l.length * l.step;
    if (pcp !== this.pcpCount) return `zone ${this.id}: pcp count ${this.pcpCount}, lists ${pcp}`;
    return null;
  }
}
