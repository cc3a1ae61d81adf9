/**
 * A digest of the machine's state, identical wherever the same scenario runs (CLI, worker,
 * tests): FNV-1a over the direct map tables, every frame word, the RMP 2M flags, the allocator's
 * free pages, the counters and each guest's status and page states.
 */
import type { Machine } from '../machine/machine';
import { OUTCOME_KINDS } from '../machine/outcomes';

/** Kinds added later hash only when they happened, so older runs keep their digests. */
const COLLAPSE = OUTCOME_KINDS.indexOf('dm-collapse');

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
  /** FNV-1a over the 32-bit word at once (FNV-1a-32 "per word"), four times fewer steps. */
  u32(x: number): void {
    this.h = Math.imul(this.h ^ x, FNV_PRIME) >>> 0;
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
  const starts = new Uint16Array(513);
  const words = new Uint32Array(513);
  const runs = (rw: {
    regions: number;
    runsOf(r: number, s: Uint16Array, w: Uint32Array): number;
  }) => {
    for (let r = 0; r < rw.regions; r++) {
      const n = rw.runsOf(r, starts, words);
      for (let j = 0; j < n; j++) {
        f.u32(starts[j]!);
        f.u32(words[j]!);
      }
    }
  };
  runs(m.frames);
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
  m.log.counts.forEach((x, i) => {
    if (i !== COLLAPSE || x !== 0) f.word(x);
  });
  for (const g of m.guests) {
    f.u32(['created', 'running', 'refused', 'killed', 'exited', 'failed'].indexOf(g.status));
    runs(g.state);
    f.bytes(g.userMap);
  }
  return f.hex();
}
