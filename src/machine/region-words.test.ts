import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegionWords, SPARSE_MAX } from './region-words';

/** Every page's runEnd against the definition: the first later page (in its region) that differs. */
function runEndsAgree(rw: RegionWords, ref: Uint32Array): boolean {
  for (let i = 0; i < ref.length; i++) {
    const regionEnd = (Math.floor(i / 512) + 1) * 512;
    for (const limit of [regionEnd, Math.min(regionEnd, i + 3)]) {
      let q = i + 1;
      while (q < limit && ref[q] === ref[i]) q++;
      if (rw.runEnd(i, limit) !== q) return false;
    }
  }
  return true;
}

describe('RegionWords (sparse per-page words)', () => {
  it('agrees with a plain array under random range updates, and keeps its invariants', () => {
    const pages = 512 * 3;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            page: fc.integer({ min: 0, max: pages - 1 }),
            n: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 1100 })),
            clear: fc.integer({ min: 0, max: 15 }),
            set: fc.integer({ min: 0, max: 15 }),
          }),
          { maxLength: 60 },
        ),
        (ops) => {
          const rw = new RegionWords(pages, 0, 1);
          const ref = new Uint32Array(pages);
          for (const op of ops) {
            const n = Math.min(op.n, pages - op.page);
            rw.update(op.page, n, op.clear, op.set);
            for (let i = op.page; i < op.page + n; i++) ref[i] = (ref[i]! & ~op.clear) | op.set;
            for (let i = 0; i < pages; i++) if (rw.get(i) !== ref[i]) return false;
            if (rw.checkInvariants() !== null) throw new Error(rw.checkInvariants()!);
          }
          return runEndsAgree(rw, ref);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('single-page updates (the churn path) agree with a plain array through sparse and dense', () => {
    const pages = 512 * 2;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // Clustered pages so regions pass through uniform, sparse, dense and back.
            page: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: pages - 1 })),
            clear: fc.integer({ min: 0, max: 7 }),
            set: fc.integer({ min: 0, max: 7 }),
          }),
          { maxLength: 400 },
        ),
        (ops) => {
          const rw = new RegionWords(pages, 2, 1);
          const ref = new Uint32Array(pages).fill(2);
          for (const op of ops) {
            rw.update(op.page, 1, op.clear, op.set);
            ref[op.page] = (ref[op.page]! & ~op.clear) | op.set;
          }
          for (let i = 0; i < pages; i++) if (rw.get(i) !== ref[i]) return false;
          const bad = rw.checkInvariants();
          if (bad !== null) throw new Error(bad);
          return runEndsAgree(rw, ref);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stores one page-table page among 511 guest pages as a sparse region, not 512 words', () => {
    const rw = new RegionWords(512, 0, 1);
    rw.update(0, 1, 0xff, 3);
    rw.update(1, 511, 0xff, 5);
    rw.update(1, 511, 0, 1);
    expect(rw.sparseRegions).toBe(1);
    expect(rw.denseRegions).toBe(0);
    expect(rw.counts[0]).toBe(512);
    expect(SPARSE_MAX).toBeGreaterThan(2);
  });
});
