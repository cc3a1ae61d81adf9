/**
 * What a kernel developer checks after each step: /proc/meminfo and /proc/vmstat as the kernel
 * prints them, outcome counts, page-table memory, memory mapped at each size, RMP table size,
 * double-backed memory and an estimate of data-TLB reach over the direct map.
 */
import type { Meminfo, VmstatSplits } from '../formats/meminfo';
import type { Machine } from '../machine/machine';
import { PAGE_SIZE, PMD_SIZE, PUD_SIZE } from '../machine/units';

export interface OutcomeCounts {
  rmp_faults: number;
  thp_splits: number;
  guests_killed: number;
  launches_refused: number;
  psmash: number;
  host_oops: number;
  tlb_flushes: number;
  page_table_pages: number;
}

export type ZenGeneration = 'zen2' | 'zen3' | 'zen4' | 'zen5';

/**
 * L1 / L2 data-TLB entries (domain.md §6). Zen 2 and Zen 5 L2 hold 4K/2M only, so a 1G
 * translation occupies a 2M entry there. Zen 3 is "commonly given" (unconfirmed).
 */
export const ZEN_DTLB: Record<
  ZenGeneration,
  { l1: number; l2: number; l2Holds1G: boolean; note: string }
> = {
  zen2: { l1: 64, l2: 2048, l2Holds1G: false, note: '' },
  zen3: { l1: 64, l2: 2048, l2Holds1G: true, note: 'unconfirmed' },
  zen4: { l1: 72, l2: 3072, l2Holds1G: true, note: '' },
  zen5: { l1: 96, l2: 4096, l2Holds1G: false, note: '' },
};

export interface Metrics {
  step: number;
  meminfo: Meminfo;
  vmstat: VmstatSplits;
  outcomes: OutcomeCounts;
  /** All direct-map page-table pages (boot tables plus one per split), in bytes. */
  pageTableBytes: number;
  rmpTableBytes: number;
  doubleBackedBytes: number;
  /** Bytes of TLB reach per generation if every entry held a direct-map translation. */
  tlbReach: Record<ZenGeneration, { l1: number; l2: number }>;
}

export function outcomeCounts(m: Machine): OutcomeCounts {
  return {
    rmp_faults: m.count('rmp-fault'),
    thp_splits: m.count('thp-split'),
    guests_killed: m.count('guest-killed'),
    launches_refused: m.count('launch-refused'),
    psmash: m.count('psmash'),
    host_oops: m.count('host-oops'),
    tlb_flushes: m.tlbFlushes,
    page_table_pages: m.dm.splitTablePages,
  };
}

export function tlbReach(meminfo: Meminfo): Metrics['tlbReach'] {
  const kb = meminfo.DirectMap4k + meminfo.DirectMap2M + meminfo.DirectMap1G;
  const f4 = kb ? meminfo.DirectMap4k / kb : 1;
  const f2 = kb ? meminfo.DirectMap2M / kb : 0;
  const f1 = kb ? meminfo.DirectMap1G / kb : 0;
  // Expected page size of the translation a uniformly random direct-map access needs.
  const avg = (holds1G: boolean) =>
    f4 * PAGE_SIZE + f2 * PMD_SIZE + f1 * (holds1G ? PUD_SIZE : PMD_SIZE);
  const out = {} as Metrics['tlbReach'];
  for (const [gen, t] of Object.entries(ZEN_DTLB) as [ZenGeneration, (typeof ZEN_DTLB)['zen2']][])
    out[gen] = { l1: Math.round(t.l1 * avg(true)), l2: Math.round(t.l2 * avg(t.l2Holds1G)) };
  return out;
}

export function metricsOf(m: Machine): Metrics {
  const meminfo = {
    DirectMap4k: m.dm.count4k * 4,
    DirectMap2M: m.dm.count2m * 2048,
    DirectMap1G: m.dm.count1g * 1048576,
  };
  return {
    step: m.step,
    meminfo,
    vmstat: {
      direct_map_level2_splits: m.dm.level2Splits,
      direct_map_level3_splits: m.dm.level3Splits,
      // [dm.collapse_counters]: nothing the engine splits ever collapses.
      ...(m.linux.collapseCounters
        ? { direct_map_level2_collapses: 0, direct_map_level3_collapses: 0 }
        : {}),
    },
    outcomes: outcomeCounts(m),
    pageTableBytes: m.tablePages * PAGE_SIZE,
    rmpTableBytes: m.rmpTableBytes,
    doubleBackedBytes: m.doubleBackedPages * PAGE_SIZE,
    tlbReach: tlbReach(meminfo),
  };
}
