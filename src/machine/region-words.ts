/**
 * A sparse array of small integer words, one per 4 KiB page, grouped in 2 MiB regions of 512.
 *
 * Models nothing by itself; it is the storage trick every per-page structure uses, the same one
 * the kernel uses for page tables: a region whose 512 pages hold the same word costs one word
 * ("uniform"), exactly as a 2M leaf needs no PTE page. A region made of a few runs of equal words
 * keeps them run-length encoded ("sparse": up to SPARSE_MAX runs — e.g. the tail of one guest
 * allocation, a page-table page, the head of the next); only a truly mixed region gets 512 words
 * of detail ("dense"), and it goes back to runs or uniform as soon as a write makes it so.
 *
 * Words must stay below 2^31 so bitwise flag tests on them are safe.
 *
 * Storage: run lists live in a RunSlots arena (slots sized to the run count, chunks never
 * copied); dense regions in a DenseSlots pool of 512-word slots, with their run count kept
 * up to date so an update never rescans the region.
 *
 * Invariants (checkInvariants): a dense region has more than SPARSE_MAX runs; a sparse region has
 * 2..SPARSE_MAX runs starting at 0, ascending, adjacent runs differing; counts[r] equals the pages
 * of r whose word has countMask set.
 */

import { into } from './copy';
import { DenseSlots, RunSlots, setOneInRuns } from './runs';

const REGION = 512;
/** Runs a sparse region holds before it turns dense. */
export const SPARSE_MAX = 48;
const ALL = 0x7fffffff;

export class RegionWords {
  readonly regions: number;
  /** The word of a uniform region. */
  private uniform: Uint32Array;
  /** -1 uniform; >= 0 dense slot; <= -2 sparse slot at arena offset -(slot + 2). */
  private slotOf: Int32Array;
  /** Pages per region whose word intersects countMask: kept so region queries are O(1). */
  counts: Uint16Array;
  /** Dense regions: 512 words each, with their run counts. */
  private dense = new DenseSlots((n) => new Uint32Array(n));
  private runs: RunSlots<Uint32Array>;
  /** Scratch for building runs and expanding a region. */
  private readonly tStart = new Uint16Array(REGION + 1);
  private readonly tWord = new Uint32Array(REGION + 1);
  private readonly tmp = new Uint32Array(REGION);

  constructor(
    pages: number,
    fill: number,
    private readonly countMask: number,
  ) {
    this.regions = Math.ceil(pages / REGION);
    this.uniform = new Uint32Array(this.regions).fill(fill);
    this.slotOf = new Int32Array(this.regions).fill(-1);
    this.counts = new Uint16Array(this.regions).fill(fill & countMask ? REGION : 0);
    this.runs = new RunSlots((n) => new Uint32Array(n), SPARSE_MAX);
  }

  get denseRegions(): number {
    return this.dense.count;
  }

  get sparseRegions(): number {
    return this.runs.used;
  }

  /** Bytes held, for the benchmark's memory column. */
  get bytes(): number {
    let n =
      this.uniform.byteLength + this.slotOf.byteLength + this.counts.byteLength + this.runs.bytes;
    n += this.dense.bytes;
    return n;
  }

  /** The region's word if all 512 pages share it, else -1. */
  uniformWord(region: number): number {
    return this.slotOf[region] === -1 ? this.uniform[region]! : -1;
  }

  get(page: number): number {
    const r = Math.floor(page / REGION);
    const slot = this.slotOf[r]!;
    const i = page - r * REGION;
    if (slot === -1) return this.uniform[r]!;
    if (slot >= 0) return this.dense.chunk(slot)[DenseSlots.base(slot) + i]!;
    return this.runs.valueAt(-slot - 2, i);
  }

  /**
   * The end of the run of equal words that page is in, clipped to limit (page < limit <= the
   * region's end): words [page, result) all equal get(page). O(runs), or one pass over a dense
   * region from page on: callers walking a region run by run read no word twice.
   */
  runEnd(page: number, limit: number): number {
    const r = Math.floor(page / REGION);
    const slot = this.slotOf[r]!;
    if (slot === -1) return limit;
    const rs = r * REGION;
    const i = page - rs;
    if (slot >= 0) {
      const pool = this.dense.chunk(slot);
      const base = DenseSlots.base(slot);
      const w = pool[base + i]!;
      const stop = limit - rs;
      let j = i + 1;
      while (j < stop && pool[base + j] === w) j++;
      return rs + j;
    }
    return Math.min(rs + this.runs.runEndAt(-slot - 2, i, REGION), limit);
  }

