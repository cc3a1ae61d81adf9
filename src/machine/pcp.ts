/**
 * One per-cpu free list (struct per_cpu_pages, one list of one CPU: one migratetype, one order),
 * LIFO, stored as runs of blocks so a refill of 63 consecutive pages or a bulk drain costs
 * O(runs), not O(pages). A run [pfn, pfn + count × step) pops pfn first; freeing pfn − step onto
 * it extends it downward, which keeps the exact LIFO order. `step` is 2^order pages.
 *
 * The runs live in typed arrays used as a deque: [lo, hi) holds them, the tail (oldest) at lo,
 * the head at hi − 1, so draining the tail and popping the head allocate nothing (the churn
 * frees and refills these lists on every event).
 */
export class PerCpuPages {
  private pfn = new Float64Array(8);
  private cnt = new Float64Array(8);
  private lo = 0;
  private hi = 0;
  /** Blocks on the list (pcp->count counts pages: length × step). */
  length = 0;

  constructor(readonly step = 1) {}

  /** Room for one more run at the head. */
  private room(): void {
    if (this.hi < this.pfn.length) return;
    const n = this.hi - this.lo;
    if (n * 2 > this.pfn.length) {
      const p = new Float64Array(this.pfn.length * 2);
      const c = new Float64Array(this.pfn.length * 2);
      p.set(this.pfn.subarray(this.lo, this.hi));
      c.set(this.cnt.subarray(this.lo, this.hi));
      this.pfn = p;
      this.cnt = c;
    } else {
      this.pfn.copyWithin(0, this.lo, this.hi);
      this.cnt.copyWithin(0, this.lo, this.hi);
    }
    this.lo = 0;
    this.hi = n;
  }

  /** The most recently freed block (head of the list), or undefined. */
  pop(): number | undefined {
    if (this.hi === this.lo) return undefined;
    const top = this.hi - 1;
    const p = this.pfn[top]!;
    if (this.cnt[top] === 1) this.hi--;
    else {
      this.pfn[top] = p + this.step;
      this.cnt[top]!--;
    }
    this.length--;
    if (this.hi === this.lo) this.lo = this.hi = 0;
    return p;
  }

  /** Take up to n blocks from the head as runs of pages (each ascending). */
  popRun(n: number, out: (pfn: number, count: number) => void): number {
    let got = 0;
    while (got < n && this.hi > this.lo) {
      const top = this.hi - 1;
      const take = Math.min(n - got, this.cnt[top]!);
      out(this.pfn[top]!, take * this.step);
      if (take === this.cnt[top]) this.hi--;
      else {
        this.pfn[top]! += take * this.step;
        this.cnt[top]! -= take;
      }
      got += take;
    }
    this.length -= got;
    if (this.hi === this.lo) this.lo = this.hi = 0;
    return got;
  }

  /** Free one block onto the head. */
  push(pfn: number): void {
    const top = this.hi - 1;
    if (top >= this.lo && this.pfn[top] === pfn + this.step) {
      this.pfn[top] = pfn;
      this.cnt[top]!++;
    } else {
      this.room();
      this.pfn[this.hi] = pfn;
      this.cnt[this.hi++] = 1;
    }
    this.length++;
  }

  /** Put count consecutive blocks from pfn on the head so that pfn pops first. */
  pushRun(pfn: number, count: number): void {
    this.room();
    this.pfn[this.hi] = pfn;
    this.cnt[this.hi++] = count;
    this.length += count;
  }

  /** Remove the n oldest blocks (the tail of the list), oldest first; `arg` is passed on. */
  drainOldest(n: number, out: (pfn: number, arg: number) => void, arg = 0): void {
    let left = Math.min(n, this.length);
    this.length -= left;
    while (left > 0) {
      // The tail of the bottom run is its highest block (pushed first).
      const i = this.lo;
      const c = this.cnt[i]!;
      const take = Math.min(left, c);
      for (let k = 0; k < take; k++) out(this.pfn[i]! + (c - 1 - k) * this.step, arg);
      this.cnt[i] = c - take;
      left -= take;
      if (this.cnt[i] === 0) this.lo++;
    }
    if (this.hi === this.lo) this.lo = this.hi = 0;
  }

  /** Every block, head first (for buddyinfo and invariants). */
  forEach(out: (pfn: number) => void): void {
    for (let i = this.hi - 1; i >= this.lo; i--)
      for (let k = 0; k < this.cnt[i]!; k++) out(this.pfn[i]! + k * this.step);
  }

  copyFrom(src: PerCpuPages): void {
    const n = src.hi - src.lo;
    if (this.pfn.length < n) {
      this.pfn = new Float64Array(src.pfn.length);
      this.cnt = new Float64Array(src.pfn.length);
    }
    this.pfn.set(src.pfn.subarray(src.lo, src.hi));
    this.cnt.set(src.cnt.subarray(src.lo, src.hi));
    this.lo = 0;
    this.hi = n;
    this.length = src.length;
  }

  clone(): PerCpuPages {
    const c = new PerCpuPages(this.step);
    c.copyFrom(this);
    return c;
  }
}
