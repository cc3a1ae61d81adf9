/**
 * The reference model's own page allocator: the placement rules of docs/model.md ("Placement",
 * after mm/page_alloc.c) written again the slow, obvious way, so that the property tests compare
 * the engine's allocator too. Plain arrays as free lists keyed by zone, migratetype and order, a
 * Map pfn → order of free block heads, a Map of pageblock types, plain arrays as per-cpu lists.
 * No lazy deletion, no runs, no bulk paths: a block is found in its list and spliced out, n pages
 * are n single-page allocations, and counts are summed when asked.
 *
 * Every list's head is the END of its array (push / pop); its tail is index 0.
 *
 * 1. Zones: DMA below pfn 4096 (16 MiB), DMA32 below pfn 2^20 (4 GiB), Normal above. The zonelist
 *    is the populated zones, highest first.
 * 2. Each zone's numbers from its managed pages M (all zones' sum L): min_free_kbytes =
 *    floor(sqrt(L × 4 × 16)) clamped to [128, 262144]; min = floor(floor(min_free_kbytes / 4) × M / L);
 *    low = min + max(floor(min / 4), floor(M × 10 / 10000)); reserve = (managed pages of the zones
 *    above) / 256; batch: b = floor(min(floor(M / 1024), 256) / 4) (at least 1), batch =
 *    max(1, largest power of two ≤ b + floor(b / 2), minus 1); high = max(floor(low / 64), 4 batch).
 * 3. An allocation tries passes: (a) only when the first zone is Normal and DMA32 has memory:
 *    watermark and no fragmenting fallback; (b) watermark; (c) no watermark. Within a pass, zones
 *    in zonelist order; a zone passes the watermark when its buddy pages − 2^order ≥ low + reserve.
 * 4. Orders 0–3 and 9 go through the zone's per-cpu list of (migratetype, order): take its head;
 *    if empty, first take count = (batch > 1 ? max(floor(batch / 2^order), 2) : 1) blocks one by
 *    one by rule 5, each added at the tail; still empty: the zone fails.
 * 5. A block of a migratetype from a zone: the head of the smallest non-empty list of that type,
 *    split keeping the lower half, upper halves to the heads of that type's lists. Else the other
 *    type: its largest non-empty order c ≥ (no-fragmenting ? max(order, 9) : order); none: fail. May steal:
 *    c ≥ 4 or an unmovable request; a movable request that may not steal uses the smallest
 *    non-empty c ≥ order instead. The block X = head of that list. c ≥ 9: take X, mark its
 *    pageblocks with the request's type, split as above into the request's lists. Else if it may
 *    steal and X's pageblock has ≥ 256 free pages (in buddy blocks): mark the pageblock, move its
 *    free blocks in ascending order each to the tail of the request type's list of its order,
 *    then take as the first sentence says. Else take X, split, upper halves to the OTHER type's
 *    lists.
 * 6. Free of an order 0–3 or 9 block: to the head of the per-cpu list of (its pageblock's type,
 *    order); if the zone's per-cpu pages reach high, free count = (high < batch ? 1 : batch),
 *    at most all per-cpu pages: starting at the list just freed to, lists in index order
 *    (index = 2 × order + type; THP: 8 + type), wrapping, skipping empty ones, from each take its
 *    tail block by block to the buddy, subtracting 2^order, until count ≤ 0 or the list is empty.
 * 7. Free to the buddy: while the buddy (the other half of the parent) heads a free block of the
 *    same order, take it out of its list and merge (merging two pageblocks gives the buddy's
 *    pageblock the freed block's type); the result goes to the head of its type's list.
 * 8. Boot: ranges ascending, cut at zone boundaries, maximal aligned blocks at the tail of the
 *    movable lists (every pageblock starts movable).
 * 9. Gigantic orders (> 10): zones in zonelist order, the lowest naturally aligned range in the
 *    zone whose order-10 blocks are all free, taken out of their lists.
 * 10. When a single-page request fails every pass and no zone has a free buddy block: rule
 *    6's bulk free of all per-cpu pages, per zone in chunks of 32 × batch pages each from list 0,
 *    then one more try.
 * - "packed": one zone, one type, no per-cpu lists; each list kept sorted by address and an
 *   allocation takes the lowest block of all lists of order ≥ the request, keeping lower halves.
 * - "random": as the buddy, but a list gives up the block at Rng.int(length), swapped with the
 *   head first, and a split keeps the upper half when Rng.int(2) is 1. One Rng, drawn in order.
 * - A run of pages is freed as its maximal aligned blocks, ascending (rule 6 or 7 each).
 */
