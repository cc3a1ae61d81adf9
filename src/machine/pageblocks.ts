/**
 * The migratetype of every pageblock (struct zone's pageblock_flags, get/set_pfnblock_migratetype),
 * one bit per 2 MiB pageblock: set = MIGRATE_UNMOVABLE, clear = MIGRATE_MOVABLE. memmap_init_range()
 * marks every pageblock MIGRATE_MOVABLE at boot, which is the all-clear state; a 16 TiB host needs
 * 1 MiB of bits. Pageblock indexes are below 2^32 / 512, so bit operations on them are safe.
 */
import { into } from './copy';
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE, type Migratetype } from './zones';

export class PageblockTypes {
  private bits = new Uint8Array(0);

  /** The migratetype of the pageblock holding pfn. */
  get(pfn: number): Migratetype {
    const b = Math.floor(pfn / 512);
    const byte = b >>> 3;
    return byte < this.bits.length && (this.bits[byte]! >> (b & 7)) & 1
      ? MIGRATE_UNMOVABLE
      : MIGRATE_MOVABLE;
  }

  /** set_pageblock_migratetype() for every pageblock of [pfn, pfn + count). */
  set(pfn: number, count: number, mt: Migratetype): void {
    const first = Math.floor(pfn / 512);
    const last = Math.floor((pfn + Math.max(count, 1) - 1) / 512);
    if (mt === MIGRATE_UNMOVABLE && last >>> 3 >= this.bits.length) {
      const n = new Uint8Array(Math.max((last >>> 3) + 1, this.bits.length * 2, 64));
      n.set(this.bits);
      this.bits = n;
    }
    for (let b = first; b <= last; b++) {
      const byte = b >>> 3;
      if (byte >= this.bits.length) break;
      if (mt === MIGRATE_UNMOVABLE) this.bits[byte]! |= 1 << (b & 7);
      else this.bits[byte]! &= ~(1 << (b & 7));
    }
  }

  get bytes(): number {
    return this.bits.byteLength;
  }

  copyFrom(src: PageblockTypes): void {
    this.bits = into(this.bits, src.bits);
  }

  clone(): PageblockTypes {
    const c = new PageblockTypes();
    c.bits = this.bits.slice();
    return c;
  }
}
