/**
 * The CPA rules every host cause shares (src/machine/cpa.ts), one table-driven case per rule,
 * each citing arch/x86/mm/pat/set_memory.c as the kernel has it.
 */
import { describe, expect, it } from 'vitest';
import { type CpaCall, canHeal, cpa } from './cpa';
import type { MachineSpec } from './events';
import { Machine } from './machine';
import { GiB, PAGES_PER_1G, PAGES_PER_2M } from './units';

const SITE = 3;
function host(linux: string, gbpages = true): Machine {
  const spec: MachineSpec = {
    host: {
      ranges: [{ start: 0, end: 4 * GiB }],
      gbpages,
      allocator: 'buddy',
      kernelBytes: 64 << 20,
      seed: 1,
      linux,
    },
    kernel: 'no-snp',
    guests: [],
  };
  return new Machine(spec);
}
/** A frame inside the 1G leaf [2G, 3G). */
const P = 2 * PAGES_PER_1G + 7 * PAGES_PER_2M + 5;
const R = Math.floor(P / PAGES_PER_2M);
const run = (m: Machine, calls: [CpaCall, number, number, 'vmalloc' | 'direct-map'][]) => {
  for (const [call, pfn, n, target] of calls) cpa(m, pfn, n, call, target, SITE, 'module.rwx');
  return {
    l2: m.dm.level2Splits,
    l3: m.dm.level3Splits,
    c2: m.dm.level2Collapses,
    c3: m.dm.level3Collapses,
  };
};

describe('cpa.alias: cpa_process_alias() carries ro/rw, np/p, cache and encryption, not x/nx', () => {
  it.each([
    ['set_memory_x', 0],
    ['set_memory_nx', 0],
    ['set_memory_ro', 1],
    ['set_memory_np', 1],
    ['set_memory_uc', 1],
    ['set_memory_decrypted', 1],
  ] as const)('%s on a vmalloc page splits the alias: %d chain(s)', (call, chains) => {
    const m = host('6.12');
    expect(run(m, [[call, P, 1, 'vmalloc']])).toMatchObject({ l2: chains, l3: chains });
    expect(m.checkInvariants()).toBeNull();
  });
});

describe('cpa.preserve: try_preserve_large_page() keeps a page the change covers or leaves alone', () => {
  it.each([
    ['a 4K change inside a 1G leaf: 1G→2M then 2M→4K', [['set_memory_ro', P, 1]], 1, 1],
    ['a whole aligned 2 MiB inside a 1G leaf: only 1G→2M', [['set_memory_ro', R * 512, 512]], 0, 1],
    ['the whole 1 GiB: no split', [['set_memory_ro', 2 * PAGES_PER_1G, PAGES_PER_1G]], 0, 0],
    ['a no-op (rw on an rw page): no split', [['set_memory_rw', P, 1]], 0, 0],
    ['wb on a wb page: no split', [['set_memory_wb', P, 1]], 0, 0],
  ] as const)('%s', (_, calls, l2, l3) => {
    const m = host('6.12');
    expect(
      run(
        m,
        calls.map(([c, p, n]) => [c, p, n, 'vmalloc'] as [CpaCall, number, number, 'vmalloc']),
      ),
    ).toMatchObject({ l2, l3 });
    expect(m.checkInvariants()).toBeNull();
  });
});

describe('cpa.kernel_4k: set_memory_4k() always splits and never collapses (41d88484c71c)', () => {
  it('splits a whole aligned 2 MiB and a later set_memory_rox on it does not heal it', () => {
    const m = host('6.15');
    run(m, [['set_memory_4k', R * 512, 512, 'direct-map']]);
    expect(m.dm.level2Splits).toBe(1);
    run(m, [['set_memory_rox', R * 512, 512, 'vmalloc']]);
    expect(m.dm.level2Collapses).toBe(0);
  });
});

describe('cpa.collapse.pmd / cpa.collapse.pud: cpa_collapse_large_pages() after set_memory_rox (6.15+)', () => {
  it.each([
    ['6.15', 1],
    ['6.12', 0],
  ] as const)('on %s a split region made uniformly ROX collapses %d time(s)', (linux, c2) => {
    const m = host(linux);
    run(m, [['set_memory_ro', P, 1, 'vmalloc']]);
    const before = m.dm.count4k;
    expect(run(m, [['set_memory_rox', R * 512, 512, 'vmalloc']])).toMatchObject({ c2 });
    expect(m.dm.count4k).toBe(before - c2 * 512);
    expect(m.checkInvariants()).toBeNull();
  });

  it('a region with one different PTE does not collapse', () => {
    const m = host('6.15');
    run(m, [
      ['set_memory_ro', P, 1, 'vmalloc'],
      ['set_memory_rox', R * 512, 511, 'vmalloc'],
    ]);
    expect(m.dm.level2Collapses).toBe(0);
  });

  it('climbs 2M→1G when the whole 1 GiB becomes uniform, only with gbpages', () => {
    for (const [gb, c3] of [
      [true, 1],
      [false, 0],
    ] as const) {
      const m = host('6.15', gb);
      const g = gb ? 2 * PAGES_PER_1G : 2 * PAGES_PER_1G;
      run(m, [['set_memory_ro', P, 1, 'vmalloc']]);
      expect(run(m, [['set_memory_rox', g, PAGES_PER_1G, 'vmalloc']])).toMatchObject({ c2: 1, c3 });
      expect(m.checkInvariants()).toBeNull();
    }
  });
});

describe('cpa.vmstat.running: splits before SYSTEM_RUNNING move DirectMap* only', () => {
  it('counts nothing in vmstat while booting', () => {
    const m = host('6.12');
    m.dm.running = false;
    const k4 = m.dm.count4k;
    run(m, [['set_memory_4k', P, 1, 'direct-map']]);
    expect(m.dm.level2Splits + m.dm.level3Splits).toBe(0);
    expect(m.dm.count4k).toBe(k4 + 512);
  });
});

describe('dm.cpa_flush: one cpa_flush() per set_memory_4k() that sets _PAGE_KERNEL_4K (arch/x86/mm/pat/set_memory.c, 41d88484c71c), counted once', () => {
  it.each([
    ['6.12', 2, 2],
    ['6.15', 3, 3],
  ] as const)(
    'on %s a 4K set_memory_4k inside a 1G leaf flushes %d times, again on the same page %d',
    (linux, first, again) => {
      const m = host(linux);
      cpa(m, P, 1, 'set_memory_4k', 'direct-map', SITE, 'kfence.pool');
      expect(m.dm.tlbFlushes).toBe(first);
      // The PTE already carries _PAGE_KERNEL_4K (or, before 6.15, nothing changes): no more flushes.
      cpa(m, P, 1, 'set_memory_4k', 'direct-map', SITE, 'kfence.pool');
      expect(m.dm.tlbFlushes).toBe(again);
      expect(m.dm.tlbFlushes).toBe(m.dm.level2Splits + m.dm.level3Splits + m.dm.cpaFlushes);
    },
  );

  it("an SNP design's set_memory_4k on 6.15 marks its region _PAGE_KERNEL_4K: it can never heal", () => {
    const m = host('6.15');
    m.split4k(P, 1, 'upstream.adjust_direct_map');
    expect(m.dm.cpaFlushes).toBe(1);
    expect(m.dm.kernel4k[R]).toBe(1);
    expect(canHeal(m, R)).toBe(false);
  });
});
