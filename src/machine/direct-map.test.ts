/**
 * Truth table of the direct-map split ([dm.split.pud], [dm.split.pmd], [dm.no-collapse]):
 * the level that maps a range × how the range is aligned × what is asked → the splits, the
 * DirectMap1G/2M/4k counters, vmstat's direct_map_level{2,3}_splits, page-table pages and TLB
 * flushes. Source: arch/x86/mm/pat/set_memory.c (__change_page_attr() → split_large_page() →
 * __split_large_page(), update_page_count(), split_page_count()); adjust_direct_map() in
 * arch/x86/virt/svm/sev.c for the RMPUPDATE rows.
 */
import { describe, expect, it } from 'vitest';
import type { MachineSpec } from './events';
import { DM_UNMAPPED } from './frame-bits';
import { Machine } from './machine';
import { GiB, MiB, PAGES_PER_1G, PAGES_PER_2M, type PageLevel } from './units';

const spec = (gbpages: boolean): MachineSpec => ({
  host: {
    ranges: [
      { start: 0, end: 0x9f000 },
      { start: 4 * MiB, end: 4 * GiB },
    ],
    gbpages,
    allocator: 'buddy',
    kernelBytes: 64 * MiB,
    seed: 1,
  },
  kernel: 'upstream-2024',
  guests: [],
});

/** The 1 GiB block at 1 GiB: a 1G leaf with gbpages, 512 × 2M without. */
const GIG = PAGES_PER_1G;
/** Its fourth 2 MiB region. */
const BASE = GIG + 3 * PAGES_PER_2M;

type Range = 'one 4K page' | 'an aligned 2 MiB' | 'an unaligned 2 MiB' | 'an aligned 1 GiB';
const RANGES: Record<Range, [pfn: number, n: number]> = {
  'one 4K page': [BASE + 5, 1],
  'an aligned 2 MiB': [BASE, PAGES_PER_2M],
  'an unaligned 2 MiB': [BASE + 256, PAGES_PER_2M],
  'an aligned 1 GiB': [GIG, PAGES_PER_1G],
};

type Ask =
  | 'set_memory_4k()'
  | 'set_direct_map_invalid_noflush()'
  | 'set_direct_map_default_noflush()'
  | 'a 4K RMPUPDATE (adjust_direct_map)'
  | 'a 2M RMPUPDATE (adjust_direct_map)';

function ask(m: Machine, what: Ask, pfn: number, n: number): void {
  if (what === 'set_memory_4k()') m.split4k(pfn, n, 'upstream.adjust_direct_map');
  else if (what === 'set_direct_map_invalid_noflush()')
    m.ctx.setDirectMapPresent(pfn, n, false, 'unmap.invalidate');
  else if (what === 'set_direct_map_default_noflush()')
    m.ctx.setDirectMapPresent(pfn, n, true, 'unmap.invalidate');
  else expect(m.rmpUpdate(pfn, n, true, what.startsWith('a 4K') ? '4K' : '2M', true)).toBe(true);
}

/** [1G→2M splits, 2M→4K splits, ΔDirectMap1G, ΔDirectMap2M, ΔDirectMap4k] in entries. */
type Splits = [pud: number, pmd: number, d1g: number, d2m: number, d4k: number];

// What a splitting call does, by the level that maps the range and the range: every large
// mapping that covers any part of it is split down to 4K, 1G first (a 4K change inside a 1G
// leaf is two splits). A whole aligned 2 MiB is split too: set_memory_4k() forces 4K.
const SPLITS: Record<PageLevel, Record<Range, Splits>> = {
  '1G': {
    'one 4K page': [1, 1, -1, 511, 512],
    'an aligned 2 MiB': [1, 1, -1, 511, 512],
    'an unaligned 2 MiB': [1, 2, -1, 510, 1024],
    'an aligned 1 GiB': [1, 512, -1, 0, 262144],
  },
  '2M': {
    'one 4K page': [0, 1, 0, -1, 512],
    'an aligned 2 MiB': [0, 1, 0, -1, 512],
    'an unaligned 2 MiB': [0, 2, 0, -2, 1024],
    'an aligned 1 GiB': [0, 512, 0, -512, 262144],
  },
  '4K': {
    'one 4K page': [0, 0, 0, 0, 0],
    'an aligned 2 MiB': [0, 0, 0, 0, 0],
    'an unaligned 2 MiB': [0, 0, 0, 0, 0],
    'an aligned 1 GiB': [0, 0, 0, 0, 0],
  },
};
const NONE: Splits = [0, 0, 0, 0, 0];