  /** For pages [page, page + n): word = (word & ~clear) | set. */
  update(page: number, n: number, clear: number, set: number): void {
    if (n === 1) return this.updateOne(page, clear, set);
    let p = page;
    const end = page + n;
    while (p < end) {
      const r = Math.floor(p / REGION);
      const rs = r * REGION;
      const a = p - rs;
      const b = Math.min(end - rs, REGION);
      const slot = this.slotOf[r]!;
      if (slot >= 0 && b - a <= 64) this.updateDense(r, slot, a, b, clear, set);
      else if (slot >= 0) this.reencode(r, a, b, clear, set);
      else this.updateRuns(r, slot, a, b, clear, set);
      p = rs + b;
    }
  }

  /**
   * One page (4K churn: most updates): find its run, return early when the word does not change,
   * else edit the run list in place (setOneInRuns) — a full rebuild only when the slot is full.
   */
  private updateOne(page: number, clear: number, set: number): void {
    const r = Math.floor(page / REGION);
    const i = page - r * REGION;
    const slot = this.slotOf[r]!;
    if (slot >= 0) return this.updateDense(r, slot, i, i + 1, clear, set);
    if (slot === -1) {
      const u = this.uniform[r]!;
      if (((u & ~clear) | set) >>> 0 === u) return;
      return this.updateRuns(r, slot, i, i + 1, clear, set);
    }
    const g = -slot - 2;
    const d = this.runs.data[RunSlots.chunkOf(g)]!;
    const e = RunSlots.entryOf(g);
    const n = d[e]!;
    let j = n - 1;
    while (d[e + 2 + 2 * j]! > i) j--;
    const w = d[e + 3 + 2 * j]!;
    const nw = ((w & ~clear) | set) >>> 0;
    if (nw === w) return;
    const nn = setOneInRuns(d, e + 2, n, j, i, nw, REGION, d[e + 1]!);
    if (nn < 0) return this.updateRuns(r, slot, i, i + 1, clear, set);
    const m = this.countMask;
    if ((w ^ nw) & m) this.counts[r]! += nw & m ? 1 : -1;
    if (nn > 1) d[e] = nn;
    else {
      this.runs.release(g);
      this.slotOf[r] = -1;
      this.uniform[r] = d[e + 3]!;
    }
  }

  /** Overwrite pages with a word (clear everything). */
  set(page: number, n: number, word: number): void {
    this.update(page, n, ALL, word);
  }

  /** Uniform or run-length region: split runs at a and b, map the inside, merge equal neighbours. */
  private updateRuns(
    r: number,
    slot: number,
    a: number,
    b: number,
    clear: number,
    set: number,
  ): void {
    const ts = this.tStart;
    const tw = this.tWord;
    let k = 0;
    let n: number;
    let d: Uint32Array | null = null;
    let b0 = 0;
    const uniform = slot === -1;
    if (uniform) {
      const u = this.uniform[r]!;
      if (((u & ~clear) | set) >>> 0 === u) return;
      n = 1;
    } else {
      const g = -slot - 2;
      d = this.runs.data[RunSlots.chunkOf(g)]!;
      b0 = RunSlots.entryOf(g) + 2;
      n = d[b0 - 2]!;
    }
    for (let j = 0; j < n; j++) {
      const s0 = d ? d[b0 + 2 * j]! : 0;
      const e0 = !d || j + 1 === n ? REGION : d[b0 + 2 * j + 2]!;
      const w = d ? d[b0 + 2 * j + 1]! : this.uniform[r]!;
      // Up to three pieces: before a, inside [a, b) (mapped), after b; equal neighbours merge.
      for (let piece = 0; piece < 3; piece++) {
        let start: number;
        let pw = w;
        if (piece === 0) {
          if (!(s0 < a || e0 <= a || s0 >= b)) continue;
          start = s0;
        } else if (piece === 1) {
          if (e0 <= a || s0 >= b) continue;
          start = Math.max(s0, a);
          pw = ((w & ~clear) | set) >>> 0;
        } else {
          if (e0 <= a || s0 >= b || e0 <= b) continue;
          start = b;
        }
        if (k > 0 && tw[k - 1] === pw) continue;
        ts[k] = start;
        tw[k] = pw;
        k++;
      }
    }
    this.storeRuns(r, slot, k);
  }

