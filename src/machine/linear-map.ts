/**
 * A sparse page → frame-number map grouped in 512-page regions, for translations that are
 * almost always linear: guest frame → host frame for one guest's memory. A region whose pages
 * map to base + i costs one number; a region made of a few linear pieces (an allocation that
 * crossed a page-table page, a THP split by a discard) keeps them as runs; per-page detail exists
 * only where the mapping is truly scattered (the "random" allocator, heavy churn).
 *
 * Values are meaningful only where the owner says the page is mapped (a state bit kept
 * elsewhere): unmapped pages are "don't care", which is what keeps a partly backed region linear.
 */

import { into } from './copy';
import { DenseSlots, RunSlots, setOneInRuns } from './runs';

const REGION = 512;
const MAX_RUNS = 48;
/** Values below this (and their offsets, down to -511) fit an Int32Array. */
const NARROW_LIMIT = 2 ** 31 - REGION;

/** Run and dense storage: 32-bit where every value fits (half the memory a checkpoint copies). */
type Store = Int32Array | Float64Array;

export class LinearMap {
  /** Uniform regions: page i of the region → base + i (NaN = never written). */
  private base: Float64Array;
  /** -1 linear; >= 0 dense slot; <= -2 run slot at arena offset -(slot + 2). */
  private slotOf: Int32Array;
  /** Dense regions: 512 values each, with their run counts (a page whose frame does not follow
   * the one before starts a run). */
  private dense: DenseSlots<Store>;
  /** Run slots: start index and offset (value = offset + i) of each run. */
  private runs: RunSlots<Store>;
  private readonly tStart = new Uint16Array(REGION + 1);
  private readonly tOff = new Float64Array(REGION + 1);

  /**
   * @param maxValue every value set() will be given is below this (host frames: the host's
   * page count); under 2^31 the runs and dense regions are stored in 32 bits.
   */
  constructor(pages: number, maxValue = Number.MAX_SAFE_INTEGER) {
    const regions = Math.ceil(pages / REGION);
    this.base = new Float64Array(regions).fill(Number.NaN);
    this.slotOf = new Int32Array(regions).fill(-1);
    const make =
      maxValue <= NARROW_LIMIT
        ? (n: number) => new Int32Array(n)
        : (n: number) => new Float64Array(n);
    this.runs = new RunSlots<Store>(make, MAX_RUNS);
    this.dense = new DenseSlots<Store>(make);
  }

  get bytes(): number {
    let n = this.base.byteLength + this.slotOf.byteLength + this.runs.bytes;
    n += this.dense.bytes;
    return n;
  }

  get detailRegions(): number {
    return this.dense.count;
  }

  /** The region's linear base (page i of the region → base + i), or NaN when it is not linear. */
  linearBase(region: number): number {
    return this.slotOf[region] === -1 ? this.base[region]! : Number.NaN;
  }

  get(page: number): number {
    const r = Math.floor(page / REGION);
    const slot = this.slotOf[r]!;
    const i = page - r * REGION;
    if (slot === -1) return this.base[r]! + i;
    if (slot >= 0) return this.dense.chunk(slot)[DenseSlots.base(slot) + i]!;
    return this.runs.valueAt(-slot - 2, i) + i;
  }

  /**
   * The region's linear runs: page i of run j (from outStart[j] to the next start or 512) maps
   * to outOff[j] + i. Returns the run count (1 for a linear region). Dense regions are scanned
   * once: a reader walking pieces does one pass, not 512 get() calls.
   */
  runsOf(r: number, outStart: Uint16Array, outOff: Float64Array): number {
    const slot = this.slotOf[r]!;
    if (slot === -1) {
      outStart[0] = 0;
      outOff[0] = this.base[r]!;
      return 1;
    }
    if (slot <= -2) return this.runs.copyRuns(-slot - 2, outStart, outOff);
    const pool = this.dense.chunk(slot);
    const base = DenseSlots.base(slot);
    let k = 0;
    for (let i = 0; i < REGION; i++) {
      const off = pool[base + i]! - i;
      if (k > 0 && outOff[k - 1] === off) continue;
      outStart[k] = i;
      outOff[k] = off;
      k++;
    }
    return k;
  }

