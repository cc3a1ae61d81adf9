/**
 * In-place edit of one region's run list, shared by RegionWords (runs of equal words) and
 * LinearMap (runs of equal frame offsets): the runs live at [off, off + n) of a start array and a
 * value array; run q covers [start[q], start[q + 1]) (the last one up to the region's end), and
 * adjacent runs hold different values.
 *
 * Setting one page is the churn's commonest edit (a 4K share, unshare or allocation). Rebuilding
 * the list costs O(runs) copies twice; editing in place costs a shift of the tail at most.
 */

/**
 * Give page i (inside run j) the value v (different from run j's value). Returns the new run
 * count, or -1, changing nothing, when the result would need more than max runs.
 */
export function setOneInRuns(
  start: Uint16Array,
  value: Uint32Array | Float64Array,
  off: number,
  n: number,
  j: number,
  i: number,
  v: number,
  regionEnd: number,
  max: number,
): number {
  const at = off + j;
  const s = start[at]!;
  const e = j + 1 < n ? start[at + 1]! : regionEnd;
  const mergePrev = j > 0 && value[at - 1] === v;
  const mergeNext = j + 1 < n && value[at + 1] === v;
  if (s === i && e === i + 1) {
    // The run is exactly this page.
    if (mergePrev && mergeNext) return remove(start, value, off, n, j, 2);
    if (mergePrev) return remove(start, value, off, n, j, 1);
    if (mergeNext) {
      value[at] = v;
      return remove(start, value, off, n, j + 1, 1);
    }
    value[at] = v;
    return n;
  }
  if (s === i) {
    // First page of a longer run.
    if (mergePrev) {
      start[at] = i + 1;
      return n;
    }
    if (n + 1 > max) return -1;
    insert(start, value, off, n, j, 1);
    start[at] = i;
    value[at] = v;
    start[at + 1] = i + 1;
    return n + 1;
  }
  if (e === i + 1) {
    // Last page of a longer run.
    if (mergeNext) {
      start[at + 1] = i;
      return n;
    }
    if (n + 1 > max) return -1;
    insert(start, value, off, n, j + 1, 1);
    start[at + 1] = i;
    value[at + 1] = v;
    return n + 1;
  }
  // Inside a run: it becomes three.
  if (n + 2 > max) return -1;
  const w = value[at]!;
  insert(start, value, off, n, j + 1, 2);
  start[at + 1] = i;
  value[at + 1] = v;
  start[at + 2] = i + 1;
  value[at + 2] = w;
  return n + 2;
}

/** Open `k` slots at position q (shifting runs q.. up). */
function insert(
  start: Uint16Array,
  value: Uint32Array | Float64Array,
  off: number,
  n: number,
  q: number,
  k: number,
): void {
  for (let x = off + n - 1; x >= off + q; x--) {
    start[x + k] = start[x]!;
    value[x + k] = value[x]!;
  }
}

/** Remove `k` runs at position q (shifting runs above down); returns the new count. */
function remove(
  start: Uint16Array,
  value: Uint32Array | Float64Array,
  off: number,
  n: number,
  q: number,
  k: number,
): number {
  for (let x = off + q; x + k < off + n; x++) {
    start[x] = start[x + k]!;
    value[x] = value[x + k]!;
  }
  return n - k;
}

/** Entries per arena chunk (a power of two; slots never straddle chunks). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/**
 * Storage for run lists of many regions: slots of 4, 8, 12, … runs, each with a header entry
 * (start = run count, value = capacity), in fixed-size chunks. A region's list takes the smallest
 * slot that holds it and moves up a size when it outgrows it; chunks are added, never copied.
 *
 * Why: fresh memory is what the big workloads pay for most (each new page faults in; on these
 * machines ~20 µs a page). A region of 2–3 runs (the common case: an allocation crossing a
 * page-table page) takes a 4-run slot, not the largest one, and growth never copies the arena.
 *
 * A slot is addressed by a global offset g: chunk g >>> CHUNK_BITS, entry g & CHUNK_MASK (g stays
 * far below 2^31). Callers read starts[chunk][entry + 1 + j] and values[chunk][entry + 1 + j].
 */