  /** Store the k runs built in the scratch arrays as uniform, sparse or dense. */
  private storeRuns(r: number, slot: number, k: number): void {
    const ts = this.tStart;
    const tw = this.tWord;
    const m = this.countMask;
    let counted = 0;
    for (let j = 0; j < k; j++)
      if (tw[j]! & m) counted += (j + 1 < k ? ts[j + 1]! : REGION) - ts[j]!;
    this.counts[r] = counted;
    let g = slot <= -2 ? -slot - 2 : -1;
    if (g >= 0 && (k === 1 || k > this.runs.capacityOf(g))) {
      this.runs.release(g);
      g = -1;
    }
    if (k === 1) {
      this.slotOf[r] = -1;
      this.uniform[r] = tw[0]!;
      return;
    }
    if (k <= SPARSE_MAX) {
      if (g < 0) {
        g = this.runs.alloc(RunSlots.capacityFor(k));
        this.slotOf[r] = -g - 2;
      }
      const d = this.runs.data[RunSlots.chunkOf(g)]!;
      const e = RunSlots.entryOf(g);
      for (let j = 0; j < k; j++) {
        d[e + 2 + 2 * j] = ts[j]!;
        d[e + 3 + 2 * j] = tw[j]!;
      }
      d[e] = k;
      return;
    }
    this.slotOf[r] = -1;
    const d = this.dense.alloc();
    this.slotOf[r] = d;
    this.dense.setRuns(d, k);
    const pool = this.dense.chunk(d);
    const base = DenseSlots.base(d);
    for (let j = 0; j < k; j++)
      pool.fill(tw[j]!, base + ts[j]!, base + (j + 1 < k ? ts[j + 1]! : REGION));
  }

  private updateDense(
    r: number,
    slot: number,
    a: number,
    b: number,
    clear: number,
    set: number,
  ): void {
    const pool = this.dense.chunk(slot);
    const base = DenseSlots.base(slot);
    const m = this.countMask;
    // Run boundaries touching [a, b): between x and x + 1 for x in [lo, hi).
    const lo = base + (a > 0 ? a - 1 : 0);
    const hi = base + (b < REGION ? b : REGION - 1);
    let edges = 0;
    for (let x = lo; x < hi; x++) if (pool[x] !== pool[x + 1]) edges--;
    let delta = 0;
    for (let i = base + a; i < base + b; i++) {
      const old = pool[i]!;
      const next = ((old & ~clear) | set) >>> 0;
      if ((old & m) !== (next & m)) delta += next & m ? 1 : -1;
      pool[i] = next;
    }
    for (let x = lo; x < hi; x++) if (pool[x] !== pool[x + 1]) edges++;
    this.counts[r]! += delta;
    const runs = this.dense.runs(slot) + edges;
    this.dense.setRuns(slot, runs);
    // Back to runs when few enough.
    if (runs <= SPARSE_MAX) this.reencode(r, 0, 0, 0, 0);
  }

  /** Expand the region, apply the update, and store it in the cheapest form. */
  private reencode(r: number, a: number, b: number, clear: number, set: number): void {
    const t = this.tmp;
    this.readRegion(r, t);
    for (let i = a; i < b; i++) t[i] = ((t[i]! & ~clear) | set) >>> 0;
    const slot = this.slotOf[r]!;
    if (slot >= 0) {
      this.dense.release(slot);
      this.slotOf[r] = -1;
    } else if (slot <= -2) {
      this.runs.release(-slot - 2);
      this.slotOf[r] = -1;
    }
    const ts = this.tStart;
    const tw = this.tWord;
    let k = 0;
    for (let i = 0; i < REGION; i++) {
      if (k > 0 && tw[k - 1] === t[i]) continue;
      ts[k] = i;
      tw[k] = t[i]!;
      k++;
    }
    this.storeRuns(r, -1, k);
  }

