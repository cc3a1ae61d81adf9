/**
 * Which pages head a free buddy block, and of what order: the struct page PageBuddy/buddy_order
 * bits, stored sparsely. A wholly free max-order block (the common case on a big host) costs one
 * byte; the heads inside partly allocated blocks live in one open-addressing hash table keyed by
 * pfn (linear probing, deletion by backward shift, so churn leaves no tombstones).
 *
 * Why a table, not a per-block bitmap: a churned host has few free heads per partly used block
 * (the 1M-event virtio run: 26 k heads in 15 k blocks), and every checkpoint of a run copies
 * this structure. A 4-bit-per-page bitmap of those blocks was 7.5 MiB; the table is ~0.6 MiB.
 */

import { into } from './copy';

const BLOCK = 1024;
const NONE = 0;
const WHOLE = 1;
const PARTIAL = 2;
/** An empty table slot (pfns are >= 0). */
const EMPTY = -1;
const MIN_CAPACITY = 64;
/**
 * Max-order blocks per group counted in `whole`: 256 blocks of 2^10 pages are one 1 GiB page
 * (order 18), the gigantic size the model allocates (hugetlbfs 1G, 1G guest_memfd folios).
 */
const GROUP = 256;

/**
 * Table slot of a pfn in a table of 2^(32 - shift) slots: Fibonacci hashing, the top bits of
 * the product (the low bits would keep a block head's alignment: order-9 heads are multiples of
 * 512). Math.imul takes pfn modulo 2^32, which is exact for every host the model takes (16 TiB
 * is 2^32 pages) and only a hash input anyway.
 */
function hashOf(pfn: number, shift: number): number {
  return Math.imul(pfn, 0x9e3779b1) >>> shift;
}

export class FreeHeads {
  private state = new Uint8Array(0);
  /** Heads in each PARTIAL block (a block with none left goes back to NONE). */
  private heads = new Uint16Array(0);
  /**
   * WHOLE blocks in each group of GROUP blocks, and how many groups are all WHOLE: a gigantic
   * allocation finds the lowest free 1 GiB without listing every free head (a 1 TiB host that
   * has run out of free 1 GiB pages was asked again on every hugetlbfs-1g share).
   */
  private whole = new Uint16Array(0);
  private fullGroups = 0;
  /** The table: pfn (EMPTY when free) and order of each partial-block head. */
  private keys = new Float64Array(MIN_CAPACITY).fill(EMPTY);
  private orders = new Uint8Array(MIN_CAPACITY);
  /** 32 - log2(table size). */
  private shift = 32 - Math.log2(MIN_CAPACITY);
  private used = 0;
  size = 0;

  get bytes(): number {
    return (
      this.state.byteLength +
      this.heads.byteLength +
      this.whole.byteLength +
      this.keys.byteLength +
      this.orders.byteLength
    );
  }

  constructor(private readonly maxOrder: number) {}

  private ensure(block: number): void {
    if (block < this.state.length) return;
    const n = Math.max(block + 1, this.state.length * 2, 1024);
    const st = new Uint8Array(n);
    st.set(this.state);
    const hd = new Uint16Array(n);
    hd.set(this.heads);
    const wh = new Uint16Array(Math.ceil(n / GROUP));
    wh.set(this.whole);
    this.state = st;
    this.heads = hd;
    this.whole = wh;
  }

  /** Set block b's state, keeping the WHOLE counts per group. */
  private mark(b: number, st: number): void {
    const was = this.state[b]!;
    if (was === st) return;
    const g = Math.floor(b / GROUP);
    if (was === WHOLE) {
      if (this.whole[g]! === GROUP) this.fullGroups--;
      this.whole[g]!--;
    } else if (st === WHOLE && ++this.whole[g]! === GROUP) this.fullGroups++;
    this.state[b] = st;
  }

  /**
   * The lowest block b, a multiple of `blocks` (a power of two), whose blocks b .. b + blocks - 1
   * are all wholly free max-order blocks; -1 if there is none.
   */
  firstWholeRun(blocks: number): number {
    const whole = this.whole;
    if (blocks >= GROUP) {
      if (this.fullGroups === 0) return -1;
      const need = blocks / GROUP;
      for (let g = 0; g + need <= whole.length; g += need) {
        let i = 0;
        while (i < need && whole[g + i] === GROUP) i++;
        if (i === need) return g * GROUP;
      }
      return -1;
    }
    for (let g = 0; g < whole.length; g++) {
      if (whole[g]! < blocks) continue;
      const end = Math.min((g + 1) * GROUP, this.state.length);
      for (let b = g * GROUP; b + blocks <= end; b += blocks) {
        let i = 0;
        while (i < blocks && this.state[b + i] === WHOLE) i++;
        if (i === blocks) return b;
      }
    }
    return -1;
  }

