/**
 * The host kernel version a machine runs: `spec.host.linux`, or — until a scenario says — the
 * kernel design's own era (DESIGN_LINUX in ../linux.ts, the table scenario format 2 fills
 * host.linux from).
 */
import type { MachineSpec } from '../events';
import { DESIGN_LINUX, linuxOrder } from '../linux';

export function effectiveLinux(spec: MachineSpec): string {
  return spec.host.linux ?? DESIGN_LINUX[spec.kernel];
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