  /**
   * The end of the linear piece that page is in, clipped to limit (page < limit <= the region's
   * end): pages [page, result) map to get(page) + 0, 1, … O(runs), or one pass over a dense
   * region from page on.
   */
  linearEnd(page: number, limit: number): number {
    const r = Math.floor(page / REGION);
    const slot = this.slotOf[r]!;
    // A region never written maps to NaN: no page follows another (as get() would say).
    if (slot === -1) return Number.isNaN(this.base[r]!) ? page + 1 : limit;
    const rs = r * REGION;
    const i = page - rs;
    if (slot >= 0) {
      const pool = this.dense.chunk(slot);
      const base = DenseSlots.base(slot);
      const v = pool[base + i]! - i;
      const stop = limit - rs;
      let j = i + 1;
      while (j < stop && pool[base + j] === v + j) j++;
      return rs + j;
    }
    // Adjacent runs have different offsets: the piece ends where the next run starts.
    return Math.min(rs + this.runs.runEndAt(-slot - 2, i, REGION), limit);
  }

  /** Pages [page, page + n) map to value, value + 1, … */
  set(page: number, n: number, value: number): void {
    let p = page;
    const end = page + n;
    while (p < end) {
      const r = Math.floor(p / REGION);
      const rs = r * REGION;
      const a = p - rs;
      const b = Math.min(end - rs, REGION);
      this.setInRegion(r, a, b, value + (p - page) - a);
      p = rs + b;
    }
  }

  /** Region-relative pages [a, b) → off + i. */
  private setInRegion(r: number, a: number, b: number, off: number): void {
    const slot = this.slotOf[r]!;
    if (slot >= 0) {
      const pool = this.dense.chunk(slot);
      const base = DenseSlots.base(slot);
      // Run boundaries touching [a, b) (between x and x + 1: not consecutive frames), before
      // and after, keep the slot's run count without rescanning the region.
      const lo = base + (a > 0 ? a - 1 : 0);
      const hi = base + (b < REGION ? b : REGION - 1);
      let edges = 0;
      for (let x = lo; x < hi; x++) if (pool[x + 1] !== pool[x]! + 1) edges--;
      for (let i = a; i < b; i++) pool[base + i] = off + i;
      for (let x = lo; x < hi; x++) if (pool[x + 1] !== pool[x]! + 1) edges++;
      const runs = this.dense.runs(slot) + edges;
      this.dense.setRuns(slot, runs);
      if (runs <= MAX_RUNS) this.toRuns(r, slot);
      return;
    }
    if (slot === -1) {
      const base = this.base[r]!;
      if (Number.isNaN(base) || (a === 0 && b === REGION) || base === off) {
        this.base[r] = off;
        return;
      }
    } else if (b - a === 1) {
      // One page (4K churn): edit the runs in place.
      const g = -slot - 2;
      const d = this.runs.data[RunSlots.chunkOf(g)]!;
      const e = RunSlots.entryOf(g);
      const n = d[e]!;
      let j = n - 1;
      while (d[e + 2 + 2 * j]! > a) j--;
      if (d[e + 3 + 2 * j] === off) return;
      const nn = setOneInRuns(d, e + 2, n, j, a, off, REGION, d[e + 1]!);
      if (nn > 1) {
        d[e] = nn;
        return;
      }
      if (nn === 1) {
        this.runs.release(g);
        this.slotOf[r] = -1;
        this.base[r] = d[e + 3]!;
        return;
      }
    }
    // Rebuild the runs with [a, b) → off spliced in.
    const ts = this.tStart;
    const to = this.tOff;
    let k = 0;
    let d: Store | null = null;
    let b0 = 0;
    let n = 1;
    if (slot <= -2) {
      const g = -slot - 2;
      d = this.runs.data[RunSlots.chunkOf(g)]!;
      b0 = RunSlots.entryOf(g) + 2;
      n = d[b0 - 2]!;
    }
    for (let j = 0; j < n; j++) {
      const s0 = d ? d[b0 + 2 * j]! : 0;
      const e0 = !d || j + 1 === n ? REGION : d[b0 + 2 * j + 2]!;
      const w = d ? d[b0 + 2 * j + 1]! : this.base[r]!;
      for (let piece = 0; piece < 3; piece++) {
        let start: number;
        let pw = w;
        if (piece === 0) {
          if (!(s0 < a || e0 <= a || s0 >= b)) continue;
          start = s0;
        } else if (piece === 1) {
          if (e0 <= a || s0 >= b) continue;
          start = Math.max(s0, a);
          pw = off;
        } else {
          if (e0 <= a || s0 >= b || e0 <= b) continue;
          start = b;
        }
        if (k > 0 && to[k - 1] === pw) continue;
        ts[k] = start;
        to[k] = pw;
        k++;
      }
    }
    this.storeRuns(r, slot, k);
  }

