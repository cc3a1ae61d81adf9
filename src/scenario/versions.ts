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
 * Host kernel versions (`host.linux`) with a rule set of their own, oldest first. A version in
 * between uses the nearest one at or below it (the oldest when below them all): 6.15 adds
 * _PAGE_KERNEL_4K in set_memory_4k and the vmstat direct_map collapse counters (issue 14).
 */
export const KNOWN_LINUX_VERSIONS = ['5.15', '5.17', '6.1', '6.6', '6.11', '6.15'] as const;

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
