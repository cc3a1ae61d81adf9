/**
 * Chained migrations: a scenario of version n goes through migrations[n] (n → n+1) until it
 * reaches SCENARIO_VERSION, so every link ever shared keeps loading. A migration is a pure
 * function on plain JSON that never throws on odd input: it moves what it recognises and leaves
 * the rest for the schema to report.
 *
 * Version 0 is the draft format used before the v1 schema: `ramGiB` (a number) instead of
 * `host.ram`, `design` instead of `kernel` (with short era names), guests with `memGiB`, and
 * "hugetlbfs" meaning 2 MiB pages. A scenario without `version` that has `ramGiB` or `design`
 * is taken to be version 0.
 *
 * Version 1 → 2 (issue 14): version 2 adds `host.linux` (the host kernel version whose rules
 * apply) and `host.la57`. A version-1 scenario had no host kernel version: it ran its design's
 * era, which is what an absent `host.linux` still means, so the migration only renumbers it.
 */
import { scenarioError } from './errors';
import { SCENARIO_VERSION, type ScenarioError } from './types';

type Json = Record<string, unknown>;
type Migration = (old: Json) => { value: Json; notes: string[] };

const isObject = (x: unknown): x is Json =>
  x !== null && typeof x === 'object' && !Array.isArray(x);

const V0_DESIGNS: Record<string, string> = {
  rfc: 'rfc-2021',
  ban: 'hugetlb-ban-2022',
  'hugetlb-ban': 'hugetlb-ban-2022',
  sequester: 'sequester',
  unmap: 'unmap-2023',
  upstream: 'upstream-2024',
  none: 'no-snp',
};

const v0ToV1: Migration = (old) => {
  const notes: string[] = [];
  const { ramGiB, gbpages, design, guests, version: _v, ...rest } = old;
  const host: Json = isObject(rest.host) ? { ...rest.host } : {};
  if (typeof ramGiB === 'number') host.ram = `${ramGiB}G`;
  else if (ramGiB !== undefined) host.ram = ramGiB;
  if (gbpages !== undefined) host.gbpages = gbpages;
  const value: Json = { ...rest, version: 1, host };
  if (design !== undefined) {
    const mapped = typeof design === 'string' ? (V0_DESIGNS[design] ?? design) : design;
    value.kernel = mapped;
    if (mapped !== design) notes.push(`design "${String(design)}" is now kernel "${mapped}"`);
  }
  if (Array.isArray(guests)) {
    value.guests = guests.map((g) => {
      if (!isObject(g)) return g;
      const { memGiB, backing, ...gr } = g;
      const out: Json = { ...gr };
      if (memGiB !== undefined) out.memory = typeof memGiB === 'number' ? `${memGiB}G` : memGiB;
      if (backing !== undefined) out.backing = backing === 'hugetlbfs' ? 'hugetlbfs-2m' : backing;
      return out;
    });
  } else if (guests !== undefined) {
    value.guests = guests;
  }
  return { value, notes };
};

const v1ToV2: Migration = (old) => {
  const value: Json = { ...old, version: 2 };
  // An absent host.linux is filled in by the schema from the design's era (DESIGN_LINUX).
  return { value, notes: [] };
};

/** migrations[n] takes version n to n + 1. */
export const MIGRATIONS: readonly Migration[] = [v0ToV1, v1ToV2];

export type MigrateResult =
  | { ok: true; value: unknown; fromVersion: number; notes: string[] }
  | { ok: false; error: ScenarioError };

/** The version a plain-JSON scenario claims, or null when it says nothing usable. */
export function detectVersion(input: unknown): number | null {
  if (!isObject(input)) return null;
  if (input.version === undefined) return 'ramGiB' in input || 'design' in input ? 0 : null;
  return typeof input.version === 'number' && Number.isInteger(input.version)
    ? input.version
    : null;
}

/** Bring any older scenario up to SCENARIO_VERSION; current or unknown shapes pass unchanged. */
export function migrateToCurrent(input: unknown): MigrateResult {
  const from = detectVersion(input);
  if (from === null || from === SCENARIO_VERSION || !isObject(input)) {
    return { ok: true, value: input, fromVersion: from ?? SCENARIO_VERSION, notes: [] };
  }
  if (from > SCENARIO_VERSION) {
    const allowed = `a version up to ${SCENARIO_VERSION} (this scenario was made by a newer Fracture)`;
    return { ok: false, error: scenarioError('version', from, allowed) };
  }
  if (from < 0) {
    return { ok: false, error: scenarioError('version', from, `0..${SCENARIO_VERSION}`) };
  }
  let value: Json = input;
  const notes: string[] = [];
  for (let version = from; version < SCENARIO_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (step === undefined) {
      return { ok: false, error: scenarioError('version', from, 'a known version') };
    }
    const r = step(value);
    value = r.value;
    notes.push(`migrated from version ${version} to ${version + 1}`, ...r.notes);
  }
  return { ok: true, value, fromVersion: from, notes };
}