  /** The table slot holding pfn, or the empty slot where it would go. */
  private find(pfn: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = hashOf(pfn, this.shift);
    for (;;) {
      const k = keys[i]!;
      if (k === pfn || k === EMPTY) return i;
      i = (i + 1) & mask;
    }
  }

  /** Order of the free block headed by pfn, or -1. */
  get(pfn: number): number {
    const b = Math.floor(pfn / BLOCK);
    const st = b < this.state.length ? this.state[b]! : NONE;
    if (st === NONE) return -1;
    if (st === WHOLE) return pfn === b * BLOCK ? this.maxOrder : -1;
    const i = this.find(pfn);
    return this.keys[i] === pfn ? this.orders[i]! : -1;
  }

  set(pfn: number, order: number): void {
    const b = Math.floor(pfn / BLOCK);
    this.ensure(b);
    this.size++;
    if (order === this.maxOrder) {
      // The block's own heads were merged away; drop any the caller left behind.
      if (this.state[b] === PARTIAL) this.clearBlock(b);
      else if (this.state[b] === WHOLE) this.size--;
      this.mark(b, WHOLE);
      return;
    }
    this.mark(b, PARTIAL);
    let i = this.find(pfn);
    if (this.keys[i] === pfn) this.size--;
    else {
      // At most half full (short probe runs); doubling keeps it at least a quarter full.
      if (2 * (this.used + 1) > this.keys.length) {
        this.rehash(2 * this.keys.length);
        i = this.find(pfn);
      }
      this.keys[i] = pfn;
      this.used++;
      this.heads[b]!++;
    }
    this.orders[i] = order;
  }

  delete(pfn: number): void {
    const b = Math.floor(pfn / BLOCK);
    this.size--;
    if (this.state[b] === WHOLE) {
      this.mark(b, NONE);
      return;
    }
    const i = this.find(pfn);
    if (this.keys[i] !== pfn) return;
    this.remove(i);
    if (--this.heads[b]! === 0) this.state[b] = NONE;
  }

  /** Empty slot i, shifting back later entries of its probe run (no tombstones). */
  private remove(slot: number): void {
    const keys = this.keys;
    const mask = keys.length - 1;
    let hole = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j]!;
      if (k === EMPTY) break;
      const home = hashOf(k, this.shift);
      // Move k into the hole unless its home lies cyclically in (hole, j].
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        keys[hole] = k;
        this.orders[hole] = this.orders[j]!;
        hole = j;
      }
    }
    keys[hole] = EMPTY;
    this.used--;
  }

  private clearBlock(b: number): void {
    for (let i = 0; i < this.keys.length && this.heads[b]! > 0; ) {
      const k = this.keys[i]!;
      if (k !== EMPTY && Math.floor(k / BLOCK) === b) {
        this.remove(i);
        this.heads[b]!--;
        this.size--;
        // remove() may have shifted another entry into slot i: look at it again.
        continue;
      }
      i++;
    }
    this.heads[b] = 0;
  }

  /** Move every entry into a table of cap slots (a power of two). */
  private rehash(cap: number): void {
    const oldKeys = this.keys;
    const oldOrders = this.orders;
    this.keys = new Float64Array(cap).fill(EMPTY);
    this.orders = new Uint8Array(cap);
    this.shift = 32 - Math.log2(cap);
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i]!;
      if (k === EMPTY) continue;
      const s = this.find(k);
      this.keys[s] = k;
      this.orders[s] = oldOrders[i]!;
    }
  }

  /** Every free head as [pfn, order], whole blocks first by address, then the rest unordered. */
  *entries(): Generator<[number, number]> {
    for (let b = 0; b < this.state.length; b++)
      if (this.state[b] === WHOLE) yield [b * BLOCK, this.maxOrder];
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i]!;
      if (k !== EMPTY) yield [k, this.orders[i]!];
    }
  }

  /** Become a copy of src, reusing this one's buffers where they fit. */
  copyFrom(src: FreeHeads): void {
    this.state = into(this.state, src.state);
    this.heads = into(this.heads, src.heads);
    this.whole = into(this.whole, src.whole);
    this.fullGroups = src.fullGroups;
    this.keys = into(this.keys, src.keys);
    this.orders = into(this.orders, src.orders);
    this.shift = src.shift;
    this.used = src.used;
    this.size = src.size;
  }

  clone(): FreeHeads {
    const c = new FreeHeads(this.maxOrder);
    c.copyFrom(this);
    return c;
  }
}