import { Rng } from '../machine/rng';

export const MAX_PAGE_ORDER = 10;
/** pcp->batch of any zone of 1 GiB or more. */
export const PCP_BATCH = 63;

export type PlacementKind = 'buddy' | 'packed' | 'random';
const UNMOVABLE = 0;
const MOVABLE = 1;

/** Host frames [pfn, pfn + count). */
export interface FrameRun {
  pfn: number;
  count: number;
}

const zoneOf = (pfn: number) => (pfn < 4096 ? 0 : pfn < 2 ** 20 ? 1 : 2);
const pindex = (mt: number, order: number) => (order === 9 ? 8 + mt : 2 * order + mt);
const pindexOrder = (i: number) => (i >= 8 ? 9 : Math.floor(i / 2));
const viaPcp = (order: number) => order <= 3 || order === 9;

interface ZoneNumbers {
  low: number;
  reserve: number;
  batch: number;
  high: number;
}

export class ReferenceBuddy {
  /** `${zone} ${type} ${order}` → pfns of free blocks; the end of the array is the head. */
  private readonly lists = new Map<string, number[]>();
  /** pfn → order of every free block head. */
  readonly heads = new Map<number, number>();
  /** pageblock index → type, absent: movable. */
  private readonly blockType = new Map<number, number>();
  /** zone → per-cpu list index → pfns; the end is the head. */
  readonly pcp: number[][][] = [0, 1, 2].map(() => Array.from({ length: 10 }, () => []));
  private zoneNumbers: ZoneNumbers[] = [];
  private zonelist: number[] = [];
  private nofragFirst = false;
  private readonly rng: Rng | null;

  constructor(
    readonly kind: PlacementKind,
    seed = 1,
  ) {
    this.rng = kind === 'random' ? new Rng(seed) : null;
  }

  private list(zone: number, type: number, order: number): number[] {
    const key = `${this.kind === 'packed' ? 0 : zone} ${type} ${order}`;
    let l = this.lists.get(key);
    if (!l) {
      l = [];
      this.lists.set(key, l);
    }
    return l;
  }

  private typeOf(pfn: number): number {
    return this.blockType.get(Math.floor(pfn / 512)) ?? MOVABLE;
  }

  private setType(pfn: number, count: number, type: number): void {
    for (let b = Math.floor(pfn / 512); b * 512 < pfn + count; b++) this.blockType.set(b, type);
  }

  private zoneFree(zone: number): number {
    let n = 0;
    for (const [pfn, order] of this.heads) if (zoneOf(pfn) === zone) n += 2 ** order;
    return n;
  }

  private pcpPages(zone: number): number {
    return this.pcp[zone]!.reduce((s, l, i) => s + l.length * 2 ** pindexOrder(i), 0);
  }

  /** The non-empty free lists of one zone and type, order → pfns (the last one is the head). */
  freeLists(zone: number, type: number): Record<number, number[]> {
    const out: Record<number, number[]> = {};
    for (let o = 0; o <= MAX_PAGE_ORDER; o++) {
      const l = this.lists.get(`${zone} ${type} ${o}`);
      if (l && l.length > 0) out[o] = [...l];
    }
    return out;
  }

  /** The per-cpu list of (zone, type, order), tail first. */
  pcpList(zone: number, type: number, order: number): number[] {
    return [...this.pcp[zone]![pindex(type, order)]!];
  }

  /** Free pages, counted: every free block's pages plus the per-cpu lists. */
  get freePages(): number {
    let n = 0;
    for (const order of this.heads.values()) n += 2 ** order;
    for (let z = 0; z < 3; z++) n += this.pcpPages(z);
    return n;
  }

