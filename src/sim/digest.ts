/**
 * A digest of the machine's state, identical wherever the same scenario runs (CLI, worker,
 * tests): FNV-1a over the direct map tables, every frame word, the RMP 2M flags, the allocator's
 * free pages, the counters and each guest's status and page states.
 */
import type { Machine } from '../machine/machine';

const FNV_PRIME = 0x01000193;

class Fnv {
  h = 0x811c9dc5;
  word(x: number): void {
    // Hash numbers above 32 bits as two halves; no bitwise op ever sees more than 32 bits.
    const lo = x % 0x100000000;
    const hi = Math.floor(x / 0x100000000);
    this.u32(lo >>> 0);
    if (hi !== 0) this.u32(hi >>> 0);
  }
  u32(x: number): void {
    for (let i = 0; i < 4; i++) {
      this.h ^= (x >>> (i * 8)) & 0xff;
      this.h = Math.imul(this.h, FNV_PRIME) >>> 0;
    }
  }
  bytes(a: Uint8Array): void {
    for (let i = 0; i < a.length; i++) {
      this.h ^= a[i]!;
      this.h = Math.imul(this.h, FNV_PRIME) >>> 0;
    }
  }
  hex(): string {
    return this.h.toString(16).padStart(8, '0');
  }
}

export function machineDigest(m: Machine): string {
  const f = new Fnv();
  f.bytes(m.dm.pud);
  f.bytes(m.dm.pmd);
  f.bytes(m.rmp2m);
  const words = new Uint32Array(512);
  for (let r = 0; r < m.frames.regions; r++) {
    const u = m.frames.uniformWord(r);
    if (u >= 0) f.u32(u);
    else {
      m.frames.readRegion(r, words);
      for (const w of words) f.u32(w);
    }
  }
  for (const x of [
    m.dm.count4k,
    m.dm.count2m,
    m.dm.count1g,
    m.dm.level2Splits,
    m.dm.level3Splits,
    m.tlbFlushes,
  ])
    f.word(x);
  f.word(m.alloc.freePages);
  for (const x of m.log.counts) f.word(x);
  for (const g of m.guests) {
    f.u32(['created', 'running', 'refused', 'killed', 'exited', 'failed'].indexOf(g.status));
    for (let r = 0; r < g.state.regions; r++) {
      const u = g.state.uniformWord(r);
      if (u >= 0) f.u32(u);
      else {
        g.state.readRegion(r, words);
        for (const w of words) f.u32(w);
      }
    }
    f.bytes(g.userMap);
  }
  return f.hex();
}
