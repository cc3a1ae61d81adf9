/**
 * The per-cpu free list of order-0 pages (struct per_cpu_pages, one CPU), LIFO, stored as runs
 * so a refill of 63 consecutive pages or a bulk drain costs O(runs), not O(pages). A run
 * [pfn, pfn + count) pops pfn first; freeing pfn − 1 onto it extends it downward, which keeps
 * the exact LIFO page order.
 */
export class PerCpuPages {
  private pfn: number[] = [];
  private cnt: number[] = [];
  length = 0;

  /** The most recently freed page (head of the list), or undefined. */
  pop(): number | undefined {
    const top = this.pfn.length - 1;
    if (top < 0) return undefined;
    const p = this.pfn[top]!;
    if (this.cnt[top] === 1) {
      this.pfn.pop();
      this.cnt.pop();
    } else {
      this.pfn[top] = p + 1;
      this.cnt[top]!--;
    }
    this.length--;
    return p;
  }

  /** Take up to n pages from the head as runs (each ascending). */
  popRun(n: number, out: (pfn: number, count: number) => void): number {
    let got = 0;
    while (got < n && this.pfn.length > 0) {
      const top = this.pfn.length - 1;
      const take = Math.min(n - got, this.cnt[top]!);
      out(this.pfn[top]!, take);
      if (take === this.cnt[top]) {
        this.pfn.pop();
        this.cnt.pop();
      } else {
        this.pfn[top]! += take;
        this.cnt[top]! -= take;
      }
      got += take;
    }
    this.length -= got;
    return got;
  }

  /** Free one page onto the head. */
  push(pfn: number): void {
    const top = this.pfn.length - 1;
    if (top >= 0 && this.pfn[top] === pfn + 1) {
      this.pfn[top] = pfn;
      this.cnt[top]!++;
    } else {
      this.pfn.push(pfn);
      this.cnt.push(1);
    }
    this.length++;
  }

  /** Put pages [pfn, pfn + count) on the head so that pfn pops first. */
  pushRun(pfn: number, count: number): void {
    this.pfn.push(pfn);
    this.cnt.push(count);
    this.length += count;
  }

  /** Remove the n oldest pages (the tail of the list), oldest first. */
  drainOldest(n: number, out: (pfn: number) => void): void {
    let left = Math.min(n, this.length);
    this.length -= left;
    let i = 0;
    while (left > 0) {
      // The tail of the bottom run is its highest page (pushed first).
      const c = this.cnt[i]!;
      const take = Math.min(left, c);
      for (let k = 0; k < take; k++) out(this.pfn[i]! + c - 1 - k);
      this.cnt[i] = c - take;
      left -= take;
      if (this.cnt[i] === 0) i++;
    }
    this.pfn.splice(0, i);
    this.cnt.splice(0, i);
  }

  copyFrom(src: PerCpuPages): void {
    this.pfn = src.pfn.slice();
    this.cnt = src.cnt.slice();
    this.length = src.length;
  }

  clone(): PerCpuPages {
    const c = new PerCpuPages();
    c.pfn = this.pfn.slice();
    c.cnt = this.cnt.slice();
    c.length = this.length;
    return c;
  }
}