  boot(ranges: readonly FrameRun[]): void {
    const sorted = [...ranges].sort((a, b) => a.pfn - b.pfn);
    const cuts = [4096, 2 ** 20];
    for (const r of sorted) {
      let p = r.pfn;
      const end = r.pfn + r.count;
      while (p < end) {
        const next = this.kind === 'packed' ? end : Math.min(end, cuts.find((c) => c > p) ?? end);
        eachBlock(p, next - p, (pfn, order) => this.addFree(pfn, order, 'tail'));
        p = next;
      }
    }
    const managed = [0, 1, 2].map((z) => this.zoneFree(z));
    const total = managed[0]! + managed[1]! + managed[2]!;
    const minKb = Math.min(Math.max(Math.floor(Math.sqrt(total * 64)), 128), 262144);
    this.zoneNumbers = managed.map((m, z) => {
      const min = total > 0 ? Math.floor((Math.floor(minKb / 4) * m) / total) : 0;
      const low = min + Math.max(Math.floor(min / 4), Math.floor((m * 10) / 10000));
      const above = managed.slice(z + 1).reduce((s, x) => s + x, 0);
      const reserve = m > 0 ? Math.floor(above / (z < 2 ? 256 : 32)) : 0;
      let b = Math.floor(Math.min(Math.floor(m / 1024), 256) / 4);
      if (b < 1) b = 1;
      let pow = 1;
      while (pow * 2 <= b + Math.floor(b / 2)) pow *= 2;
      const batch = Math.max(1, pow - 1);
      return { low, reserve, batch, high: Math.max(Math.floor(low / 64), 4 * batch) };
    });
    this.zonelist = [2, 1, 0].filter((z) => managed[z]! > 0);
    this.nofragFirst = this.zonelist[0] === 2 && managed[1]! > 0;
  }

  // ---- the free lists -------------------------------------------------------------------

  private addFree(
    pfn: number,
    order: number,
    where: 'head' | 'tail',
    type = this.typeOf(pfn),
  ): void {
    this.heads.set(pfn, order);
    const list = this.list(zoneOf(pfn), type, order);
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
    const list = this.list(zoneOf(pfn), this.typeOf(pfn), order);
    const i = list.lastIndexOf(pfn);
    if (i < 0) throw new Error(`reference buddy: ${pfn} is not on its order-${order} list`);
    list.splice(i, 1);
    this.heads.delete(pfn);
  }

  /** The block a list gives up: its head, or for "random" a random entry swapped to the head. */
  private headOf(list: number[]): number {
    if (this.rng) {
      const i = this.rng.int(list.length);
      const head = list.length - 1;
      [list[i], list[head]] = [list[head]!, list[i]!];
    }
    return list[list.length - 1]!;
  }

  /** Split a block of order `high` down to `order` (rule 5), halves to `type`'s lists. */
  private split(pfn: number, high: number, order: number, type: number): number {
    let at = pfn;
    for (let o = high; o > order; o--) {
      const half = 2 ** (o - 1);
      if (this.rng && this.rng.int(2) === 1) {
        this.addFree(at, o - 1, 'head', type);
        at += half;
      } else this.addFree(at + half, o - 1, 'head', type);
    }
    return at;
  }

  private takeOwn(zone: number, order: number, type: number): number {
    for (let o = order; o <= MAX_PAGE_ORDER; o++) {
      const list = this.list(zone, type, o);
      if (list.length === 0) continue;
      const pfn = this.headOf(list);
      this.removeFree(pfn, o);
      return this.split(pfn, o, order, type);
    }
    return -1;
  }

