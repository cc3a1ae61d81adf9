/**
 * The host kernel version a machine runs: `spec.host.linux`, or — until a scenario says — the
 * kernel design's own era (the release its series targeted). One small table, easy to change when
 * scenario format 2 (host.linux) fills the field in everywhere.
 */
import type { KernelDesign, MachineSpec } from '../events';
import { linuxOrder } from '../linux';

export const DESIGN_ERA: Readonly<Record<KernelDesign, string>> = {
  'rfc-2021': '5.12',
  'hugetlb-ban-2022': '5.19',
  sequester: '5.12',
  'unmap-2023': '6.5',
  'upstream-2024': '6.11',
  'gmem-thp-rfc': '6.13',
  'gmem-1g-rfc': '6.15',
  'no-snp': '6.12',
};

export function effectiveLinux(spec: MachineSpec): string {
  return spec.host.linux ?? DESIGN_ERA[spec.kernel];
}

/** The versions whose rule sets differ somewhere (causes.md §3). */
export const KNOWN_LINUX = [
  '5.12',
  '5.14',
  '5.17',
  '5.18',
  '6.1',
  '6.5',
  '6.11',
  '6.12',
  '6.13',
  '6.14',
  '6.15',
  '6.17',
];

/**
 * The nearest known rule set at or below v (the oldest one below them all), and a note when it
 * is not v itself: "6.3 runs the 6.1 rules".
 */
export function nearestLinux(v: string): { linux: string; note: string | null } {
  const o = linuxOrder(v);
  if (o === 0)
    return {
      linux: KNOWN_LINUX[KNOWN_LINUX.length - 1]!,
      note: `"${v}" is not a kernel version; using ${KNOWN_LINUX[KNOWN_LINUX.length - 1]}`,
    };
  let best = KNOWN_LINUX[0]!;
  for (const k of KNOWN_LINUX) if (linuxOrder(k) <= o) best = k;
  const exact = KNOWN_LINUX.some((k) => linuxOrder(k) === o);
  return {
    linux: v,
    note: exact ? null : `${v} runs the ${best} rules (the nearest known rule set)`,
  };
}
