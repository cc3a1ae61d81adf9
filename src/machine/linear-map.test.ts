import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearMap } from './linear-map';

/** Page p's value read through runsOf (the snapshot's path), not get(). */
function viaRuns(map: LinearMap, p: number): number {
  const starts = new Uint16Array(513);
  const offs = new Float64Array(513);
  const k = map.runsOf(Math.floor(p / 512), starts, offs);
  const i = p % 512;
  let j = k - 1;
  while (starts[j]! > i) j--;
  return offs[j]! + i;
}

/**
 * linearEnd of every page against its definition through get(): where page + k stops mapping to
 * get(page) + k (NaN, never written, follows nothing). Also checks the written pages read back.
 */
function linearEndsAgree(map: LinearMap, pages: number): boolean {
  for (let p = 0; p < pages; p++) {
    const limit = (Math.floor(p / 512) + 1) * 512;
    for (const lim of [limit, Math.min(limit, p + 3)]) {
      let q = p + 1;
      while (q < lim && map.get(q) === map.get(p) + (q - p)) q++;
      if (map.linearEnd(p, lim) !== q) return false;
    }
  }
  return true;
}

describe.each([
  ['64-bit storage', Number.MAX_SAFE_INTEGER, 2 ** 36],
  ['32-bit storage', 2 ** 31 - 512, 2 ** 31 - 2048],
])('LinearMap (sparse gfn → pfn), %s', (_name, maxValue, top) => {
  it('returns what was last written for every written page, under random runs', () => {
    const pages = 512 * 3;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            page: fc.integer({ min: 0, max: pages - 1 }),
            n: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1100 })),
            value: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: top })),
          }),
          { maxLength: 80 },
        ),
        (ops) => {
          const map = new LinearMap(pages, maxValue);
          const ref = new Map<number, number>();
          for (const op of ops) {
            const n = Math.min(op.n, pages - op.page);
            map.set(op.page, n, op.value);
            for (let i = 0; i < n; i++) ref.set(op.page + i, op.value + i);
            for (const [p, v] of ref) if (map.get(p) !== v || viaRuns(map, p) !== v) return false;
            const bad = map.checkInvariants();
            if (bad !== null) throw new Error(bad);
          }
          return linearEndsAgree(map, pages);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('single-page writes (the churn path) agree with a map and keep the runs well formed', () => {
    const pages = 512 * 2;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            page: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: pages - 1 })),
            // Continue the region's own linear mapping (runs merge back), another linear
            // mapping (runs longer than a page form), or scatter.
            kind: fc.integer({ min: 0, max: 2 }),
            value: fc.integer({ min: 0, max: 40 }),
          }),
          { maxLength: 400 },
        ),
        (ops) => {
          const map = new LinearMap(pages, maxValue);
          map.set(0, pages, top - 7000);
          const ref = new Map<number, number>();
          for (let p = 0; p < pages; p++) ref.set(p, top - 7000 + p);
          for (const op of ops) {
            const v =
              op.kind === 0 ? top - 7000 + op.page : op.kind === 1 ? 9000 + op.page : op.value;
            map.set(op.page, 1, v);
            ref.set(op.page, v);
            const bad = map.checkInvariants();
            if (bad !== null) throw new Error(bad);
          }
          for (const [p, v] of ref) if (map.get(p) !== v || viaRuns(map, p) !== v) return false;
          return linearEndsAgree(map, pages);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads a scattered (dense) region through runsOf as get() does', () => {
    const map = new LinearMap(1024, maxValue);
    map.set(0, 1024, 100);
    // Every other page of region 1 elsewhere but for a linear stretch: past the run limit.
    for (let p = 512; p < 1024; p += 2) if (p < 700 || p > 800) map.set(p, 1, 50_000 + 3 * p);
    expect(map.detailRegions).toBe(1);
    for (let p = 0; p < 1024; p++) expect(viaRuns(map, p)).toBe(map.get(p));
    expect(linearEndsAgree(map, 1024)).toBe(true);
    expect(map.linearEnd(512, 1024)).toBe(513);
    expect(map.linearEnd(513, 1024)).toBe(514);
  });

  it('keeps a region linear when an allocation fills it in two contiguous pieces', () => {
    const map = new LinearMap(512, maxValue);
    map.set(0, 100, 5000);
    map.set(100, 412, 5100);
    expect(map.linearBase(0)).toBe(5000);
    expect(map.detailRegions).toBe(0);
  });
});
