/**
 * The sequestered shared area of Dave Hansen's contract (25 Mar 2021, never merged): one pool of
 * host pages that back every shared guest page, grown a 2 MiB block at a time so that no 2 MiB
 * region mixes shared pages with anything else. The pool is the host's: its pages stay allocated
 * when guests exit (they are returned to the pool, not to the buddy).
 */
import { frameWord, USE_SEQ } from '../frame-bits';
import type { Guest } from '../guest';
import type { Machine } from '../machine';
import type { DesignState } from './design';

const CHUNK = 512;

export class SequesteredArea implements DesignState {
  /** Free pages of the area, the next one to hand out last. */
  free: number[] = [];
  /** Pages the area has taken from the buddy (multiples of 512). */
  heldPages = 0;

  /**
   * Back [start, start + count) of g with pages of the area (seq.move), growing it by an order-9
   * block when empty. Emits host.oom and stops when the buddy has no 2 MiB block left.
   */
  alloc(m: Machine, g: Guest, start: number, count: number): void {
    for (let i = 0; i < count; i++) {
      if (this.free.length === 0) {
        const block = m.allocBlock(9, frameWord(USE_SEQ));
        if (block < 0) return m.emit('oom', 'host.oom', -1, count - i, (start + i) * 4096);
        this.heldPages += CHUNK;
        for (let k = CHUNK - 1; k >= 0; k--) this.free.push(block + k);
      }
      const pfn = this.free.pop()!;
      m.frames.set(pfn, 1, frameWord(USE_SEQ, g.index));
      g.gmemMap.set(start + i, 1, pfn);
    }
  }

  /** Return [pfn, pfn + count) to the area. */
  release(m: Machine, pfn: number, count: number): void {
    for (let k = count - 1; k >= 0; k--) {
      m.frames.set(pfn + k, 1, frameWord(USE_SEQ));
      this.free.push(pfn + k);
    }
  }

  clone(): SequesteredArea {
    const c = new SequesteredArea();
    c.copyFrom(this);
    return c;
  }

  copyFrom(src: DesignState): void {
    const s = src as SequesteredArea;
    this.free = s.free.slice();
    this.heldPages = s.heldPages;
  }
}
