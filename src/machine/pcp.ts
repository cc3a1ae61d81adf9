/**
 * One per-cpu free list (struct per_cpu_pages, one list of one CPU: one migratetype, one order),
 * LIFO, stored as runs of blocks so a refill of 63 consecutive pages or a bulk drain costs
 * O(runs), not O(pages). A run [pfn, pfn + count × step) pops pfn first; freeing pfn − step onto
 * it extends it downward, which keeps the exact LIFO order. `step` is 2^order pages.
 */
export class PerCpuPages {
  private pfn: number[] = [];
  private cnt: number[] = [];
  /** Blocks on the list (pcp->count counts pages: length × step). */
  length = 0;

  constructor(readonly step = 1) {}

  /** The most recently freed block (head of the list), or undefined. */
  pop(): number | undefined {
    const top = this.pfn.length - 1;
    if (top < 0) return undefined;
    const p = this.pfn[top]!;
    if (this.cnt[top] === 1) {
      this.pfn.pop();
      this.cnt.pop();
    } else {
      this.pfn[top] = p + this.step;
      this.cnt[top]!--;
    }
    this.length--;
    return p;
  }

  /** Take up to n blocks from the head as runs of pages (each ascending). */
  popRun(n: number, out: (pfn: number, count: number) => void): number {
    let got = 0;
    while (got < n && this.pfn.length > 0) {
      const top = this.pfn.length - 1;
      const take = Math.min(n - got, this.cnt[top]!);
      out(this.pfn[top]!, take * this.step);
      if (take === this.cnt[top]) {
        this.pfn.pop();
        this.cnt.pop();
      } else {
        this.pfn[top]! += take * this.step;
        this.cnt[top]! -= take;
      }
      got += take;
    }
    this.length -= got;
    return got;
  }

  /** Free one block onto the head. */
  push(pfn: number): void {
    const top = this.pfn.length - 1;
    if (top >= 0 && this.pfn[top] === pfn + this.step) {
      this.pfn[top] = pfn;
      this.cnt[top]!++;
    } else {
      this.pfn.push(pfn);
      this.cnt.push(1);
    }
    this.length++;
  }

  /** Put count consecutive blocks from pfn on the head so that pfn pops first. */
  pushRun(pfn: number, count: number): void {
    this.pfn.push(pfn);
    this.cnt.push(count);
    this.length += count;
  }

  /** Remove the n oldest blocks (the tail of the list), oldest first. */
  drainOldest(n: number, out: (pfn: number) => void): void {
    let left = Math.min(n, this.length);
    this.length -= left;
    let i = 0;
    while (left > 0) {
      // The tail of the bottom run is its highest block (pushed first).
      const c = this.cnt[i]!;
      const take = Math.min(left, c);
      for (let k = 0; k < take; k++) out(this.pfn[i]! + (c - 1 - k) * this.step);
      this.cnt[i] = c - take;
      left -= take;
      if (this.cnt[i] === 0) i++;
    }
    this.pfn.splice(0, i);
    this.cnt.splice(0, i);
  }

  /** Every block, head first (for buddyinfo and invariants). */
  forEach(out: (pfn: number) => void): void {
    for (let i = this.pfn.length - 1; i >= 0; i--)
      for (let k = 0; k < this.cnt[i]!; k++) out(this.pfn[i]! + k * this.step);
  }

  copyFrom(src: PerCpuPages): void {
    this.pfn = src.pfn.slice();
    this.cnt = src.cnt.slice();
    this.length = src.length;
  }

  clone(): PerCpuPages {
    const c = new PerCpuPages(this.step);
    c.copyFrom(this);
    return c;
  }
}
