import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeHeads } from './free-heads';

const MAX = 10;

/** Random set/delete of free heads over a few 1,024-page blocks, with a Map as the reference. */
const ops = fc.array(
  fc.record({
    del: fc.boolean(),
    /** Which present head a delete takes (the allocator deletes only heads that are there). */
    pick: fc.nat(),
    // Few blocks, clustered pfns: collisions, probe runs that wrap, blocks emptied and refilled.
    pfn: fc.oneof(
      fc.integer({ min: 0, max: 4 * 1024 - 1 }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    ),
    order: fc.integer({ min: 0, max: MAX }),
  }),
  { maxLength: 600 },
);

function agrees(h: FreeHeads, ref: Map<number, number>, probes: number[]): boolean {
  if (h.size !== ref.size) return false;
  for (const [pfn, o] of ref) if (h.get(pfn) !== o) return false;
  for (const p of probes) if (!ref.has(p) && h.get(p) !== -1) return false;
  const listed = new Map(h.entries());
  return listed.size === ref.size && [...ref].every(([p, o]) => listed.get(p) === o);
}

describe('FreeHeads (free block heads by pfn)', () => {
  it('answers get, size and entries as a Map does, through growth and backward-shift deletes', () => {
    fc.assert(
      fc.property(ops, (list) => {
        const h = new FreeHeads(MAX);
        const ref = new Map<number, number>();
        const probes: number[] = [];
        for (const op of list) {
          // A max-order head only at a block start, as the buddy places them.
          const pfn = op.order === MAX ? Math.floor(op.pfn / 1024) * 1024 : op.pfn;
          probes.push(pfn, pfn + 1);
          if (op.del) {
            if (ref.size === 0) continue;
            const present = [...ref.keys()];
            const victim = present[op.pick % present.length]!;
            h.delete(victim);
            ref.delete(victim);
          } else {
            const start = Math.floor(pfn / 1024) * 1024;
            if (op.order === MAX) {
              for (const k of [...ref.keys()])
                if (Math.floor(k / 1024) === start / 1024) ref.delete(k);
            } else if (ref.get(start) === MAX) continue;
            h.set(pfn, op.order);
            ref.set(pfn, op.order);
          }
        }
        return agrees(h, ref, probes);
      }),
      { numRuns: 300 },
    );
  });

  it('a max-order head drops whatever heads its block still listed', () => {
    const h = new FreeHeads(MAX);
    for (let i = 1; i < 700; i++) h.set(i, 0);
    for (let i = 0; i < 300; i++) h.set(5 * 1024 + i * 2, 1);
    h.set(0, MAX);
    expect(h.size).toBe(301);
    expect([...h.entries()].filter(([p]) => p < 1024)).toEqual([[0, MAX]]);
    for (let i = 0; i < 300; i++) expect(h.get(5 * 1024 + i * 2)).toBe(1);
  });

  it('copies: a clone and a copyFrom answer as the original and go their own way after', () => {
    const a = new FreeHeads(MAX);
    for (let i = 0; i < 3000; i++) a.set(i * 3 + 1, i % 9);
    const b = a.clone();
    const c = new FreeHeads(MAX);
    c.set(5, 2);
    c.copyFrom(a);
    for (const x of [b, c]) {
      expect(x.size).toBe(3000);
      expect(x.get(1 + 3 * 2999)).toBe(2999 % 9);
      expect(x.get(5)).toBe(-1);
    }
    b.delete(1);
    expect(a.get(1)).toBe(0);
    expect(b.get(1)).toBe(-1);
  });

  // The lowest aligned run of wholly free max-order blocks, as BuddyAllocator.allocGigantic
  // asks for it (alloc_contig_pages: a gigantic page is naturally aligned and wholly free).
  it('finds the lowest aligned run of whole blocks as a scan of every block would', () => {
    const groups = 4;
    const blocks = groups * 256;
    const naive = (h: FreeHeads, run: number): number => {
      for (let b = 0; b + run <= blocks; b += run) {
        let i = 0;
        while (i < run && h.get((b + i) * 1024) === MAX) i++;
        if (i === run) return b;
      }
      return -1;
    };
    const step = fc.record({
      block: fc.integer({ min: 0, max: blocks - 1 }),
      kind: fc.constantFrom('delete', 'partial', 'whole'),
      offset: fc.integer({ min: 1, max: 1023 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), fc.boolean(), (list, copy) => {
        let h = new FreeHeads(MAX);
        for (let b = 0; b < blocks; b++) h.set(b * 1024, MAX);
        for (const op of list) {
          const pfn = op.block * 1024;
          if (op.kind === 'whole') h.set(pfn, MAX);
          else if (h.get(pfn) === MAX) {
            h.delete(pfn);
            if (op.kind === 'partial') h.set(pfn + op.offset, 0);
          }
        }
        if (copy) h = h.clone();
        return [1, 2, 16, 256, 512, 1024].every((run) => h.firstWholeRun(run) === naive(h, run));
      }),
      { numRuns: 200 },
    );
  });

  it('costs a few bytes per head, not per page of the blocks holding them', () => {
    const h = new FreeHeads(MAX);
    // One order-0 head in each of 10,000 blocks (40 GiB of partly used memory).
    for (let b = 0; b < 10_000; b++) h.set(b * 1024 + 7, 0);
    expect(h.bytes).toBeLessThan(10_000 * 40);
  });
});
