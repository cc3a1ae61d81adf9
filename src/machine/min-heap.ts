/** The "packed" allocator's free lists: one min-heap by pfn per order (lowest address first). */
import type { FreeHeads } from './free-heads';

/** Min-heap of one order's free block heads by pfn; an entry is live while it heads a free block of that order. */
export class MinHeap {
  pfn: number[] = [];

  constructor(readonly order: number) {}

  push(pfn: number): void {
    const a = this.pfn;
    let i = a.length;
    a.push(pfn);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= pfn) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = pfn;
  }

  private popRoot(): void {
    const a = this.pfn;
    const last = a.pop()!;
    if (a.length === 0) return;
    let i = 0;
    const n = a.length;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && a[c + 1]! < a[c]!) c++;
      if (a[c]! >= last) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
  }

  /** Lowest live pfn, or -1. */
  peek(live: FreeHeads): number {
    while (this.pfn.length > 0) {
      if (live.get(this.pfn[0]!) === this.order) return this.pfn[0]!;
      this.popRoot();
    }
    return -1;
  }

  pop(live: FreeHeads): number {
    const p = this.peek(live);
    if (p >= 0) this.popRoot();
    return p;
  }

  clone(): MinHeap {
    const h = new MinHeap(this.order);
    h.pfn = this.pfn.slice();
    return h;
  }
}
