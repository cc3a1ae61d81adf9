/**
 * Which pages head a free buddy block, and of what order: the struct page PageBuddy/buddy_order
 * bits, stored sparsely. A wholly free max-order block (the common case on a big host) costs one
 * byte; only partly allocated blocks hold a 512-byte detail slot, recycled through a free list.
 * Replaces a Map keyed by pfn, which cost a hash lookup per buddy step.
 *
 * Detail slots hold order + 1 (0 = not a head, 4 bits a page), so fresh pool memory is already
 * clean, and a slot is released only when its last head is deleted, i.e. clean again.
 */

import { into, intoAll } from './copy';

const BLOCK = 1024;
const NONE = 0;
const WHOLE = 1;
const PARTIAL = 2;
/** Detail slots per chunk of the pool (each slot: 1,024 pages × 4 bits = 512 bytes). */
const SLOT_BYTES = BLOCK / 2;
const CHUNK_BITS = 7;
const CHUNK_SLOTS = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SLOTS - 1;

export class FreeHeads {
  private state = new Uint8Array(0);
  private slotOf = new Int32Array(0);
  /**
   * Detail slots: order + 1 of each page (0 = not a head) in 4 bits, two pages a byte, in chunks
   * of CHUNK_SLOTS slots that are added, never copied (fresh memory faults in at ~20 µs a page on
   * these machines; a 1 TiB host can have a quarter of a million partly used blocks).
   */
  private pool: Uint8Array[] = [];
  private heads = new Uint16Array(0);
  private freeSlots: number[] = [];
  private usedSlots = 0;
  size = 0;

  get bytes(): number {
    let n = this.state.byteLength + this.slotOf.byteLength + this.heads.byteLength;
    for (const c of this.pool) n += c.byteLength;
    return n;
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
    const ci = s >>> CHUNK_BITS;
    const at = (s & CHUNK_MASK) * SLOT_BYTES;
    if (ci >= this.pool.length) {
      // The first chunk starts at 8 slots and doubles (small hosts stay small); later chunks
      // come whole.
      this.pool.push(new Uint8Array((ci === 0 ? 8 : CHUNK_SLOTS) * SLOT_BYTES));
      if (this.heads.length < this.pool.length * CHUNK_SLOTS) {
        const heads = new Uint16Array(this.pool.length * CHUNK_SLOTS);
        heads.set(this.heads);
        this.heads = heads;
      }
    } else if (at >= this.pool[ci]!.length) {
      const grown = new Uint8Array(Math.min(CHUNK_SLOTS * SLOT_BYTES, 2 * this.pool[ci]!.length));
      grown.set(this.pool[ci]!);
      this.pool[ci] = grown;
    }
    this.heads[s] = 0;
    this.slotOf[block] = s;
    return s;
  }

  /** order + 1 of page i of slot s (0: not a head). */
  private nibble(s: number, i: number): number {
    const byte = this.pool[s >>> CHUNK_BITS]![(s & CHUNK_MASK) * SLOT_BYTES + (i >>> 1)]!;
    return i & 1 ? byte >>> 4 : byte & 15;
  }

  private setNibble(s: number, i: number, v: number): void {
    const c = this.pool[s >>> CHUNK_BITS]!;
    const at = (s & CHUNK_MASK) * SLOT_BYTES + (i >>> 1);
    const byte = c[at]!;
    c[at] = i & 1 ? (byte & 15) | (v << 4) : (byte & 0xf0) | v;
  }

  /** Order of the free block headed by pfn, or -1. */
  get(pfn: number): number {
    const b = Math.floor(pfn / BLOCK);
    const st = b < this.state.length ? this.state[b]! : NONE;
    if (st === NONE) return -1;
    const i = pfn - b * BLOCK;
    if (st === WHOLE) return i === 0 ? this.maxOrder : -1;
    return this.nibble(this.slotOf[b]!, i) - 1;
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
    const i = pfn - b * BLOCK;
    if (this.nibble(s, i) === 0) this.heads[s]!++;
    else this.size--;
    this.setNibble(s, i, order + 1);
  }

  delete(pfn: number): void {
    const b = Math.floor(pfn / BLOCK);
    this.size--;
    if (this.state[b] === WHOLE) {
      this.state[b] = NONE;
      return;
    }
    const s = this.slotOf[b]!;
    this.setNibble(s, pfn - b * BLOCK, 0);
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
    if (this.heads[s] !== 0) {
      const at = (s & CHUNK_MASK) * SLOT_BYTES;
      this.pool[s >>> CHUNK_BITS]!.fill(0, at, at + SLOT_BYTES);
    }
    this.freeSlots.push(s);
    this.slotOf[b] = -1;
  }

  /** Every free head as [pfn, order] (for rare whole-allocator walks). */
  *entries(): Generator<[number, number]> {
    for (let b = 0; b < this.state.length; b++) {
      const st = this.state[b];
      if (st === WHOLE) yield [b * BLOCK, this.maxOrder];
      else if (st === PARTIAL) {
        const s = this.slotOf[b]!;
        for (let i = 0; i < BLOCK; i++) {
          const v = this.nibble(s, i);
          if (v > 0) yield [b * BLOCK + i, v - 1];
        }
      }
    }
  }

  /** Become a copy of src, reusing this one's buffers where they fit. */
  copyFrom(src: FreeHeads): void {
    this.state = into(this.state, src.state);
    this.slotOf = into(this.slotOf, src.slotOf);
    // Slots past src's are handed out later and must read as clean: spare room is zeroed.
    this.pool = intoAll(this.pool, src.pool, true);
    this.heads = into(this.heads, src.heads, true);
    this.freeSlots = src.freeSlots.slice();
    this.usedSlots = src.usedSlots;
    this.size = src.size;
  }

  clone(): FreeHeads {
    const c = new FreeHeads(this.maxOrder);
    c.state = this.state.slice();
    c.slotOf = this.slotOf.slice();
    c.pool = this.pool.map((p) => p.slice());
    c.heads = this.heads.slice();
    c.freeSlots = this.freeSlots.slice();
    c.usedSlots = this.usedSlots;
    c.size = this.size;
    return c;
  }
}