  /** Copies the 512 words of a region into out (renderers, the inspector, re-encoding). */
  readRegion(r: number, out: Uint32Array): void {
    const slot = this.slotOf[r]!;
    if (slot >= 0) {
      const base = DenseSlots.base(slot);
      out.set(this.dense.chunk(slot).subarray(base, base + REGION));
      return;
    }
    if (slot === -1) {
      out.fill(this.uniform[r]!);
      return;
    }
    const g = -slot - 2;
    const d = this.runs.data[RunSlots.chunkOf(g)]!;
    const b = RunSlots.entryOf(g) + 2;
    const n = d[b - 2]!;
    for (let j = 0; j < n; j++)
      out.fill(d[b + 2 * j + 1]!, d[b + 2 * j]!, j + 1 < n ? d[b + 2 * j + 2]! : REGION);
  }

  /**
   * The region as runs of equal words (read-only; renderers and the inspector): writes run starts
   * and words into outStart/outWord (each at least 512 long) and returns the run count. O(runs)
   * for uniform and sparse regions, one 512-word pass for dense ones.
   */
  runsOf(r: number, outStart: Uint16Array, outWord: Uint32Array): number {
    const slot = this.slotOf[r]!;
    if (slot === -1) {
      outStart[0] = 0;
      outWord[0] = this.uniform[r]!;
      return 1;
    }
    if (slot <= -2) return this.runs.copyRuns(-slot - 2, outStart, outWord);
    const pool = this.dense.chunk(slot);
    const base = DenseSlots.base(slot);
    let k = 0;
    for (let i = 0; i < REGION; i++) {
      const w = pool[base + i]!;
      if (k > 0 && outWord[k - 1] === w) continue;
      outStart[k] = i;
      outWord[k] = w;
      k++;
    }
    return k;
  }

  /** Become a copy of src (same page count), reusing this one's buffers where they fit. */
  copyFrom(src: RegionWords): void {
    this.uniform = into(this.uniform, src.uniform);
    this.slotOf = into(this.slotOf, src.slotOf);
    this.counts = into(this.counts, src.counts);
    this.dense.copyFrom(src.dense, this.slotOf);
    this.runs.copyFrom(src.runs, this.slotOf);
  }

  /** A deep copy, for timeline checkpoints. */
  clone(): RegionWords {
    const c = Object.create(RegionWords.prototype) as RegionWords;
    // Only the slots in use, packed (a checkpoint holds no released arena).
    const slotOf = this.slotOf.slice();
    Object.assign(c, this, {
      uniform: this.uniform.slice(),
      slotOf,
      counts: this.counts.slice(),
      dense: this.dense.compacted(slotOf),
      runs: this.runs.compacted(slotOf),
      tStart: new Uint16Array(REGION + 1),
      tWord: new Uint32Array(REGION + 1),
      tmp: new Uint32Array(REGION),
    });
    return c;
  }

  checkInvariants(): string | null {
    const w = new Uint32Array(REGION);
    for (let r = 0; r < this.regions; r++) {
      const slot = this.slotOf[r]!;
      this.readRegion(r, w);
      let n = 0;
      let runs = 1;
      for (let i = 0; i < REGION; i++) {
        if (w[i]! & this.countMask) n++;
        if (i > 0 && w[i] !== w[i - 1]) runs++;
      }
      if (n !== this.counts[r]) return `region ${r}: counts ${this.counts[r]} but ${n} pages match`;
      if (slot >= 0 && runs <= SPARSE_MAX) return `region ${r}: dense with only ${runs} runs`;
      if (slot >= 0 && runs !== this.dense.runs(slot))
        return `region ${r}: dense with ${runs} runs, ${this.dense.runs(slot)} counted`;
      if (slot <= -2) {
        const g = -slot - 2;
        const d = this.runs.data[RunSlots.chunkOf(g)]!;
        const h = RunSlots.entryOf(g);
        const k = d[h]!;
        if (k < 2 || k > SPARSE_MAX || k !== runs)
          return `region ${r}: sparse with ${k} runs, ${runs} real`;
        if (k > this.runs.capacityOf(g)) return `region ${r}: ${k} runs in a smaller slot`;
        if (d[h + 2] !== 0) return `region ${r}: first run not at 0`;
      }
    }
    return null;
  }
}
