/**
 * Run lists of 2 MiB regions, shared by RegionWords (runs of equal words) and LinearMap (runs of
 * equal frame offsets): run q of a list at `base` has its first page at arr[base + 2q] and its
 * value at arr[base + 2q + 1] (interleaved, so a lookup touches one cache line, not two arrays);
 * run q covers [start(q), start(q + 1)), the last one up to the region's end, and adjacent runs
 * hold different values.
 */

import { intoAll } from './copy';

/**
 * Give page i (inside run j) the value v (different from run j's value), editing the list in
 * place — the churn's commonest edit (a 4K share, unshare or allocation); a rebuild would copy
 * the list twice. Returns the new run count, or -1, changing nothing, when the result would need
 * more than max runs.
 */
export function setOneInRuns(
  a: Uint32Array | Int32Array | Float64Array,
  base: number,
  n: number,
  j: number,
  i: number,
  v: number,
  regionEnd: number,
  max: number,
): number {
  const at = base + 2 * j;
  const s = a[at]!;
  const e = j + 1 < n ? a[at + 2]! : regionEnd;
  const mergePrev = j > 0 && a[at - 1] === v;
  const mergeNext = j + 1 < n && a[at + 3] === v;
  if (s === i && e === i + 1) {
    // The run is exactly this page.
    if (mergePrev && mergeNext) return remove(a, base, n, j, 2);
    if (mergePrev) return remove(a, base, n, j, 1);
    if (mergeNext) {
      a[at + 1] = v;
      return remove(a, base, n, j + 1, 1);
    }
    a[at + 1] = v;
    return n;
  }
  if (s === i) {
    // First page of a longer run.
    if (mergePrev) {
      a[at] = i + 1;
      return n;
    }
    if (n + 1 > max) return -1;
    insert(a, base, n, j, 1);
    a[at] = i;
    a[at + 1] = v;
    a[at + 2] = i + 1;
    return n + 1;
  }
  if (e === i + 1) {
    // Last page of a longer run.
    if (mergeNext) {
      a[at + 2] = i;
      return n;
    }
    if (n + 1 > max) return -1;
    insert(a, base, n, j + 1, 1);
    a[at + 2] = i;
    a[at + 3] = v;
    return n + 1;
  }
  // Inside a run: it becomes three.
  if (n + 2 > max) return -1;
  const w = a[at + 1]!;
  insert(a, base, n, j + 1, 2);
  a[at + 2] = i;
  a[at + 3] = v;
  a[at + 4] = i + 1;
  a[at + 5] = w;
  return n + 2;
}

/** Open `k` runs at position q (shifting runs q.. up). */
function insert(
  a: Uint32Array | Int32Array | Float64Array,
  base: number,
  n: number,
  q: number,
  k: number,
): void {
  for (let x = base + 2 * n - 1; x >= base + 2 * q; x--) a[x + 2 * k] = a[x]!;
}

/** Remove `k` runs at position q (shifting runs above down); returns the new count. */
function remove(
  a: Uint32Array | Int32Array | Float64Array,
  base: number,
  n: number,
  q: number,
  k: number,
): number {
  for (let x = base + 2 * q; x + 2 * k < base + 2 * n; x++) a[x] = a[x + 2 * k]!;
  return n - k;
}

/** Entries per arena chunk (a power of two; slots never straddle chunks). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/**
 * Storage for the run lists of many regions: slots of 4, 8, 12, … runs, each a header (run
 * count, capacity) followed by the interleaved runs, in fixed-size chunks. A region's list takes
 * the smallest slot that holds it and moves up a size when it outgrows it; chunks are added, not
 * copied.
 *
 * Why: fresh memory is what the big workloads pay for most (each new page faults in; on these
 * machines ~20 µs a page). A region of 2–3 runs (the common case: an allocation crossing a
 * page-table page) takes a 4-run slot, not the largest one, and growth never copies the arena.
 *
 * A slot is addressed by a global offset g: chunk g >>> CHUNK_BITS, entry g & CHUNK_MASK (g stays
 * far below 2^31). In chunk array d: d[e] = run count, d[e + 1] = capacity, runs from e + 2.
 */
export class RunSlots<V extends Uint32Array | Int32Array | Float64Array> {
  data: V[] = [];
  /** Free slots per size class (capacity / 4 - 1). */
  private free: number[][] = [];
  /** Entries used in the newest chunk. */
  private top = 0;
  /** Slots in use. */
  used = 0;

  constructor(
    private readonly make: (n: number) => V,
    readonly maxRuns: number,
  ) {
    for (let c = 0; c < maxRuns / 4; c++) this.free.push([]);
  }

