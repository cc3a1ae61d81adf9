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
 * Invariants (checkInvariants): a dense region has more than SPARSE_MAX runs; a sparse region has
 * 2..SPARSE_MAX runs starting at 0, ascending, adjacent runs differing; counts[r] equals the pages
 * of r whose word has countMask set.
 */

const REGION = 512;
/** Runs a sparse region holds before it turns dense. */
export const SPARSE_MAX = 20;
const ALL = 0x7fffffff;

export class RegionWords {
  readonly regions: number;
  /** The word of a uniform region. */
  private uniform: Uint32Array;
  /** -1 uniform; >= 0 dense slot; <= -2 sparse slot -(s + 2). */
  private slotOf: Int32Array;
  /** Pages per region whose word intersects countMask: kept so region queries are O(1). */
  counts: Uint16Array;
  private pool: Uint32Array;
  private freeSlots: number[] = [];
  private usedSlots = 0;
  /** Sparse slots: run starts and words, SPARSE_MAX per slot, and the run count. */
  private rStart: Uint16Array;
  private rWord: Uint32Array;
  private rCount: Uint8Array;
  private sFree: number[] = [];
  private sUsed = 0;
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
    this.pool = new Uint32Array(0);
    this.rStart = new Uint16Array(SPARSE_MAX * 64);
    this.rWord = new Uint32Array(SPARSE_MAX * 64);
    this.rCount = new Uint8Array(64);
  }

  get denseRegions(): number {
    return this.usedSlots - this.freeSlots.length;
  }

  get sparseRegions(): number {
    return this.sUsed - this.sFree.length;
  }

  /** Bytes held, for the benchmark's memory column. */
  get bytes(): number {
    return (
      this.uniform.byteLength +
      this.slotOf.byteLength +
      this.counts.byteLength +
      this.pool.byteLength +
      this.rStart.byteLength +
      this.rWord.byteLength +
      this.rCount.byteLength
    );
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
    if (slot >= 0) return this.pool[slot * REGION + i]!;
    const s = -slot - 2;
    const off = s * SPARSE_MAX;
    let j = this.rCount[s]! - 1;
    while (this.rStart[off + j]! > i) j--;
    return this.rWord[off + j]!;
  }

  /** For pages [page, page + n): word = (word & ~clear) | set. */
  update(page: number, n: number, clear: number, set: number): void {
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
    let off = 0;
    const uniform = slot === -1;
    if (uniform) {
      const u = this.uniform[r]!;
      if (((u & ~clear) | set) >>> 0 === u) return;
      n = 1;
    } else {
      off = (-slot - 2) * SPARSE_MAX;
      n = this.rCount[-slot - 2]!;
    }
    for (let j = 0; j < n; j++) {
      const s0 = uniform ? 0 : this.rStart[off + j]!;
      const e0 = uniform || j + 1 === n ? REGION : this.rStart[off + j + 1]!;
      const w = uniform ? this.uniform[r]! : this.rWord[off + j]!;
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
    if (k === 1) {
      if (slot <= -2) this.sFree.push(-slot - 2);
      this.slotOf[r] = -1;
      this.uniform[r] = tw[0]!;
      return;
    }
    if (k <= SPARSE_MAX) {
      const s = slot <= -2 ? -slot - 2 : this.allocSparse(r);
      const off = s * SPARSE_MAX;
      for (let j = 0; j < k; j++) {
        this.rStart[off + j] = ts[j]!;
        this.rWord[off + j] = tw[j]!;
      }
      this.rCount[s] = k;
      return;
    }
    if (slot <= -2) this.sFree.push(-slot - 2);
    this.slotOf[r] = -1;
    const d = this.allocDense(r);
    const base = d * REGION;
    for (let j = 0; j < k; j++)
      this.pool.fill(tw[j]!, base + ts[j]!, base + (j + 1 < k ? ts[j + 1]! : REGION));
  }

  private updateDense(
    r: number,
    slot: number,
    a: number,
    b: number,
    clear: number,
    set: number,
  ): void {
    const base = slot * REGION;
    const pool = this.pool;
    const m = this.countMask;
    let delta = 0;
    for (let i = base + a; i < base + b; i++) {
      const old = pool[i]!;
      const next = ((old & ~clear) | set) >>> 0;
      if ((old & m) !== (next & m)) delta += next & m ? 1 : -1;
      pool[i] = next;
    }
    this.counts[r]! += delta;
    // Back to runs when few enough; stop counting as soon as there are too many.
    let runs = 1;
    for (let i = base + 1; i < base + REGION && runs <= SPARSE_MAX; i++)
      if (pool[i] !== pool[i - 1]) runs++;
    if (runs <= SPARSE_MAX) this.reencode(r, 0, 0, 0, 0);
  }

  /** Expand the region, apply the update, and store it in the cheapest form. */
  private reencode(r: number, a: number, b: number, clear: number, set: number): void {
    const t = this.tmp;
    this.readRegion(r, t);
    for (let i = a; i < b; i++) t[i] = ((t[i]! & ~clear) | set) >>> 0;
    const slot = this.slotOf[r]!;
    if (slot >= 0) {
      this.freeSlots.push(slot);
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
    this.storeRuns(r, this.slotOf[r]!, k);
  }

  private allocSparse(r: number): number {
    let s = this.sFree.pop();
    if (s === undefined) {
      s = this.sUsed++;
      if (s >= this.rCount.length) {
        const n = this.rCount.length * 2;
        const st = new Uint16Array(n * SPARSE_MAX);
        st.set(this.rStart);
        const w = new Uint32Array(n * SPARSE_MAX);
        w.set(this.rWord);
        const c = new Uint8Array(n);
        c.set(this.rCount);
        this.rStart = st;
        this.rWord = w;
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
        const grown = new Uint32Array(
          Math.max(this.pool.length * 2, (slot + 1) * REGION, REGION * 16),
        );
        grown.set(this.pool);
        this.pool = grown;
      }
    }
    this.slotOf[r] = slot;
    return slot;
  }

  /** Copies the 512 words of a region into out (renderers, the inspector, re-encoding). */
  readRegion(r: number, out: Uint32Array): void {
    const slot = this.slotOf[r]!;
    if (slot >= 0) {
      out.set(this.pool.subarray(slot * REGION, (slot + 1) * REGION));
      return;
    }
    if (slot === -1) {
      out.fill(this.uniform[r]!);
      return;
    }
    const s = -slot - 2;
    const off = s * SPARSE_MAX;
    const n = this.rCount[s]!;
    for (let j = 0; j < n; j++)
      out.fill(
        this.rWord[off + j]!,
        this.rStart[off + j]!,
        j + 1 < n ? this.rStart[off + j + 1]! : REGION,
      );
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
    if (slot <= -2) {
      const s = -slot - 2;
      const off = s * SPARSE_MAX;
      const n = this.rCount[s]!;
      for (let j = 0; j < n; j++) {
        outStart[j] = this.rStart[off + j]!;
        outWord[j] = this.rWord[off + j]!;
      }
      return n;
    }
    const base = slot * REGION;
    let k = 0;
    for (let i = 0; i < REGION; i++) {
      const w = this.pool[base + i]!;
      if (k > 0 && outWord[k - 1] === w) continue;
      outStart[k] = i;
      outWord[k] = w;
      k++;
    }
    return k;
  }

  /** A deep copy, for timeline checkpoints. */
  clone(): RegionWords {
    const c = Object.create(RegionWords.prototype) as RegionWords;
    const used = Math.max(1, this.sUsed);
    Object.assign(c, this, {
      uniform: this.uniform.slice(),
      slotOf: this.slotOf.slice(),
      counts: this.counts.slice(),
      pool: this.pool.slice(0, this.usedSlots * REGION),
      freeSlots: this.freeSlots.slice(),
      rStart: this.rStart.slice(0, used * SPARSE_MAX),
      rWord: this.rWord.slice(0, used * SPARSE_MAX),
      rCount: this.rCount.slice(0, used),
      sFree: this.sFree.slice(),
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
      if (slot <= -2) {
        const s = -slot - 2;
        const k = this.rCount[s]!;
        if (k < 2 || k > SPARSE_MAX || k !== runs)
          return `region ${r}: sparse with ${k} runs, ${runs} real`;
        if (this.rStart[s * SPARSE_MAX] !== 0) return `region ${r}: first run not at 0`;
      }
    }
    return null;
  }
}
