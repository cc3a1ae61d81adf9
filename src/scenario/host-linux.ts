/**
 * Scenario format 2's host kernel fields: `host.linux` (the host kernel version whose rules
 * apply, defaulting to the kernel design's era, DESIGN_LINUX in src/machine/linux.ts) and
 * `host.la57` (5-level paging). Kept out of schema.ts, which only references these.
 */
import * as v from 'valibot';
import type { KernelDesign } from '../machine/events';
import { DESIGN_LINUX } from '../machine/linux';
import { KNOWN_LINUX_VERSIONS, LINUX_VERSION_FORM, nearestLinuxVersion } from './versions';

export const LINUX_ALLOWED =
  'a kernel version such as "5.17", "6.1", "6.11", "6.15" or "6.12-rhel10" (major.minor, then optionally ".patch" or "-variant")';
const MAX_LINUX_CHARS = 32;
/** The whole accepted form: major.minor, an optional .patch, an optional -variant. */
const LINUX_FULL = /^\d{1,2}\.\d{1,3}(\.\d{1,4})?(-[a-z0-9][a-z0-9._-]{0,20})?$/i;

/** Whether `s` has host.linux's form (the schema's check, for flags and link parameters). */
export function isLinuxVersion(s: string): boolean {
  return s.length <= MAX_LINUX_CHARS && LINUX_FULL.test(s);
}

export const linuxField = v.exactOptional(
  v.pipe(
    v.string(LINUX_ALLOWED),
    v.maxLength(MAX_LINUX_CHARS, LINUX_ALLOWED),
    v.regex(LINUX_VERSION_FORM, LINUX_ALLOWED),
    v.regex(LINUX_FULL, LINUX_ALLOWED),
  ),
);

export const la57Field = v.optional(v.boolean('true or false'), false);

/** The host kernel version a design runs when the scenario does not say. */
export function eraLinux(kernel: KernelDesign): string {
  return DESIGN_LINUX[kernel];
}

/**
 * A version the model has no rule set of its own for (or a distribution variant it does not
 * know), said as a warning: which known version's rules apply instead. Null when it is known.
 */
export function linuxWarning(linux: string): string | null {
  const base = /^\d+\.\d+/.exec(linux)?.[0] ?? linux;
  const suffix = linux.slice(base.length);
  const known = (KNOWN_LINUX_VERSIONS as readonly string[]).includes(base);
  const variantKnown = /^(\.\d+)?(-rc\d+|-rhel10)?$/i.test(suffix);
  if (known && variantKnown) return null;
  const near = nearestLinuxVersion(linux);
  const what = known
    ? `variant "${suffix.replace(/^[-.]/, '')}" is not one the model knows`
    : 'has no rule set of its own';
  return `${LINUX_REPAIR_PREFIX} "${linux}" ${what}; the rules of ${near} apply (known: ${KNOWN_LINUX_VERSIONS.join(', ')})`;
}

/** The start of linuxWarning's text, by which source.ts names the repair (code linux-nearest). */
export const LINUX_REPAIR_PREFIX = 'host.linux:';

/**
 * A scenario switched to another kernel design: a host.linux that was the old design's era
 * default follows to the new design's (a what-if of another era runs that era's kernel); one
 * the user chose stays.
 */
export function linuxForKernel(
  linux: string | undefined,
  from: KernelDesign,
  to: KernelDesign,
): string {
  return linux === undefined || linux === eraLinux(from) ? eraLinux(to) : linux;
}