  private storeRuns(r: number, slot: number, k: number): void {
    let g = slot <= -2 ? -slot - 2 : -1;
    if (g >= 0 && (k === 1 || k > this.runs.capacityOf(g))) {
      this.runs.release(g);
      g = -1;
    }
    if (k === 1) {
      this.slotOf[r] = -1;
      this.base[r] = this.tOff[0]!;
      return;
    }
    if (k <= MAX_RUNS) {
      if (g < 0) {
        g = this.runs.alloc(RunSlots.capacityFor(k));
        this.slotOf[r] = -g - 2;
      }
      const d = this.runs.data[RunSlots.chunkOf(g)]!;
      const e = RunSlots.entryOf(g);
      for (let j = 0; j < k; j++) {
        d[e + 2 + 2 * j] = this.tStart[j]!;
        d[e + 3 + 2 * j] = this.tOff[j]!;
      }
      d[e] = k;
      return;
    }
    const d = this.dense.alloc();
    this.slotOf[r] = d;
    this.dense.setRuns(d, k);
    const pool = this.dense.chunk(d);
    const base = DenseSlots.base(d);
    for (let j = 0; j < k; j++) {
      const e = j + 1 < k ? this.tStart[j + 1]! : REGION;
      for (let i = this.tStart[j]!; i < e; i++) pool[base + i] = this.tOff[j]! + i;
    }
  }

  /** A dense region that has become few runs again goes back to runs. */
  private toRuns(r: number, slot: number): void {
    const p = this.dense.chunk(slot);
    const base = DenseSlots.base(slot);
    let k = 0;
    for (let i = 0; i < REGION; i++) {
      const off = p[base + i]! - i;
      if (k > 0 && this.tOff[k - 1] === off) continue;
      this.tStart[k] = i;
      this.tOff[k] = off;
      k++;
    }
    this.dense.release(slot);
    this.slotOf[r] = -1;
    this.storeRuns(r, -1, k);
  }

  /**
   * Run slots start at 0, ascend, hold 2..MAX_RUNS runs with adjacent offsets different; dense
   * slots hold more than MAX_RUNS runs, as counted.
   */
  checkInvariants(): string | null {
    for (let r = 0; r < this.slotOf.length; r++) {
      const slot = this.slotOf[r]!;
      if (slot >= 0) {
        const p = this.dense.chunk(slot);
        const base = DenseSlots.base(slot);
        let runs = 1;
        for (let i = 1; i < REGION; i++) if (p[base + i] !== p[base + i - 1]! + 1) runs++;
        if (runs <= MAX_RUNS) return `region ${r}: dense with ${runs} runs`;
        if (runs !== this.dense.runs(slot))
          return `region ${r}: dense with ${runs} runs, ${this.dense.runs(slot)} counted`;
        continue;
      }
      if (slot > -2) continue;
      const g = -slot - 2;
      const d = this.runs.data[RunSlots.chunkOf(g)]!;
      const b = RunSlots.entryOf(g) + 2;
      const n = d[b - 2]!;
      if (n < 2 || n > MAX_RUNS || n > this.runs.capacityOf(g)) return `region ${r}: ${n} runs`;
      if (d[b] !== 0) return `region ${r}: first run at ${d[b]}`;
      for (let j = 1; j < n; j++) {
        if (d[b + 2 * j]! <= d[b + 2 * j - 2]!) return `region ${r}: runs not ascending`;
        if (d[b + 2 * j + 1] === d[b + 2 * j - 1]) return `region ${r}: equal neighbours at ${j}`;
      }
    }
    return null;
  }

  /** Become a copy of src (same page count), reusing this one's buffers where they fit. */
  copyFrom(src: LinearMap): void {
    this.base = into(this.base, src.base);
    this.slotOf = into(this.slotOf, src.slotOf);
    this.dense.copyFrom(src.dense, this.slotOf);
    this.runs.copyFrom(src.runs, this.slotOf);
  }

  clone(): LinearMap {
    const c = Object.create(LinearMap.prototype) as LinearMap;
    // Only the slots in use, packed (a checkpoint holds no released arena).
    const slotOf = this.slotOf.slice();
    Object.assign(c, this, {
      base: this.base.slice(),
      slotOf,
      dense: this.dense.compacted(slotOf),
      runs: this.runs.compacted(slotOf),
      tStart: new Uint16Array(REGION + 1),
      tOff: new Float64Array(REGION + 1),
    });
    return c;
  }
}