/**
 * Which asks split, and how many TLB flushes they add besides one per split (before 6.15; the
 * _noflush calls flush only to split, as SNP host v10's invalidate_direct_map() uses them).
 */
const ASKS: [Ask, splits: boolean, extraFlushes: number, ranges: Range[]][] = [
  ['set_memory_4k()', true, 0, Object.keys(RANGES) as Range[]],
  ['set_direct_map_invalid_noflush()', true, 0, Object.keys(RANGES) as Range[]],
  ['set_direct_map_default_noflush()', false, 0, Object.keys(RANGES) as Range[]],
  ['a 4K RMPUPDATE (adjust_direct_map)', true, 0, Object.keys(RANGES) as Range[]],
  // A 2M entry needs a 2M-aligned run of whole regions ([rmp.rmpupdate]).
  ['a 2M RMPUPDATE (adjust_direct_map)', false, 0, ['an aligned 2 MiB', 'an aligned 1 GiB']],
];

const ROWS = (['1G', '2M', '4K'] as const).flatMap((level) =>
  ASKS.flatMap(([what, splits, extra, ranges]) =>
    ranges.map(
      (range) => [level, range, what, splits ? SPLITS[level][range] : NONE, extra] as const,
    ),
  ),
);

function machineAt(level: PageLevel, pfn: number, n: number, linux = '6.11'): Machine {
  const m = new Machine({ ...spec(level === '1G'), host: { ...spec(level === '1G').host, linux } });
  if (level === '4K') m.split4k(pfn, n, 'upstream.adjust_direct_map');
  expect(m.dm.levelOf(pfn)).toBe(level);
  return m;
}

describe('[dm.split.pud] [dm.split.pmd] a change of a range splits every large mapping over it (set_memory.c)', () => {
  it.each(ROWS)('mapped %s, %s, %s → splits and counters %j', (level, range, what, want, extra) => {
    const [pfn, n] = RANGES[range];
    const m = machineAt(level, pfn, n);
    const dm = m.dm;
    const before = [dm.level3Splits, dm.level2Splits, dm.count1g, dm.count2m, dm.count4k];
    const [tables, flushes, outcomes] = [m.tablePages, m.tlbFlushes, m.count('dm-split')];
    ask(m, what, pfn, n);
    const after = [dm.level3Splits, dm.level2Splits, dm.count1g, dm.count2m, dm.count4k];
    expect(after.map((x, i) => x - before[i]!)).toEqual(want);
    const splits = want[0] + want[1];
    expect([m.tablePages - tables, m.tlbFlushes - flushes, m.count('dm-split') - outcomes]).toEqual(
      [splits, splits + extra, splits],
    );
    // Whatever happened, the range is mapped at 4K now exactly when something split it.
    if (splits > 0) for (const p of [pfn, pfn + n - 1]) expect(dm.levelOf(p)).toBe('4K');
    expect(dm.checkInvariants()).toBeNull();
  });
});

describe('[dm.split.pmd] clearing _PAGE_PRESENT on a 4K PTE does not move the counters', () => {
  it.each([true, false])('set_direct_map_*_noflush(present: %s) on a 4K range', (present) => {
    const [pfn, n] = RANGES['an unaligned 2 MiB'];
    const m = machineAt('4K', pfn, n);
    const counts = [m.dm.count1g, m.dm.count2m, m.dm.count4k];
    m.ctx.setDirectMapPresent(pfn, n, present, 'unmap.invalidate');
    expect([m.dm.count1g, m.dm.count2m, m.dm.count4k]).toEqual(counts);
    expect((m.frames.get(pfn) & DM_UNMAPPED) === 0).toBe(present);
  });
});