  static chunkOf(g: number): number {
    return g >>> CHUNK_BITS;
  }

  static entryOf(g: number): number {
    return g & CHUNK_MASK;
  }

  /** The smallest capacity that holds n runs. */
  static capacityFor(n: number): number {
    return Math.ceil(n / 4) * 4;
  }

  /** A slot of the given capacity (a multiple of 4, at most maxRuns); its count is set to 0. */
  alloc(capacity: number): number {
    const list = this.free[capacity / 4 - 1]!;
    this.used++;
    let g = list.pop();
    if (g === undefined) {
      const size = 2 + 2 * capacity;
      let last = this.data.length - 1;
      if (last < 0 || this.top + size > CHUNK) {
        // The first chunk starts small and grows; once one is full, new ones come whole.
        this.data.push(this.make(last < 0 ? 512 : CHUNK));
        this.top = 0;
        last++;
      }
      if (this.top + size > this.data[last]!.length) {
        // Only the newest chunk grows (up to CHUNK entries), so small machines stay small.
        const n = Math.min(CHUNK, Math.max(2 * this.data[last]!.length, this.top + size));
        const d = this.make(n);
        d.set(this.data[last]!);
        this.data[last] = d;
      }
      g = (last << CHUNK_BITS) + this.top;
      this.top += size;
      this.data[last]![this.top - size + 1] = capacity;
    }
    this.data[g >>> CHUNK_BITS]![g & CHUNK_MASK] = 0;
    return g;
  }

  /** The value of the run of slot g that holds region page i. */
  valueAt(g: number, i: number): number {
    const d = this.data[g >>> CHUNK_BITS]!;
    const e = g & CHUNK_MASK;
    let x = e + 2 + 2 * (d[e]! - 1);
    while (d[x]! > i) x -= 2;
    return d[x + 1]!;
  }

  /** Copy slot g's run starts and values out; returns the run count. */
  copyRuns(
    g: number,
    outStart: Uint16Array,
    outValue: Uint32Array | Int32Array | Float64Array,
  ): number {
    const d = this.data[g >>> CHUNK_BITS]!;
    const b = (g & CHUNK_MASK) + 2;
    const n = d[b - 2]!;
    for (let j = 0; j < n; j++) {
      outStart[j] = d[b + 2 * j]!;
      outValue[j] = d[b + 2 * j + 1]!;
    }
    return n;
  }

  /**
   * Where the run of slot g that holds region page i ends (region-relative, 512 for the last):
   * adjacent runs of a slot always differ, so that is where the next one starts.
   */
  runEndAt(g: number, i: number, regionPages: number): number {
    const d = this.data[g >>> CHUNK_BITS]!;
    const e = g & CHUNK_MASK;
    const n = d[e]!;
    let j = n - 1;
    while (d[e + 2 + 2 * j]! > i) j--;
    return j + 1 < n ? d[e + 2 + 2 * (j + 1)]! : regionPages;
  }

  capacityOf(g: number): number {
    return this.data[g >>> CHUNK_BITS]![(g & CHUNK_MASK) + 1]!;
  }

  release(g: number): void {
    this.used--;
    this.free[this.capacityOf(g) / 4 - 1]!.push(g);
  }

  get bytes(): number {
    let n = 0;
    for (const d of this.data) n += d.byteLength;
    return n;
  }

  /** Become a copy of src, reusing this arena's chunks (restoring a checkpoint). */
  copyFrom(src: RunSlots<V>): void {
    // Extra room in a reused last chunk is harmless: entries past `top` are never read.
    this.data = intoAll(this.data, src.data, true);
    this.free = src.free.map((l) => l.slice());
    this.top = src.top;
    this.used = src.used;
  }

  /**
   * A copy holding only the slots an owner refers to, packed in region order (checkpoints): slot
   * g is slotOf[r] = -(g + 2), and the copy's offsets are written back into slotOf (the owner's
   * copy of it). Released slots are left out: a run whose regions went dense or uniform leaves
   * most of its arena free (tens of MiB on a long 128 GiB churn). Capacities are kept, so the
   * copy grows and moves slots exactly when the original would; only offsets differ.
   */
  compacted(slotOf: Int32Array): RunSlots<V> {
    const c = new RunSlots(this.make, this.maxRuns);
    for (let r = 0; r < slotOf.length; r++) {
      const s = slotOf[r]!;
      if (s > -2) continue;
      const g = -s - 2;
      const cap = this.capacityOf(g);
      const ng = c.alloc(cap);
      const e = g & CHUNK_MASK;
      c.data[ng >>> CHUNK_BITS]!.set(
        this.data[g >>> CHUNK_BITS]!.subarray(e, e + 2 + 2 * cap),
        ng & CHUNK_MASK,
      );
      slotOf[r] = -ng - 2;
    }
    const last = c.data.length - 1;
    if (last >= 0 && c.data[last]!.length > c.top)
      c.data[last] = c.data[last]!.slice(0, c.top) as V;
    return c;
  }

