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

const REGION = 512;
const MAX_RUNS = 16;

export class LinearMap {
  /** Uniform regions: page i of the region → base + i (NaN = never written). */
  private base: Float64Array;
  /** -1 linear; >= 0 dense slot; <= -2 run slot -(s + 2). */
  private slotOf: Int32Array;
  private pool: Float64Array;
  private freeSlots: number[] = [];
  private usedSlots = 0;
  /** Run slots: start index and offset (value = offset + i) of each run, and the run count. */
  private rStart: Uint16Array;
  private rOff: Float64Array;
  private rCount: Uint8Array;
  private rFree: number[] = [];
  private rUsed = 0;
  private readonly tStart = new Uint16Array(REGION + 1);
  private readonly tOff = new Float64Array(REGION + 1);

  constructor(pages: number) {
    const regions = Math.ceil(pages / REGION);
    this.base = new Float64Array(regions).fill(Number.NaN);
    this.slotOf = new Int32Array(regions).fill(-1);
    this.pool = new Float64Array(0);
    this.rStart = new Uint16Array(MAX_RUNS * 16);
    this.rOff = new Float64Array(MAX_RUNS * 16);
    this.rCount = new Uint8Array(16);
  }

  get bytes(): number {
    return (
      this.base.byteLength +
      this.slotOf.byteLength +
      this.pool.byteLength +
      this.rStart.byteLength +
      this.rOff.byteLength +
      this.rCount.byteLength
    );
  }

  get detailRegions(): number {
    return this.usedSlots - this.freeSlots.length;
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
    if (slot >= 0) return this.pool[slot * REGION + i]!;
    const s = -slot - 2;
    const off = s * MAX_RUNS;
    let j = this.rCount[s]! - 1;
    while (this.rStart[off + j]! > i) j--;
    return this.rOff[off + j]! + i;
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
      for (let i = a; i < b; i++) this.pool[slot * REGION + i] = off + i;
      this.maybeRuns(r, slot);
      return;
    }
    if (slot === -1) {
      const base = this.base[r]!;
      if (Number.isNaN(base) || (a === 0 && b === REGION) || base === off) {
        this.base[r] = off;
        return;
      }
    }
    // Rebuild the runs with [a, b) → off spliced in.
    const ts = this.tStart;
    const to = this.tOff;
    let k = 0;
    const n = slot === -1 ? 1 : this.rCount[-slot - 2]!;
    const o = slot === -1 ? 0 : (-slot - 2) * MAX_RUNS;
    for (let j = 0; j < n; j++) {
      const s0 = slot === -1 ? 0 : this.rStart[o + j]!;
      const e0 = slot === -1 || j + 1 === n ? REGION : this.rStart[o + j + 1]!;
      const w = slot === -1 ? this.base[r]! : this.rOff[o + j]!;
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
    if (k === 1) {
      if (slot <= -2) this.rFree.push(-slot - 2);
      this.slotOf[r] = -1;
      this.base[r] = this.tOff[0]!;
      return;
    }
    if (k <= MAX_RUNS) {
      const s = slot <= -2 ? -slot - 2 : this.allocRuns(r);
      const o = s * MAX_RUNS;
      for (let j = 0; j < k; j++) {
        this.rStart[o + j] = this.tStart[j]!;
        this.rOff[o + j] = this.tOff[j]!;
      }
      this.rCount[s] = k;
      return;
    }
    if (slot <= -2) this.rFree.push(-slot - 2);
    const d = this.allocDense(r);
    for (let j = 0; j < k; j++) {
      const e = j + 1 < k ? this.tStart[j + 1]! : REGION;
      for (let i = this.tStart[j]!; i < e; i++) this.pool[d * REGION + i] = this.tOff[j]! + i;
    }
  }

  /** A dense region that became few runs again goes back to runs. */
  private maybeRuns(r: number, slot: number): void {
    const p = this.pool;
    const base = slot * REGION;
    let k = 0;
    for (let i = 0; i < REGION; i++) {
      const off = p[base + i]! - i;
      if (k > 0 && this.tOff[k - 1] === off) continue;
      if (k === MAX_RUNS) return;
      this.tStart[k] = i;
      this.tOff[k] = off;
      k++;
    }
    this.freeSlots.push(slot);
    this.slotOf[r] = -1;
    this.storeRuns(r, -1, k);
  }

  private allocRuns(r: number): number {
    let s = this.rFree.pop();
    if (s === undefined) {
      s = this.rUsed++;
      if (s >= this.rCount.length) {
        const n = this.rCount.length * 2;
        const st = new Uint16Array(n * MAX_RUNS);
        st.set(this.rStart);
        const of = new Float64Array(n * MAX_RUNS);
        of.set(this.rOff);
        const c = new Uint8Array(n);
        c.set(this.rCount);
        this.rStart = st;
        this.rOff = of;
        this.rCount = c;
      }
    }
    this.slotOf[r] = -s - 2;
    return s;
  }

  private allocDense(r: number): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.usedSlots++;
      if ((slot + 1) * REGION > this.pool.length) {
        const grown = new Float64Array(
          Math.max(this.pool.length * 2, (slot + 1) * REGION, REGION * 8),
        );
        grown.set(this.pool);
        this.pool = grown;
      }
    }
    this.slotOf[r] = slot;
    return slot;
  }

  clone(): LinearMap {
    const c = Object.create(LinearMap.prototype) as LinearMap;
    const used = Math.max(1, this.rUsed);
    Object.assign(c, this, {
      base: this.base.slice(),
      slotOf: this.slotOf.slice(),
      pool: this.pool.slice(0, this.usedSlots * REGION),
      freeSlots: this.freeSlots.slice(),
      rStart: this.rStart.slice(0, used * MAX_RUNS),
      rOff: this.rOff.slice(0, used * MAX_RUNS),
      rCount: this.rCount.slice(0, used),
      rFree: this.rFree.slice(),
      tStart: new Uint16Array(REGION + 1),
      tOff: new Float64Array(REGION + 1),
    });
    return c;
  }
}
