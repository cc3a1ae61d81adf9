/**
 * The host kernel control's choices (`host.linux`): the versions the model has rule sets for,
 * the distribution variant 6.12-rhel10, the design's era marked as its default, and a line
 * saying what the chosen version's direct-map rules do differently (linuxRules in
 * src/machine/linux.ts, arch/x86/mm/pat/set_memory.c).
 */
import { effectiveLinux, linuxRules, type RunInfo } from '../../src/worker/protocol';

/** Named distribution kernels offered beside the upstream ones. */
export const LINUX_VARIANTS = ['6.12-rhel10'] as const;

export interface LinuxChoice {
  value: string;
  label: string;
}

/**
 * Upstream versions oldest first (the run's `known` ones), each variant after its base; the
 * current one when unlisted, labelled with the rules it runs (`nearest`).
 */
export function linuxChoices(current: string, k: RunInfo['linux']): LinuxChoice[] {
  const era = k.era;
  const values: string[] = [];
  for (const v of k.known) {
    values.push(v);
    for (const x of LINUX_VARIANTS) if (x.startsWith(`${v}-`)) values.push(x);
  }
  if (!values.includes(current)) values.unshift(current);
  if (!values.includes(era)) values.unshift(era);
  return values.map((value) => ({ value, label: linuxLabel(value, k) }));
}

function linuxLabel(v: string, k: RunInfo['linux']): string {
  const parts: string[] = [];
  if (v === k.era) parts.push("design's era");
  const follows = effectiveLinux(v);
  if (follows !== v) parts.push(`${follows} rules`);
  else if (!k.known.includes(v) && v === k.runs) parts.push(`${k.nearest} rules`);
  return parts.length > 0 ? `${v} (${parts.join(', ')})` : v;
}

/** What the version's direct-map rules do, in one line for the controls and the Scenario panel. */
export function linuxRulesText(v: string): string {
  const r = linuxRules(v);
  const backport = effectiveLinux(v) !== v ? ` (backported from ${effectiveLinux(v)})` : '';
  return r.kernel4k
    ? `set_memory_4k() sets _PAGE_KERNEL_4K, one more cpa_flush per call; /proc/vmstat prints direct_map_level2/3_collapses${backport}`
    : 'before 6.15: no _PAGE_KERNEL_4K flush, no collapse counters in /proc/vmstat';
}