  clone(): RunSlots<V> {
    const c = new RunSlots(this.make, this.maxRuns);
    // Full chunks whole; the newest only as far as it is used.
    const last = this.data.length - 1;
    c.data = this.data.map((a, i) => (i === last ? a.slice(0, this.top) : a.slice()) as V);
    c.free = this.free.map((l) => l.slice());
    c.top = this.top;
    c.used = this.used;
    return c;
  }
}

/** Dense 512-entry slots per chunk of a dense pool (a power of two). */
const DENSE_BITS = 5;
const DENSE_PER = 1 << DENSE_BITS;
const DENSE_MASK = DENSE_PER - 1;
const REGION_ENTRIES = 512;

/**
 * The dense regions of RegionWords and LinearMap: 512 entries a slot, in chunks of DENSE_PER
 * slots (the first chunk starts at 4 slots and doubles, so small machines stay small; later
 * chunks come whole; none is ever copied), each slot with its run count kept by the owner so no
 * write rescans a region. Slot s's entries are chunk(s)[base(s) .. base(s) + 512).
 */
export class DenseSlots<A extends Uint32Array | Int32Array | Float64Array> {
  private chunks: A[] = [];
  private runCounts: Int16Array[] = [];
  private free: number[] = [];
  private used = 0;

  constructor(private readonly make: (n: number) => A) {}

  static base(slot: number): number {
    return (slot & DENSE_MASK) * REGION_ENTRIES;
  }

  chunk(slot: number): A {
    return this.chunks[slot >>> DENSE_BITS]!;
  }

  /** Slots in use. */
  get count(): number {
    return this.used - this.free.length;
  }

  get bytes(): number {
    let n = 0;
    for (let i = 0; i < this.chunks.length; i++)
      n += this.chunks[i]!.byteLength + this.runCounts[i]!.byteLength;
    return n;
  }

  runs(slot: number): number {
    return this.runCounts[slot >>> DENSE_BITS]![slot & DENSE_MASK]!;
  }

  setRuns(slot: number, n: number): void {
    this.runCounts[slot >>> DENSE_BITS]![slot & DENSE_MASK] = n;
  }

  alloc(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const slot = this.used++;
    const ci = slot >>> DENSE_BITS;
    const at = DenseSlots.base(slot);
    if (ci >= this.chunks.length) {
      this.chunks.push(this.make((ci === 0 ? 4 : DENSE_PER) * REGION_ENTRIES));
      this.runCounts.push(new Int16Array(DENSE_PER));
    } else if (at >= this.chunks[ci]!.length) {
      const c = this.chunks[ci]!;
      const grown = this.make(
        Math.min(DENSE_PER * REGION_ENTRIES, Math.max(2 * c.length, at + REGION_ENTRIES)),
      );
      grown.set(c);
      this.chunks[ci] = grown;
    }
    return slot;
  }

  release(slot: number): void {
    this.free.push(slot);
  }

  /** Become a copy of src, reusing this pool's chunks (spare room zeroed). */
  copyFrom(src: DenseSlots<A>): void {
    this.chunks = intoAll(this.chunks, src.chunks, true);
    this.runCounts = intoAll(this.runCounts, src.runCounts);
    this.free = src.free.slice();
    this.used = src.used;
  }

  /**
   * A copy holding only the slots an owner refers to (slotOf[r] >= 0), packed in region order;
   * the copy's slot numbers are written back into slotOf (the owner's copy of it).
   */
  compacted(slotOf: Int32Array): DenseSlots<A> {
    const c = new DenseSlots(this.make);
    for (let r = 0; r < slotOf.length; r++) {
      const s = slotOf[r]!;
      if (s < 0) continue;
      const ns = c.alloc();
      const b = DenseSlots.base(s);
      c.chunk(ns).set(this.chunk(s).subarray(b, b + REGION_ENTRIES), DenseSlots.base(ns));
      c.setRuns(ns, this.runs(s));
      slotOf[r] = ns;
    }
    return c;
  }

  clone(): DenseSlots<A> {
    const c = new DenseSlots(this.make);
    c.chunks = this.chunks.map((a) => a.slice() as A);
    c.runCounts = this.runCounts.map((a) => a.slice());
    c.free = this.free.slice();
    c.used = this.used;
    return c;
  }
}
