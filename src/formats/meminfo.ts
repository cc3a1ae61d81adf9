/**
 * /proc/meminfo and /proc/vmstat lines exactly as the kernel prints them.
 * arch_report_meminfo() in arch/x86/mm/pat/set_memory.c: "DirectMap4k:    %8lu kB", the 2M line,
 * and the 1G line only when direct_gbpages is set. vmstat: "direct_map_level2_splits %lu", and
 * from 6.15 the two direct_map_level{2,3}_collapses lines after them.
 */
import type { DirectMapCounts } from '../machine/boot-layout';

export interface Meminfo {
  DirectMap4k: number;
  DirectMap2M: number;
  DirectMap1G: number;
}

export function meminfoFromCounts(c: DirectMapCounts): Meminfo {
  return {
    DirectMap4k: c.pages4k * 4,
    DirectMap2M: c.pages2m * 2048,
    DirectMap1G: c.pages1g * 1048576,
  };
}

const pad8 = (n: number) => String(n).padStart(8, ' ');

export function formatMeminfo(m: Meminfo, gbpages: boolean): string {
  const lines = [
    `DirectMap4k:    ${pad8(m.DirectMap4k)} kB`,
    `DirectMap2M:    ${pad8(m.DirectMap2M)} kB`,
  ];
  if (gbpages) lines.push(`DirectMap1G:    ${pad8(m.DirectMap1G)} kB`);
  return `${lines.join('\n')}\n`;
}

export interface VmstatSplits {
  direct_map_level2_splits: number;
  direct_map_level3_splits: number;
  /** Printed from 6.15 (DIRECT_MAP_LEVEL2_COLLAPSE); absent (or null) on older kernels. */
  direct_map_level2_collapses?: number | null;
  /** Printed from 6.15 (DIRECT_MAP_LEVEL3_COLLAPSE); absent (or null) on older kernels. */
  direct_map_level3_collapses?: number | null;
}

/** The direct_map lines of /proc/vmstat in the kernel's order (vm_event_item.h, vmstat_text). */
export function formatVmstat(v: VmstatSplits): string {
  let out = `direct_map_level2_splits ${v.direct_map_level2_splits}\ndirect_map_level3_splits ${v.direct_map_level3_splits}\n`;
  if (v.direct_map_level2_collapses != null)
    out += `direct_map_level2_collapses ${v.direct_map_level2_collapses}\n`;
  if (v.direct_map_level3_collapses != null)
    out += `direct_map_level3_collapses ${v.direct_map_level3_collapses}\n`;
  return out;
}
