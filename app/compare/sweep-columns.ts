/** The sweep's columns: what each shows, how it sorts and how it is written. */
import type { SweepRow } from '../../src/worker/protocol';
import { BACKING_LABELS } from '../controls/scenario-edit';

export interface Column {
  id: string;
  label: string;
  title: string;
  value: (r: SweepRow) => number | string;
  numeric: boolean;
}

const kb = (n: number) => `${n.toLocaleString('en-US')} kB`;

export const SWEEP_COLUMNS: Column[] = [
  { id: 'kernel', label: 'Kernel', title: 'Kernel design', value: (r) => r.kernel, numeric: false },
  {
    id: 'backing',
    label: 'Backing',
    title: 'Guest memory backing',
    value: (r) => BACKING_LABELS[r.backing],
    numeric: false,
  },
  num('dm4k', 'DirectMap4k', 'kB mapped with 4K pages', (r) => r.metrics.meminfo.DirectMap4k),
  num('dm2m', 'DirectMap2M', 'kB mapped with 2M pages', (r) => r.metrics.meminfo.DirectMap2M),
  num('dm1g', 'DirectMap1G', 'kB mapped with 1G pages', (r) => r.metrics.meminfo.DirectMap1G),
  num(
    'l2',
    '2M→4K splits',
    'direct_map_level2_splits',
    (r) => r.metrics.vmstat.direct_map_level2_splits,
  ),
  num(
    'l3',
    '1G→2M splits',
    'direct_map_level3_splits',
    (r) => r.metrics.vmstat.direct_map_level3_splits,
  ),
  num('faults', 'RMP faults', 'RMP violations taken', (r) => r.metrics.outcomes.rmp_faults),
  num('thp', 'THP splits', 'VMM huge PMDs split', (r) => r.metrics.outcomes.thp_splits),
  num('killed', 'Killed', 'Guests killed (SIGBUS)', (r) => r.metrics.outcomes.guests_killed),
  num('refused', 'Refused', 'Launches refused', (r) => r.metrics.outcomes.launches_refused),
  num(
    'pt',
    'PT memory',
    'Direct-map page-table memory, kB',
    (r) => r.metrics.pageTableBytes / 1024,
  ),
  num('flush', 'TLB flushes', 'TLB flushes', (r) => r.metrics.outcomes.tlb_flushes),
];

function num(id: string, label: string, title: string, value: (r: SweepRow) => number): Column {
  return { id, label, title, value, numeric: true };
}

export function fmt(c: Column, r: SweepRow): string {
  const v = c.value(r);
  if (typeof v === 'string') return v;
  return c.id.startsWith('dm') || c.id === 'pt' ? kb(v) : v.toLocaleString('en-US');
}
