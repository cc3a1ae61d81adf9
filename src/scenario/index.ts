/**
 * The scenario package: format v1 (schema), presets, workload generators and compiler, share
 * URLs, migrations and repair. Everything the app, the worker and the CLI need comes from here.
 */
import { DEFAULT_PRESET, loadPreset, PRESET_NAMES, PRESETS } from './presets';
import { parseScenario } from './schema';
import type { Scenario, ScenarioError } from './types';
import { decodeShareFragment, type ShareView } from './url';

export {
  type CompiledScenario,
  compilePacked,
  compileScenario,
  explicitEvents,
  generateEvents,
  PackedEvents,
  scenarioSpec,
} from './compile';
export { canonicalJson, scenarioDigest } from './digest';
export { dmaPoolBytes, swiotlbBytes } from './layout';
export { detectVersion, MIGRATIONS, migrateToCurrent } from './migrate';
export { type Narrative, narrativeOf, type Overrides } from './narrative';
export { DEFAULT_PRESET, loadPreset, PRESET_NAMES, PRESETS, type PresetResult } from './presets';
export { Prng } from './prng';
export { FALLBACK_RAM, type RepairResult, repairScenario } from './repair';
export { type ParseResult, parseScenario } from './schema';
export * from './types';
export {
  compactScenario,
  type DecodedShare,
  decodeShareFragment,
  encodeShareFragment,
  type ShareSource,
  type ShareView,
} from './url';

export type ResolvedScenario =
  | {
      ok: true;
      scenario: Scenario;
      /** A share link's scenario before its kernel/backing overrides (else the scenario). */
      base: Scenario;
      view: ShareView;
      preset?: string;
      warnings: string[];
    }
  | { ok: false; errors: string[] };

export interface ResolveOptions {
  /** Accept a share link that needed repairs (the repairs come back as warnings). Default false. */
  repair?: boolean;
}

/** True when `arg` looks like a share link or a bare fragment rather than a file or preset. */
export function looksLikeShareLink(arg: string): boolean {
  return arg.includes('#') || /^(v|s|preset|step|kernel|backing|zoom|layer|sel)=/.test(arg);
}

/**
 * What the CLI's `run` accepts: a scenario file path, a share URL (whole URL with #fragment or
 * just the fragment), or a preset name. Never throws; readFile may throw and is caught.
 */
export function resolveScenarioArg(
  arg: string,
  readFile: (path: string) => string,
  options: ResolveOptions = {},
): ResolvedScenario {
  if (looksLikeShareLink(arg)) {
    const d = decodeShareFragment(arg);
    const problems = d.errors.map((e) => e.message);
    if (d.scenario === undefined) {
      const why =
        problems.length > 0 ? problems : ['the link holds no scenario (s=) or preset (preset=)'];
      return { ok: false, errors: why };
    }
    if (problems.length > 0 && options.repair !== true) {
      return { ok: false, errors: [...problems, ...d.repairs.map((r) => `would repair: ${r}`)] };
    }
    const preset = d.preset !== undefined ? { preset: d.preset } : {};
    const base = d.baseScenario ?? d.scenario;
    return { ok: true, scenario: d.scenario, base, view: d.view, ...preset, warnings: d.repairs };
  }
  if (Object.hasOwn(PRESETS, arg)) {
    const r = loadPreset(arg);
    if (!r.ok) return { ok: false, errors: r.errors.map((e) => e.message) };
    return {
      ok: true,
      scenario: r.scenario,
      base: r.scenario,
      view: {},
      preset: arg,
      warnings: [],
    };
  }
  let text: string;
  try {
    text = readFile(arg);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      errors: [
        `cannot read "${arg}" (${reason}); expected a scenario file, a share URL or a preset: ${PRESET_NAMES.join(', ')}`,
      ],
    };
  }
  return resolveScenarioText(text, arg);
}

/** Parse scenario JSON text (a file's contents); errors name the file. */
export function resolveScenarioText(text: string, source = 'scenario'): ResolvedScenario {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, errors: [`${source}: not valid JSON (${reason})`] };
  }
  const r = parseScenario(json);
  if (!r.ok)
    return { ok: false, errors: r.errors.map((e: ScenarioError) => `${source}: ${e.message}`) };
  return { ok: true, scenario: r.scenario, base: r.scenario, view: {}, warnings: r.warnings };
}

export const DEFAULT_SCENARIO_NAME = DEFAULT_PRESET;

/** Usable ranges in bytes (e.g. from the e820 importer) → a scenario's `host.ranges`. */
export function scenarioRanges(
  ranges: readonly { start: number; end: number }[],
): [string, string][] {
  return ranges.map((r) => [`0x${r.start.toString(16)}`, `0x${r.end.toString(16)}`]);
}