describe('[dm.no-collapse] a split never collapses (CPA_COLLAPSE is only for set_memory_rox)', () => {
  it('mapping the pages back and freeing them leaves the split region at 4K', () => {
    const [pfn, n] = RANGES['an aligned 2 MiB'];
    const m = machineAt('1G', pfn, n);
    const [l3, l2] = [m.dm.level3Splits, m.dm.level2Splits];
    m.ctx.setDirectMapPresent(pfn, n, false, 'unmap.invalidate');
    m.ctx.setDirectMapPresent(pfn, n, true, 'unmap.invalidate');
    m.rmpUpdate(pfn, n, true, '2M', true);
    m.rmpUpdate(pfn, n, false, '2M', false);
    expect([m.dm.levelOf(pfn), m.dm.levelOf(GIG)]).toEqual(['4K', '2M']);
    expect([m.dm.level3Splits - l3, m.dm.level2Splits - l2]).toEqual([1, 1]);
  });
});

/**
 * [dm.cpa_flush] from 6.15 set_memory_4k() sets _PAGE_KERNEL_4K (set_mask of
 * change_page_attr_set_clr() in arch/x86/mm/pat/set_memory.c), so each call that splits ends in
 * one cpa_flush() on top of the splits' flush_tlb_all(): one more flush per 2M → 4K split. The
 * _noflush calls set no bit. Nothing else about a split changes with the version.
 */
describe('[dm.cpa_flush] set_memory_4k() flushes once more per split region from 6.15', () => {
  const CASES: [linux: string, Ask, PageLevel, Range, flushes: number][] = [
    ['6.11', 'set_memory_4k()', '1G', 'one 4K page', 2],
    ['6.15', 'set_memory_4k()', '1G', 'one 4K page', 3],
    ['6.12-rhel10', 'set_memory_4k()', '1G', 'one 4K page', 3],
    ['6.12', 'set_memory_4k()', '1G', 'one 4K page', 2],
    ['6.15', 'set_memory_4k()', '2M', 'one 4K page', 2],
    ['6.15', 'set_memory_4k()', '2M', 'an unaligned 2 MiB', 4],
    ['6.15', 'set_memory_4k()', '4K', 'one 4K page', 0],
    ['6.15', 'a 4K RMPUPDATE (adjust_direct_map)', '1G', 'one 4K page', 3],
    ['6.11', 'a 4K RMPUPDATE (adjust_direct_map)', '1G', 'one 4K page', 2],
    ['6.15', 'a 2M RMPUPDATE (adjust_direct_map)', '1G', 'an aligned 2 MiB', 0],
    ['6.15', 'set_direct_map_invalid_noflush()', '1G', 'one 4K page', 2],
    ['6.11', 'set_direct_map_invalid_noflush()', '1G', 'one 4K page', 2],
  ];
  it.each(CASES)(
    'Linux %s, %s, mapped %s, %s → %i TLB flushes',
    (linux, what, level, range, want) => {
      const [pfn, n] = RANGES[range];
      const m = machineAt(level, pfn, n, linux);
      const flushes = m.tlbFlushes;
      const counts = () => [
        m.dm.level3Splits,
        m.dm.level2Splits,
        m.dm.count1g,
        m.dm.count2m,
        m.dm.count4k,
        m.tablePages,
      ];
      const older = machineAt(level, pfn, n, '6.11');
      ask(m, what, pfn, n);
      ask(older, what, pfn, n);
      expect(m.tlbFlushes - flushes).toBe(want);
      // Only the flush count depends on the version: the splits and counters are 6.11's.
      expect(counts()).toEqual([
        older.dm.level3Splits,
        older.dm.level2Splits,
        older.dm.count1g,
        older.dm.count2m,
        older.dm.count4k,
        older.tablePages,
      ]);
    },
  );
});