  /** Rule 5. */
  private block(zone: number, order: number, type: number, nofrag: boolean): number {
    if (this.kind === 'packed') return this.lowest(order);
    const own = this.takeOwn(zone, order, type);
    if (own >= 0) return own;
    const other = 1 - type;
    let c = -1;
    for (let o = MAX_PAGE_ORDER; o >= (nofrag ? Math.max(order, 9) : order) && c < 0; o--)
      if (this.list(zone, other, o).length > 0) c = o;
    if (c < 0) return -1;
    const maySteal = c >= 4 || type === UNMOVABLE;
    if (!maySteal) for (let o = c; o >= order; o--) if (this.list(zone, other, o).length > 0) c = o;
    const x = this.headOf(this.list(zone, other, c));
    if (c >= 9) {
      this.removeFree(x, c);
      this.setType(x, 2 ** c, type);
      return this.split(x, c, order, type);
    }
    if (maySteal) {
      const start = Math.floor(x / 512) * 512;
      const inBlock = [...this.heads]
        .filter(([p]) => p >= start && p < start + 512)
        .sort((a, b) => a[0] - b[0]);
      if (inBlock.reduce((s, [, o]) => s + 2 ** o, 0) >= 256) {
        for (const [p, o] of inBlock) this.removeFree(p, o);
        this.setType(start, 512, type);
        for (const [p, o] of inBlock) this.addFree(p, o, 'tail');
        return this.takeOwn(zone, order, type);
      }
    }
    this.removeFree(x, c);
    return this.split(x, c, order, other);
  }

  private lowest(order: number): number {
    let best = -1;
    let bestPfn = Number.POSITIVE_INFINITY;
    for (let o = order; o <= MAX_PAGE_ORDER; o++) {
      const lowest = this.list(0, MOVABLE, o).at(-1);
      if (lowest !== undefined && lowest < bestPfn) {
        best = o;
        bestPfn = lowest;
      }
    }
    if (best < 0) return -1;
    this.removeFree(bestPfn, best);
    return this.split(bestPfn, best, order, MOVABLE);
  }

  /** Rule 7. */
  private freeToBuddy(pfn: number, order: number): void {
    let p = pfn;
    let o = order;
    const type = this.typeOf(pfn);
    while (o < MAX_PAGE_ORDER) {
      const size = 2 ** o;
      const buddy = Math.floor(p / size) % 2 === 0 ? p + size : p - size;
      if (this.heads.get(buddy) !== o) break;
      this.removeFree(buddy, o);
      this.setType(buddy, size, type);
      p = Math.min(p, buddy);
      o++;
    }
    this.addFree(p, o, 'head');
  }

  // ---- the allocator's interface --------------------------------------------------------

  /** One block of 2^order pages (order <= MAX_PAGE_ORDER); its first pfn, or -1 (rules 3–5). */
  alloc(order: number, movable = true): number {
    if (this.kind === 'packed') return this.lowest(order);
    const type = movable ? MOVABLE : UNMOVABLE;
    for (let attempt = 0; attempt < 2; attempt++) {
      for (let pass = this.nofragFirst ? 0 : 1; pass <= 2; pass++) {
        for (const z of this.zonelist) {
          const zn = this.zoneNumbers[z]!;
          if (pass < 2 && this.zoneFree(z) - 2 ** order < zn.low + zn.reserve) continue;
          const got = viaPcp(order)
            ? this.fromPcp(z, order, type, pass === 0)
            : this.block(z, order, type, pass === 0);
          if (got >= 0) return got;
        }
      }
      if (order > 0 || this.heads.size > 0 || !this.drainAll()) break;
    }
    return -1;
  }

  /**
   * Rule 10: when every pass fails, all per-cpu pages go back to the buddy and it tries once
   * more: per zone, chunks of 32 × batch pages, each chunk from list 0 on as in rule 6.
   */
  private drainAll(): boolean {
    let any = false;
    for (let z = 0; z < 3; z++) {
      while (this.pcpPages(z) > 0) {
        any = true;
        this.drainFrom(z, 0, 32 * this.zoneNumbers[z]!.batch);
      }
    }
    return any;
  }

  /** Rule 6's bulk free: count pages (at most all), lists from `first` on, each from its tail. */
  private drainFrom(zone: number, first: number, want: number): void {
    const lists = this.pcp[zone]!;
    let count = Math.min(want, this.pcpPages(zone));
    let i = first;
    while (count > 0) {
      while (lists[i]!.length === 0) i = (i + 1) % 10;
      const o = pindexOrder(i);
      while (count > 0 && lists[i]!.length > 0) {
        this.freeToBuddy(lists[i]!.shift()!, o);
        count -= 2 ** o;
      }
      i = (i + 1) % 10;
    }
  }

