/**
 * What a kernel developer checks after each step: /proc/meminfo and /proc/vmstat as the kernel
 * prints them, outcome counts, page-table memory, memory mapped at each size, RMP table size,
 * double-backed memory and an estimate of data-TLB reach over the direct map.
 */
import type { Meminfo, VmstatSplits } from '../formats/meminfo';
import { hostCause, SITES } from '../machine/causes';
import {
  SC_L2_COLLAPSES,
  SC_L2_SPLITS,
  SC_L3_COLLAPSES,
  SC_L3_SPLITS,
  SC_REGIONS_4K,
  SITE_COUNTERS,
} from '../machine/direct-map';
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
      // [dm.collapse_counters] printed from 6.15: the real collapses of cpa.ts
      // ([cpa.collapse.pmd] / [cpa.collapse.pud]); SNP's own splits never collapse.
      ...(m.linux.collapseCounters
        ? {
            direct_map_level2_collapses: m.dm.level2Collapses,
            direct_map_level3_collapses: m.dm.level3Collapses,
          }
        : {}),
    },
    outcomes: outcomeCounts(m),
    pageTableBytes: m.tablePages * PAGE_SIZE,
    rmpTableBytes: m.rmpTableBytes,
    doubleBackedBytes: m.doubleBackedPages * PAGE_SIZE,
    tlbReach: tlbReach(meminfo),
  };
}

/** One cause's share of the direct map's fragmentation (the "where does DirectMap4k come from" view). */
export interface CauseRow {
  cause: string;
  label: string;
  /** "layout" is the boot layout itself (4K at range edges and the first 2 MiB). */
  status: 'merged' | 'proposal' | 'layout';
  /** DirectMap4k that exists because this cause split 2 MiB regions (the layout: its own 4K). */
  directMap4kKb: number;
  level2Splits: number;
  level3Splits: number;
  level2Collapses: number;
  level3Collapses: number;
  /** Whether its splits can heal on this kernel (CPA_COLLAPSE, 6.15+). */
  canHeal: boolean;
}

/** Per-cause counters from DirectMap.bySite: O(call sites), cheap enough for every step. */
export function byCause(m: Machine): CauseRow[] {
  const rows = new Map<string, CauseRow>();
  const by = m.dm.bySite;
  let split4kKb = 0;
  SITES.forEach((site, i) => {
    const at = i * SITE_COUNTERS;
    let row = rows.get(site.cause);
    if (!row) {
      const c = hostCause(site.cause);
      row = {
        cause: site.cause,
        label: c?.label ?? (site.cause === 'snp' ? `SEV-SNP (${m.design.label})` : 'boot layout'),
        status: c?.status ?? (site.cause === 'boot' ? 'layout' : 'merged'),
        directMap4kKb: 0,
        level2Splits: 0,
        level3Splits: 0,
        level2Collapses: 0,
        level3Collapses: 0,
        canHeal: (c?.heals ?? false) && m.linux.kernel4k,
      };
      rows.set(site.cause, row);
    }
    const kb = by[at + SC_REGIONS_4K]! * 2048;
    split4kKb += kb;
    row.directMap4kKb += kb;
    row.level2Splits += by[at + SC_L2_SPLITS]!;
    row.level3Splits += by[at + SC_L3_SPLITS]!;
    row.level2Collapses += by[at + SC_L2_COLLAPSES]!;
    row.level3Collapses += by[at + SC_L3_COLLAPSES]!;
  });
  const boot = rows.get('boot');
  if (boot) boot.directMap4kKb = Math.max(0, m.dm.count4k * 4 - split4kKb);
  return [...rows.values()].filter(
    (r) => r.status === 'layout' || r.level2Splits + r.level3Splits + r.level2Collapses > 0,
  );
}
