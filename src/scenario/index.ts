/**
 * The scenario package: format v1 (schema), presets, workload generators and compiler, share
 * URLs, migrations and repair. Everything the app, the worker and the CLI need comes from here.
 */
import { DEFAULT_PRESET } from './presets';

/** The page sizes and the direct map's base, declared in src/machine/units.ts, for the app. */
export { PAGE_OFFSET, PAGE_SIZE, PMD_SIZE, PUD_SIZE } from '../machine/units';
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
export { MODEL_CHANGES, type ModelChange } from './model-changes';
export { editedNarration, type Narrative, narrativeOf, type Overrides } from './narrative';
export { DEFAULT_PRESET, loadPreset, PRESET_NAMES, PRESETS, type PresetResult } from './presets';
export { Prng } from './prng';
export { FALLBACK_RAM, type RepairResult, repairScenario } from './repair';
export { type ParseResult, parseScenario } from './schema';
export {
  applyOverrides,
  countersText,
  looksLikeShareLink,
  MAP_LAYERS,
  type MapLayerName,
  overridesOf,
  type Repair,
  type ResolvedFrom,
  type ResolvedScenario,
  type ResolvedSource,
  type ResolveOptions,
  resolveScenarioArg,
  resolveScenarioText,
  resolveSource,
  type SourceDescription,
  type SourceView,
} from './source';
export * from './types';
export {
  compactScenario,
  type DecodedShare,
  decodeShareFragment,
  encodeShareFragment,
  formatCounters,
  MAX_FRAGMENT_CHARS,
  type ShareCounters,
  type ShareSource,
  type ShareView,
} from './url';
export {
  KNOWN_LINUX_VERSIONS,
  MODEL_VERSION,
  modelChangesSince,
  nearestLinuxVersion,
} from './versions';

export const DEFAULT_SCENARIO_NAME = DEFAULT_PRESET;

/** Usable ranges in bytes (e.g. from the e820 importer) → a scenario's `host.ranges`. */
export function scenarioRanges(
  ranges: readonly { start: number; end: number }[],
): [string, string][] {
  return ranges.map((r) => [`0x${r.start.toString(16)}`, `0x${r.end.toString(16)}`]);
}
