/**
 * Property test: the engine's CPA rules (src/machine/cpa.ts on DirectMap's typed arrays and
 * RegionWords) against the naive page-by-page reference (reference-cpa.ts), after every call of
 * a seeded random sequence of set_memory_* calls from host causes. Seeds are printed on failure.
 */
import { describe, expect, it } from 'vitest';
import { CPA_CALLS, type CpaCall, cpa } from '../machine/cpa';
import { Machine } from '../machine/machine';
import { Rng } from '../machine/rng';
import { GiB } from '../machine/units';
import { ReferenceCpa } from './reference-cpa';

const CALLS = CPA_CALLS.filter(
  (c) => c !== 'init_memory_mapping' && c !== 'remove_pagetable',
) as CpaCall[];

let collapses = 0;

describe('CPA rules agree with the naive reference after every call', () => {
  it.each([1, 2, 3, 4])('seed %d (host 3 GiB; 6.12 and 6.15)', (seed) => {
    for (const linux of ['6.12', '6.15']) {
      const m = new Machine({
        host: {
          ranges: [{ start: 0, end: 3 * GiB }],
          gbpages: true,
          allocator: 'buddy',
          kernelBytes: 64 << 20,
          seed,
          linux,
        },
        kernel: 'no-snp',
        guests: [],
      });
      const ref = new ReferenceCpa(m.totalPages, linux);
      const rng = new Rng(seed);
      for (let i = 0; i < 120; i++) {
        const call = CALLS[rng.int(CALLS.length)]!;
        const target = rng.int(2) === 0 ? 'vmalloc' : 'direct-map';
        // Mostly small ranges near a few hot regions, sometimes whole 2 MiB or 1 GiB ones.
        const k = rng.int(40);
        const n = k < 24 ? 1 + rng.int(8) : k < 39 ? 512 : 512 * 512;
        const base = 512 + rng.int(m.totalPages - 512 - n);
        const pfn = n >= 512 ? Math.floor(base / n) * n || n : base;
        cpa(m, pfn, n, call, target, 3, 'module.rwx');
        ref.call(pfn, n, call, target);
        const at = `seed ${seed} linux ${linux} call ${i} ${call} ${target} [${pfn}, +${n})`;
        expect(
          [m.dm.level2Splits, m.dm.level3Splits, m.dm.level2Collapses, m.dm.level3Collapses],
          at,
        ).toEqual([ref.l2, ref.l3, ref.c2, ref.c3]);
        const c = ref.counts();
        expect([m.dm.count4k, m.dm.count2m, m.dm.count1g], at).toEqual([c.k4, c.m2, c.g1]);
        if (i % 10 === 0) expect(m.checkInvariants(), at).toBeNull();
      }
      collapses += m.dm.level2Collapses;
      for (let r = 0; r < m.totalPages / 512; r++)
        expect(m.dm.regionLevel(r), `seed ${seed} region ${r}`).toBe(ref.level.get(r));
    }
  });
});

it('the random sequences exercise collapse (6.15)', () => {
  expect(collapses).toBeGreaterThan(0);
});
