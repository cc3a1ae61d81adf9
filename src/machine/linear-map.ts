/**
 * A sparse page → frame-number map grouped in 512-page regions, for the translations that are
 * almost always linear: guest frame → host frame for one guest's memory, and host frame → guest
 * frame for the RMP's GPA field. A region whose pages map to base + i costs one number; per-page
 * detail exists only where the mapping is scattered (the "random" allocator, interleaved frees).
 *
 * Values are meaningful only where the owner says the page is mapped (a state bit kept
 * elsewhere): unmapped pages are "don't care", which is what keeps a partly backed region linear.
 */

const REGION = 512;

export class LinearMap {
  private readonly base: Float64Array;
  private readonly slotOf: Int32Array;
  private pool: Float64Array;
  private readonly freeSlots: number[] = [];
  private usedSlots = 0;

  constructor(pages: number) {
    const regions = Math.ceil(pages / REGION);
    this.base = new Float64Array(regions).fill(Number.NaN);
    this.slotOf = new Int32Array(regions).fill(-1);
    this.pool = new Float64Array(0);
  }

  get bytes(): number {
    return this.base.byteLength + this.slotOf.byteLength + this.pool.byteLength;
  }

  get detailRegions(): number {
    return this.usedSlots - this.freeSlots.length;
  }

  /** The region's linear base (page i of the region → base + i), or NaN when it has detail. */
  linearBase(region: number): number {
    return this.slotOf[region]! < 0 ? this.base[region]! : Number.NaN;
  }

  get(page: number): number {
    const r = Math.floor(page / REGION);
    const slot = this.slotOf[r]!;
    const off = page - r * REGION;
    return slot < 0 ? this.base[r]! + off : this.pool[slot * REGION + off]!;
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
      this.setInRegion(r, a, b, value + (p - page));
      p = rs + b;
    }
  }

  private setInRegion(r: number, a: number, b: number, v: number): void {
    const slot = this.slotOf[r]!;
    const wantBase = v - a;
    if (slot < 0) {
      const base = this.base[r]!;
      if (Number.isNaN(base) || (a === 0 && b === REGION) || base === wantBase) {
        this.base[r] = wantBase;
        return;
      }
      const s = this.allocSlot(r, base);
      for (let i = a; i < b; i++) this.pool[s * REGION + i] = wantBase + i;
      return;
    }
    const off = slot * REGION;
    for (let i = a; i < b; i++) this.pool[off + i] = wantBase + i;
    // Collapse when linear again, scanning outside the write first to fail fast.
    const d0 = this.pool[off]!;
    for (let i = REGION - 1; i >= b; i--) if (this.pool[off + i] !== d0 + i) return;
    for (let i = 1; i < REGION; i++) if (this.pool[off + i] !== d0 + i) return;
    this.base[r] = d0;
    this.slotOf[r] = -1;
    this.freeSlots.push(slot);
  }

  private allocSlot(r: number, base: number): number {
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
    for (let i = 0; i < REGION; i++) this.pool[slot * REGION + i] = base + i;
    this.slotOf[r] = slot;
    return slot;
  }

  clone(): LinearMap {
    const c = Object.create(LinearMap.prototype) as LinearMap;
    Object.assign(c, this, {
      base: this.base.slice(),
      slotOf: this.slotOf.slice(),
      pool: this.pool.slice(0, this.usedSlots * REGION),
      freeSlots: this.freeSlots.slice(),
    });
    return c;
  }
}