  /** Rule 4. */
  private fromPcp(zone: number, order: number, type: number, nofrag: boolean): number {
    const list = this.pcp[zone]![pindex(type, order)]!;
    if (list.length === 0) {
      const batch = this.zoneNumbers[zone]!.batch;
      const count = batch > 1 ? Math.max(Math.floor(batch / 2 ** order), 2) : 1;
      for (let i = 0; i < count; i++) {
        const pfn = this.block(zone, order, type, nofrag);
        if (pfn < 0) break;
        list.unshift(pfn);
      }
    }
    return list.pop() ?? -1;
  }

  /** n single pages, as n alloc(0) calls, as runs in the order given; null, taking nothing, if fewer are free. */
  allocPages(n: number, movable = true): FrameRun[] | null {
    if (this.freePages < n) return null;
    const runs: FrameRun[] = [];
    for (let i = 0; i < n; i++) {
      const pfn = this.alloc(0, movable);
      const last = runs[runs.length - 1];
      if (last && last.pfn + last.count === pfn) last.count++;
      else runs.push({ pfn, count: 1 });
    }
    return runs;
  }

  /** Rule 9: 2^order pages, order > MAX_PAGE_ORDER, from wholly free max-order blocks; or -1. */
  allocGigantic(order: number): number {
    const size = 2 ** order;
    const max = 2 ** MAX_PAGE_ORDER;
    let end = 0;
    for (const pfn of this.heads.keys()) end = Math.max(end, pfn + 1);
    const zones = this.kind === 'packed' ? [-1] : this.zonelist;
    for (const z of zones) {
      for (let start = 0; start < end; start += size) {
        if (z >= 0 && zoneOf(start) !== z) continue;
        let whole = true;
        for (let p = start; p < start + size && whole; p += max)
          whole = this.heads.get(p) === MAX_PAGE_ORDER;
        if (!whole) continue;
        for (let p = start; p < start + size; p += max) this.removeFree(p, MAX_PAGE_ORDER);
        return start;
      }
    }
    return -1;
  }

  /** Free one block of 2^order pages (rule 6, or 7 directly). */
  freeBlock(pfn: number, order: number): void {
    if (!viaPcp(order) || this.kind === 'packed') return this.freeToBuddy(pfn, order);
    const zone = zoneOf(pfn);
    const first = pindex(this.typeOf(pfn), order);
    const lists = this.pcp[zone]!;
    lists[first]!.push(pfn);
    const { batch, high } = this.zoneNumbers[zone]!;
    if (this.pcpPages(zone) < high) return;
    this.drainFrom(zone, first, high < batch ? 1 : batch);
  }

  /** Free [pfn, pfn + count) as its maximal aligned blocks, ascending. */
  freeRange(pfn: number, count: number): void {
    eachBlock(pfn, count, (p, order) => this.freeBlock(p, order));
  }

  /** Free blocks per order, per-cpu blocks counted at their order (as /proc/buddyinfo summed). */
  buddyinfo(): number[] {
    const counts = new Array<number>(MAX_PAGE_ORDER + 1).fill(0);
    for (const order of this.heads.values()) counts[order]!++;
    for (const lists of this.pcp)
      lists.forEach((l, i) => {
        counts[pindexOrder(i)]! += l.length;
      });
    return counts;
  }

  /** Lists and heads agree, blocks are aligned, and no page is free twice. */
  checkInvariants(): string | null {
    const blocks: [number, number][] = [];
    for (const lists of this.pcp)
      lists.forEach((l, i) => {
        for (const pfn of l) blocks.push([pfn, 2 ** pindexOrder(i)]);
      });
    let listed = 0;
    for (const [key, list] of this.lists) {
      const order = Number(key.split(' ')[2]);
      listed += list.length;
      for (const pfn of list) {
        if (this.heads.get(pfn) !== order)
          return `reference buddy: ${pfn} on an order-${order} list is not an order-${order} head`;
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
