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

  /**
   * Become a copy of src, reusing this arena's chunks (checkpoints, restores). slotOf is the
   * owner's copy of src's slot table: slot g is slotOf[r] = -(g + 2). A src with released slots
   * is packed (see packFrom); a packed one is copied whole.
   */
  copyFrom(src: RunSlots<V>, slotOf: Int32Array): void {
    if (src.free.some((l) => l.length > 0)) {
      this.packFrom(src, slotOf);
      return;
    }
    // Extra room in a reused last chunk is harmless: entries past `top` are never read.
    this.data = intoAll(this.data, src.data, true);
    this.free = src.free.map((l) => l.slice());
    this.top = src.top;
    this.used = src.used;
  }

  /**
   * Become a copy of only the slots of src that slotOf refers to, packed in region order, with
   * slotOf rewritten to the new offsets. Released slots are left out: on a long churn most
   * regions end dense or uniform and their run slots stay free (58 MiB of one 10 M-event virtio
   * checkpoint's 367 MiB). Capacities are kept, so the copy moves a list to a larger slot exactly
   * when src would; only offsets differ, and nothing reads them but the owner.
   */
  packFrom(src: RunSlots<V>, slotOf: Int32Array): void {
    const old = this.data;
    const data: V[] = [];
    let dst: V | undefined;
    let fresh = false;
    let top = CHUNK;
    let used = 0;
    for (let r = 0; r < slotOf.length; r++) {
      const s = slotOf[r]!;
      if (s > -2) continue;
      const g = -s - 2;
      const d = src.data[g >>> CHUNK_BITS]!;
      const e = g & CHUNK_MASK;
      const n = d[e]!;
      const cap = d[e + 1]!;
      if (top + 2 + 2 * cap > CHUNK) {
        const o = old[data.length];
        fresh = o === undefined || o.length !== CHUNK;
        dst = fresh ? this.make(CHUNK) : o!;
        data.push(dst);
        top = 0;
      }
      dst![top] = n;
      dst![top + 1] = cap;
      for (let x = 2; x < 2 + 2 * n; x++) dst![top + x] = d[e + x]!;
      slotOf[r] = -((((data.length - 1) << CHUNK_BITS) + top) as number) - 2;
      top += 2 + 2 * cap;
      used++;
    }
    // A fresh last chunk only as long as it is used (it grows again in alloc).
    if (fresh && top < CHUNK) data[data.length - 1] = dst!.slice(0, top) as V;
    this.data = data;
    this.free = src.free.map(() => []);
    this.top = data.length > 0 ? top : 0;
    this.used = used;
  }

  /** A packed copy of the slots slotOf refers to (slotOf rewritten; see packFrom). */
  compacted(slotOf: Int32Array): RunSlots<V> {
    const c = new RunSlots(this.make, this.maxRuns);
    c.packFrom(this, slotOf);
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

  /**
   * Become a copy of src, reusing this pool's chunks (spare room zeroed). slotOf is the owner's
   * copy of src's slot table (slot s is slotOf[r] = s >= 0): a src with released slots is
   * packed (see packFrom); a packed one is copied whole.
   */
  copyFrom(src: DenseSlots<A>, slotOf: Int32Array): void {
    if (src.free.length > 0) {
      this.packFrom(src, slotOf);
      return;
    }
    this.chunks = intoAll(this.chunks, src.chunks, true);
    this.runCounts = intoAll(this.runCounts, src.runCounts);
    this.free = [];
    this.used = src.used;
  }

  /**
   * Become a copy of src's slots in use, renumbered in slot order without the released ones
   * (slotOf rewritten), so a checkpoint holds no freed 512-entry slots; consecutive slots are
   * copied as one block. Slot numbers are read by nothing but the owner.
   */
  packFrom(src: DenseSlots<A>, slotOf: Int32Array): void {
    const n = src.used;
    const remap = new Int32Array(n);
    for (const f of src.free) remap[f] = -1;
    let k = 0;
    for (let s = 0; s < n; s++) if (remap[s] === 0) remap[s] = k++;
    const chunks: A[] = [];
    const runCounts: Int16Array[] = [];
    const nChunks = Math.ceil(k / DENSE_PER);
    for (let ci = 0; ci < nChunks; ci++) {
      const slots = ci === nChunks - 1 ? k - ci * DENSE_PER : DENSE_PER;
      const need = slots * REGION_ENTRIES;
      const o = this.chunks[ci];
      const full = DENSE_PER * REGION_ENTRIES;
      const fits = o !== undefined && (slots === DENSE_PER ? o.length === full : o.length >= need);
      chunks.push(fits ? o! : this.make(need));
      runCounts.push(this.runCounts[ci] ?? new Int16Array(DENSE_PER));
    }
    for (let s = 0; s < n; ) {
      const ns = remap[s]!;
      if (ns < 0) {
        s++;
        continue;
      }
      // Extend over live slots in the same chunk on both sides.
      let e = s + 1;
      while (
        e < n &&
        remap[e]! >= 0 &&
        e >>> DENSE_BITS === s >>> DENSE_BITS &&
        remap[e]! >>> DENSE_BITS === ns >>> DENSE_BITS
      )
        e++;
      const b = DenseSlots.base(s);
      chunks[ns >>> DENSE_BITS]!.set(
        src.chunk(s).subarray(b, b + (e - s) * REGION_ENTRIES),
        DenseSlots.base(ns),
      );
      for (let x = s; x < e; x++) {
        const nx = remap[x]!;
        runCounts[nx >>> DENSE_BITS]![nx & DENSE_MASK] = src.runs(x);
      }
      s = e;
    }
    for (let r = 0; r < slotOf.length; r++) {
      const s = slotOf[r]!;
      if (s >= 0) slotOf[r] = remap[s]!;
    }
    this.chunks = chunks;
    this.runCounts = runCounts;
    this.free = [];
    this.used = k;
  }

  /** A packed copy of the slots in use (slotOf rewritten; see packFrom). */
  compacted(slotOf: Int32Array): DenseSlots<A> {
    const c = new DenseSlots(this.make);
    c.packFrom(this, slotOf);
    return c;
  }
}
