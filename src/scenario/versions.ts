/**
 * Versions a link or scenario carries besides its format version (SCENARIO_VERSION in types.ts):
 * the model version (what the engine's rules were when a link was made) and the host kernel
 * versions whose rules the model knows.
 */
import { MODEL_CHANGES } from './model-changes';

/** The current model version: the last MODEL_CHANGES entry's (1 before any change). */
export const MODEL_VERSION: number = MODEL_CHANGES.reduce((v, c) => Math.max(v, c.version), 1);

/**
 * The changes made after model version `from` that touch `design`, oldest first
 * (all of them when `design` is undefined).
 */
export function modelChangesSince(from: number, design?: string): string[] {
  return MODEL_CHANGES.filter(
    (c) => c.version > from && (design === undefined || c.designs.includes(design)),
  ).map((c) => c.text);
}

/**
 * Host kernel versions (`host.linux`) the model knows, oldest first: each design's era
 * (DESIGN_LINUX in src/machine/linux.ts: 5.12, 5.19, 6.6, 6.11, 6.13, 6.15), the kernels of the
 * published boot snapshots (5.17, 6.1) and the LTS kernels (5.15, 6.1, 6.6, 6.12). A version in
 * between uses the nearest one at or below it (the oldest when below them all); the rules
 * themselves change only at 6.15 (_PAGE_KERNEL_4K in set_memory_4k, the vmstat collapse
 * counters: linuxRules() in src/machine/linux.ts).
 */
export const KNOWN_LINUX_VERSIONS = [
  '5.12',
  '5.15',
  '5.17',
  '5.19',
  '6.1',
  '6.6',
  '6.11',
  '6.12',
  '6.13',
  '6.15',
] as const;

/** The form host.linux must have: major.minor, optionally more (".3", "-rc2"). */
export const LINUX_VERSION_FORM = /^\d+\.\d+/;

function order(v: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** The known version whose rules a (well-formed) host.linux uses. */
export function nearestLinuxVersion(v: string): string {
  const [maj, min] = order(v);
  let best: string = KNOWN_LINUX_VERSIONS[0];
  for (const k of KNOWN_LINUX_VERSIONS) {
    const [a, b] = order(k);
    if (a < maj || (a === maj && b <= min)) best = k;
  }
  return best;
}
