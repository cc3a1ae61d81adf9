/** The counters compare shows side by side, with how to format them and their B − A delta. */
import type { Metrics, ZenGeneration } from '../../src/worker/protocol';
import { formatBytes } from '../panels/format';

export interface CounterRow {
  label: string;
  title: string;
  value: (m: Metrics) => number;
  fmt: (v: number) => string;
}

const n = (v: number) => v.toLocaleString('en-US');
const kb = (v: number) => `${n(v)} kB`;
/** As the explorer's counters print sizes (TLB reach of a terabyte host in TiB, not 2256.09 GiB). */
const bytes = formatBytes;

export function COUNTER_ROWS(zen: ZenGeneration): CounterRow[] {
  return [
    { label: 'DirectMap4k', title: '/proc/meminfo', value: (m) => m.meminfo.DirectMap4k, fmt: kb },
    { label: 'DirectMap2M', title: '/proc/meminfo', value: (m) => m.meminfo.DirectMap2M, fmt: kb },
    { label: 'DirectMap1G', title: '/proc/meminfo', value: (m) => m.meminfo.DirectMap1G, fmt: kb },
    {
      label: 'direct_map_level2_splits',
      title: '/proc/vmstat: 2M→4K splits',
      value: (m) => m.vmstat.direct_map_level2_splits,
      fmt: n,
    },
    {
      label: 'direct_map_level3_splits',
      title: '/proc/vmstat: 1G→2M splits',
      value: (m) => m.vmstat.direct_map_level3_splits,
      fmt: n,
    },
    { label: 'RMP faults', title: 'RMP violations', value: (m) => m.outcomes.rmp_faults, fmt: n },
    {
      label: 'THP splits',
      title: 'VMM huge PMDs split',
      value: (m) => m.outcomes.thp_splits,
      fmt: n,
    },
    { label: 'PSMASH', title: '2M RMP entries smashed', value: (m) => m.outcomes.psmash, fmt: n },
    { label: 'Guests killed', title: 'SIGBUS', value: (m) => m.outcomes.guests_killed, fmt: n },
    {
      label: 'Launches refused',
      title: 'VM failed to start',
      value: (m) => m.outcomes.launches_refused,
      fmt: n,
    },
    { label: 'TLB flushes', title: 'flushes', value: (m) => m.outcomes.tlb_flushes, fmt: n },
    {
      label: 'Page-table memory',
      title: 'direct-map page tables',
      value: (m) => m.pageTableBytes,
      fmt: bytes,
    },
    {
      label: `TLB reach (L2, ${zen})`,
      title: 'data-TLB reach over the direct map',
      value: (m) => m.tlbReach[zen].l2,
      fmt: bytes,
    },
  ];
}

export function fmtDelta(r: CounterRow, d: number): string {
  if (d === 0) return '0';
  return `${d > 0 ? '+' : '−'}${r.fmt(Math.abs(d))}`;
}