export class RunSlots<V extends Uint32Array | Float64Array> {
  starts: Uint16Array[] = [];
  values: V[] = [];
  /** Free slots per size class (capacity / 4 - 1). */
  private free: number[][] = [];
  /** Entries used in the newest chunk. */
  private top = 0;
  /** Slots in use. */
  used = 0;

  constructor(
    private readonly makeValues: (n: number) => V,
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
      const size = capacity + 1;
      let last = this.starts.length - 1;
      if (last < 0 || this.top + size > CHUNK) {
        // The first chunk starts small and grows; once one is full, new ones come whole.
        const n = last < 0 ? 256 : CHUNK;
        this.starts.push(new Uint16Array(n));
        this.values.push(this.makeValues(n));
        this.top = 0;
        last++;
      }
      if (this.top + size > this.starts[last]!.length) {
        // Only the newest chunk grows (up to CHUNK entries), so small machines stay small.
        const n = Math.min(CHUNK, Math.max(2 * this.starts[last]!.length, this.top + size));
        const st = new Uint16Array(n);
        st.set(this.starts[last]!);
        const va = this.makeValues(n);
        va.set(this.values[last]!);
        this.starts[last] = st;
        this.values[last] = va;
      }
      g = (last << CHUNK_BITS) + this.top;
      this.top += capacity + 1;
      this.values[g >>> CHUNK_BITS]![g & CHUNK_MASK] = capacity;
    }
    this.starts[g >>> CHUNK_BITS]![g & CHUNK_MASK] = 0;
    return g;
  }

  capacityOf(g: number): number {
    return this.values[g >>> CHUNK_BITS]![g & CHUNK_MASK]!;
  }

  release(g: number): void {
    this.used--;
    this.free[this.capacityOf(g) / 4 - 1]!.push(g);
  }

  get bytes(): number {
    let n = 0;
    for (let i = 0; i < this.starts.length; i++)
      n += this.starts[i]!.byteLength + this.values[i]!.byteLength;
    return n;
  }

  clone(): RunSlots<V> {
    const c = new RunSlots(this.makeValues, this.maxRuns);
    // Full chunks whole; the newest only as far as it is used.
    const last = this.starts.length - 1;
    c.starts = this.starts.map((a, i) => (i === last ? a.slice(0, this.top) : a.slice()));
    c.values = this.values.map((a, i) => (i === last ? a.slice(0, this.top) : a.slice()) as V);
    c.free = this.free.map((l) => l.slice());
    c.top = this.top;
    c.used = this.used;
    return c;
  }
}

/** Dense 512-entry slots per chunk of a dense pool (a power of two). */
export const DENSE_CHUNK_BITS = 5;

/**
 * Room for dense slot `slot` in a chunked pool of 512-entry slots: the first chunk starts at 4
 * slots and doubles (small machines stay small, checkpoints copy little); later chunks come whole.
 * Earlier chunks are never copied. Returns the (possibly same) chunk list.
 */
export function growDense<A extends Uint32Array | Float64Array>(
  chunks: A[],
  slot: number,
  make: (n: number) => A,
): A[] {
  const per = 1 << DENSE_CHUNK_BITS;
  const ci = slot >>> DENSE_CHUNK_BITS;
  const at = (slot & (per - 1)) * 512;
  if (ci >= chunks.length) {
    chunks.push(make((ci === 0 ? 4 : per) * 512));
    return chunks;
  }
  const c = chunks[ci]!;
  if (at < c.length) return chunks;
  const grown = make(Math.min(per * 512, Math.max(2 * c.length, at + 512)));
  grown.set(c);
  chunks[ci] = grown;
  return chunks;
}
