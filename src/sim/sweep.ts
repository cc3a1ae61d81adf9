/**
 * One workload under every kernel design × guest backing: the table reviewers ask for ("what
 * does hugetlbfs cost under each design?"). Each cell replays the same scenario with the kernel
 * and every guest's backing overridden, to the last step, and keeps the final counters.
 */
import { applyEvent } from '../machine/apply';
import { BACKINGS, type Backing, KERNEL_DESIGNS, type KernelDesign } from '../machine/events';
import { Machine } from '../machine/machine';
import { compilePacked, linuxForKernel, type Scenario } from '../scenario';
import { machineDigest } from './digest';
import { type Metrics, metricsOf } from './metrics';

export interface SweepCell {
  kernel: KernelDesign;
  backing: Backing;
  steps: number;
  metrics: Metrics;
  guests: { name: string; status: string }[];
  digest: string;
}

export function withOverrides(s: Scenario, kernel: KernelDesign, backing: Backing): Scenario {
  const linux = linuxForKernel(s.host.linux, s.kernel, kernel);
  return {
    ...s,
    kernel,
    host: { ...s.host, linux },
    guests: s.guests.map((g) => ({ ...g, backing })),
  };
}

export function sweepCell(s: Scenario, kernel: KernelDesign, backing: Backing): SweepCell {
  const { spec, events } = compilePacked(withOverrides(s, kernel, backing));
  const m = new Machine(spec);
  for (let i = 0; i < events.length; i++) applyEvent(m, events.at(i));
  return {
    kernel,
    backing,
    steps: events.length,
    metrics: metricsOf(m),
    guests: m.guests.map((g) => ({ name: g.spec.name, status: g.status })),
    digest: machineDigest(m),
  };
}

/** Every design × backing, designs in KERNEL_DESIGNS order. */
export function sweep(s: Scenario, kernels = KERNEL_DESIGNS, backings = BACKINGS): SweepCell[] {
  const out: SweepCell[] = [];
  for (const k of kernels) for (const b of backings) out.push(sweepCell(s, k, b));
  return out;
}

/** The sweep as a fixed-width text table (CLI and mailing-list exports). */
export function formatSweep(cells: readonly SweepCell[]): string {
  const head = [
    'kernel',
    'backing',
    'DirectMap4k',
    'DirectMap2M',
    'DirectMap1G',
    'l2 splits',
    'l3 splits',
    'RMP faults',
    'THP splits',
    'killed',
    'refused',
    'PT pages',
  ];
  const rows = cells.map((c) => [
    c.kernel,
    c.backing,
    `${c.metrics.meminfo.DirectMap4k} kB`,
    `${c.metrics.meminfo.DirectMap2M} kB`,
    `${c.metrics.meminfo.DirectMap1G} kB`,
    String(c.metrics.vmstat.direct_map_level2_splits),
    String(c.metrics.vmstat.direct_map_level3_splits),
    String(c.metrics.outcomes.rmp_faults),
    String(c.metrics.outcomes.thp_splits),
    String(c.metrics.outcomes.guests_killed),
    String(c.metrics.outcomes.launches_refused),
    String(c.metrics.outcomes.page_table_pages),
  ]);
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return `${all.map((r) => r.map((x, i) => (i < 2 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ')).join('\n')}\n`;
}
