/** A LIFO list of pfns in a typed array (the end is the head): no per-push array growth checks. */
export class PfnStack {
  private data: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(capacity);
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  reserve(n: number): void {
    if (n <= this.data.length) return;
    const d = new Float64Array(Math.max(n, 2 * this.data.length, 16));
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }

  push(pfn: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = pfn;
  }

  /** Put pfns under the tail (index 0 is the tail): pfns[0] ends up as the new tail. */
  unshiftMany(pfns: readonly number[]): void {
    const k = pfns.length;
    this.reserve(this.length + k);
    this.data.copyWithin(k, 0, this.length);
    for (let i = 0; i < k; i++) this.data[i] = pfns[i]!;
    this.length += k;
  }

  pop(): number {
    return this.data[--this.length]!;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  top(): number {
    return this.data[this.length - 1]!;
  }

  /** Swap entry i with the head (random placement). */
  swapToTop(i: number): void {
    const last = this.length - 1;
    const t = this.data[i]!;
    this.data[i] = this.data[last]!;
    this.data[last] = t;
  }

  /** Keep only the entries that pass, in order. */
  keep(pass: (pfn: number) => boolean): void {
    let k = 0;
    for (let i = 0; i < this.length; i++) {
      const pfn = this.data[i]!;
      if (pass(pfn)) this.data[k++] = pfn;
    }
    this.length = k;
  }

  copyFrom(src: PfnStack): void {
    this.reserve(src.length);
    this.data.set(src.data.subarray(0, src.length));
    this.length = src.length;
  }

  clone(): PfnStack {
    const c = new PfnStack(this.length);
    c.data.set(this.data.subarray(0, this.length));
    c.length = this.length;
    return c;
  }
}
