/**
 * Which pages head a free buddy block, and of what order: the struct page PageBuddy/buddy_order
 * bits, stored sparsely. A wholly free max-order block (the common case on a big host) costs one
 * byte; only partly allocated blocks hold a 1,024-byte detail slot, recycled through a free list.
 * Replaces a Map keyed by pfn, which cost a hash lookup per buddy step.
 *
 * Detail slots hold order + 1 (0 = not a head), so fresh pool memory is already clean, and a slot
 * is released only when its last head is deleted, i.e. clean again: no slot is ever refilled.
 */
const BLOCK = 1024;
const NONE = 0;
const WHOLE = 1;
const PARTIAL = 2;

export class FreeHeads {
  private state = new Uint8Array(0);
  private slotOf = new Int32Array(0);
  private pool = new Int8Array(0);
  private heads = new Uint16Array(0);
  private freeSlots: number[] = [];
  private usedSlots = 0;
  size = 0;

  get bytes(): number {
    return (
      this.state.byteLength + this.slotOf.byteLength + this.pool.byteLength + this.heads.byteLength
    );
  }

  constructor(private readonly maxOrder: number) {}

  private ensure(block: number): void {
    if (block < this.state.length) return;
    const n = Math.max(block + 1, this.state.length * 2, 1024);
    const st = new Uint8Array(n);
    st.set(this.state);
    const so = new Int32Array(n).fill(-1);
    so.set(this.slotOf);
    this.state = st;
    this.slotOf = so;
  }

  private slot(block: number): number {
    let s = this.slotOf[block]!;
    if (s >= 0) return s;
    s = this.freeSlots.pop() ?? this.usedSlots++;
    if ((s + 1) * BLOCK > this.pool.length) {
      const pool = new Int8Array(Math.max((s + 1) * BLOCK, this.pool.length * 2));
      pool.set(this.pool);
      this.pool = pool;
      const heads = new Uint16Array(pool.length / BLOCK);
      heads.set(this.heads);
      this.heads = heads;
    }
    this.heads[s] = 0;
    this.slotOf[block] = s;
    return s;
  }

  /** Order of the free block headed by pfn, or -1. */
  get(pfn: number): number {
    const b = Math.floor(pfn / BLOCK);
    const st = b < this.state.length ? this.state[b]! : NONE;
    if (st === NONE) return -1;
    const i = pfn - b * BLOCK;
    if (st === WHOLE) return i === 0 ? this.maxOrder : -1;
    return this.pool[this.slotOf[b]! * BLOCK + i]! - 1;
  }

  set(pfn: number, order: number): void {
    const b = Math.floor(pfn / BLOCK);
    this.ensure(b);
    this.size++;
    if (order === this.maxOrder) {
      this.release(b);
      this.state[b] = WHOLE;
      return;
    }
    this.state[b] = PARTIAL;
    const s = this.slot(b);
    const at = s * BLOCK + (pfn - b * BLOCK);
    if (this.pool[at] === 0) this.heads[s]!++;
    else this.size--;
    this.pool[at] = order + 1;
  }

  delete(pfn: number): void {
    const b = Math.floor(pfn / BLOCK);
    this.size--;
    if (this.state[b] === WHOLE) {
      this.state[b] = NONE;
      return;
    }
    const s = this.slotOf[b]!;
    this.pool[s * BLOCK + (pfn - b * BLOCK)] = 0;
    if (--this.heads[s]! === 0) {
      this.release(b);
      this.state[b] = NONE;
    }
  }

  private release(b: number): void {
    const s = this.slotOf[b]!;
    if (s < 0) return;
    // A max-order block replacing a partial one: its old heads are gone (merged), but keep the
    // slot clean whatever the caller did.
    if (this.heads[s] !== 0) this.pool.fill(0, s * BLOCK, (s + 1) * BLOCK);
    this.freeSlots.push(s);
    this.slotOf[b] = -1;
  }

  /** Every free head as [pfn, order] (for rare whole-allocator walks). */
  *entries(): Generator<[number, number]> {
    for (let b = 0; b < this.state.length; b++) {
      const st = this.state[b];
      if (st === WHOLE) yield [b * BLOCK, this.maxOrder];
      else if (st === PARTIAL) {
        const base = this.slotOf[b]! * BLOCK;
        for (let i = 0; i < BLOCK; i++)
          if (this.pool[base + i]! > 0) yield [b * BLOCK + i, this.pool[base + i]! - 1];
      }
    }
  }

  clone(): FreeHeads {
    const c = new FreeHeads(this.maxOrder);
    c.state = this.state.slice();
    c.slotOf = this.slotOf.slice();
    c.pool = this.pool.slice(0, this.usedSlots * BLOCK);
    c.heads = this.heads.slice(0, this.usedSlots);
    c.freeSlots = this.freeSlots.slice();
    c.usedSlots = this.usedSlots;
    c.size = this.size;
    return c;
  }
}
