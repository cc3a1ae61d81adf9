import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearMap } from './linear-map';

describe('LinearMap (sparse gfn → pfn)', () => {
  it('returns what was last written for every written page, under random runs', () => {
    const pages = 512 * 3;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            page: fc.integer({ min: 0, max: pages - 1 }),
            n: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1100 })),
            value: fc.integer({ min: 0, max: 2 ** 36 }),
          }),
          { maxLength: 80 },
        ),
        (ops) => {
          const map = new LinearMap(pages);
          const ref = new Map<number, number>();
          for (const op of ops) {
            const n = Math.min(op.n, pages - op.page);
            map.set(op.page, n, op.value);
            for (let i = 0; i < n; i++) ref.set(op.page + i, op.value + i);
            for (const [p, v] of ref) if (map.get(p) !== v) return false;
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a region linear when an allocation fills it in two contiguous pieces', () => {
    const map = new LinearMap(512);
    map.set(0, 100, 5000);
    map.set(100, 412, 5100);
    expect(map.linearBase(0)).toBe(5000);
    expect(map.detailRegions).toBe(0);
  });
});
