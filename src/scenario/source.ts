/**
 * From a description of a scenario to the scenario to run: a preset, a scenario object, a share
 * fragment (the worker's LoadSource), or a command-line argument (a file, a share URL or a preset
 * name). Kernel, backing and linux overrides are applied here, the same way for a link's parameters,
 * the app's pickers on a preset and the CLI's flags: the design replaces the scenario's, the
 * backing every guest's (as src/scenario/url.ts documents for `kernel=` and `backing=`), and the
 * result is validated again, since an override can make a valid scenario invalid.
 */
import type { Backing, KernelDesign } from '../machine/events';
import { LINUX_REPAIR_PREFIX, linuxForKernel } from './host-linux';
import type { Overrides } from './narrative';
import { DEFAULT_PRESET, loadPreset, PRESET_NAMES, PRESETS } from './presets';
import type { Repair } from './repair-codes';
import { parseScenario } from './schema';
import type { Scenario, ScenarioError } from './types';
import {
  type DecodedShare,
  decodeShareFragment,
  type ShareCounters,
  type ShareSource,
  type ShareView,
} from './url';
import { MODEL_VERSION, modelChangesSince } from './versions';

export { REPAIR_CODES, type Repair, type RepairCode } from './repair-codes';

/** The worker's load sources (LoadSource in src/worker/protocol.ts has this shape). */
export type SourceDescription =
  | { kind: 'fragment'; fragment: string }
  | { kind: 'scenario'; scenario: unknown }
  | { kind: 'preset'; preset: string; kernel?: KernelDesign; backing?: Backing; linux?: string };

/** The map layers a link's `layer=` may name (MapLayer in src/worker/protocol.ts). */
export const MAP_LAYERS = ['direct-map', 'vmm', 'rmp', 'guest'] as const;
export type MapLayerName = (typeof MAP_LAYERS)[number];

/** A link's view parameters once its overrides are taken out and its layer checked. */
export interface SourceView {
  step?: number;
  layer?: MapLayerName;
  zoom?: { start: number; end: number };
  sel?: number;
}

/** What a source turned out to be. */
export type ResolvedFrom =
  | { kind: 'scenario' }
  | { kind: 'preset'; preset: string }
  /**
   * A share link's scenario (written out, or `preset=` when `preset` is set); `repaired` when
   * its scenario needed repairs (then it is no longer the preset as named).
   */
  | { kind: 'link'; preset?: string; repaired: boolean }
  /** A link that held no scenario or could not be used: the default preset opened instead. */
  | { kind: 'default'; preset: string };

export type ResolvedSource =
  | {
      ok: true;
      /** The scenario to run, overrides applied. */
      scenario: Scenario;
      /** The scenario before the overrides (what the run's narration compares against). */
      base: Scenario;
      /** What a share link of this run encodes (with the overrides as view parameters). */
      share: ShareSource;
      overrides: Overrides;
      view: SourceView;
      /** What was repaired or replaced to make the source usable, in order. */
      repairs: Repair[];
      resolved: ResolvedFrom;
    }
  | { ok: false; errors: string[] };

/** The kernel, backing and linux of a view or of flags, without the absent ones. */
export function overridesOf(o: {
  kernel?: KernelDesign | undefined;
  backing?: Backing | undefined;
  linux?: string | undefined;
}): Overrides {
  return {
    ...(o.kernel !== undefined ? { kernel: o.kernel } : {}),
    ...(o.backing !== undefined ? { backing: o.backing } : {}),
    ...(o.linux !== undefined ? { linux: o.linux } : {}),
  };
}

/** A warning or link repair as a coded repair: host.linux fallbacks are linux-nearest. */
function codedRepair(text: string, code: 'link-repaired' | 'scenario-warning'): Repair {
  return { code: text.startsWith(LINUX_REPAIR_PREFIX) ? 'linux-nearest' : code, text };
}

/**
 * The scenario with the overrides applied and validated again; with none, the scenario itself
 * (not parsed again). Errors are the schema's messages.
 */
export function applyOverrides(
  s: Scenario,
  o: Overrides,
): { ok: true; scenario: Scenario } | { ok: false; errors: string[] } {
  if (o.kernel === undefined && o.backing === undefined && o.linux === undefined)
    return { ok: true, scenario: s };
  return reparse(s, o);
}

function reparse(
  s: Scenario,
  o: Overrides,
): { ok: true; scenario: Scenario } | { ok: false; errors: string[] } {
  const kernel = o.kernel ?? s.kernel;
  const r = parseScenario({
    ...s,
    kernel,
    host: { ...s.host, linux: o.linux ?? linuxForKernel(s.host.linux, s.kernel, kernel) },
    guests: s.guests.map((g) => (o.backing === undefined ? g : { ...g, backing: o.backing })),
  });
  return r.ok ? { ok: true, scenario: r.scenario } : { ok: false, errors: messages(r.errors) };
}

/** A load source → the scenario to run. Never throws for bad input; a share link never fails. */
export function resolveSource(source: SourceDescription): ResolvedSource {
  if (source.kind === 'scenario') {
    const r = parseScenario(source.scenario);
    if (!r.ok) return { ok: false, errors: messages(r.errors) };
    return {
      ok: true,
      scenario: r.scenario,
      base: r.scenario,
      share: r.scenario,
      overrides: {},
      view: {},
      repairs: r.warnings.map((text) => codedRepair(text, 'scenario-warning')),
      resolved: { kind: 'scenario' },
    };
  }
  if (source.kind === 'preset') {
    const r = loadPreset(source.preset);
    if (!r.ok) return { ok: false, errors: messages(r.errors) };
    const overrides = overridesOf(source);
    // Validated again even without overrides, as the worker always has.
    const o = reparse(r.scenario, overrides);
    if (!o.ok) return o;
    return {
      ok: true,
      scenario: o.scenario,
      base: r.scenario,
      share: { preset: source.preset },
      overrides,
      view: {},
      repairs: [],
      resolved: { kind: 'preset', preset: source.preset },
    };
  }
  return resolveFragment(source.fragment);
}

/** A share link never fails to open: broken parts are repaired or replaced, and said so. */
function resolveFragment(fragment: string): ResolvedSource {
  const d = decodeShareFragment(fragment);
  const repairs: Repair[] = d.repairs.map((text) => codedRepair(text, 'link-repaired'));
  const { kernel, backing, linux, layer, ...rest } = d.view;
  const view: SourceView = { ...rest };
  if ((MAP_LAYERS as readonly string[]).includes(layer ?? '')) view.layer = layer as MapLayerName;
  else if (layer !== undefined)
    repairs.push({
      code: 'layer-ignored',
      text: `parameter layer="${layer}": not a map layer, ignored`,
    });
  if (d.scenario !== undefined) {
    if (d.errors.length > 0)
      repairs.unshift({
        code: 'link-invalid',
        text: `the link's scenario had ${d.errors.length} problem(s): ${messages(d.errors).join('; ')}`,
      });
    const base = d.baseScenario ?? d.scenario;
    const changed = modelChangedRepair(d, d.scenario.kernel);
    if (changed) repairs.push(changed);
    return {
      ok: true,
      scenario: d.scenario,
      base,
      share: d.preset !== undefined ? { preset: d.preset } : base,
      overrides: overridesOf({ kernel, backing, linux }),
      view,
      repairs,
      resolved: {
        kind: 'link',
        ...(d.preset !== undefined ? { preset: d.preset } : {}),
        repaired: d.errors.length > 0,
      },
    };
  }
  const fallback = loadPreset(DEFAULT_PRESET);
  if (!fallback.ok) return { ok: false, errors: messages(fallback.errors) };
  const broken = d.errors.length > 0;
  if (broken) {
    repairs.unshift(...d.errors.map(linkErrorRepair));
    repairs.push({
      code: 'link-unusable',
      text: `the link could not be used: opened the default preset "${DEFAULT_PRESET}" instead`,
    });
  }
  return {
    ok: true,
    scenario: fallback.scenario,
    base: fallback.scenario,
    share: { preset: DEFAULT_PRESET },
    overrides: {},
    // A broken link's view is for a scenario that did not open.
    view: broken ? {} : view,
    repairs,
    resolved: { kind: 'default', preset: DEFAULT_PRESET },
  };
}

const kb = (n: number) => `${n.toLocaleString('en-US')} kB`;

/** DirectMap counters in words, for then and now in a model-changed notice. */
export function countersText(c: ShareCounters): string {
  return `DirectMap4k ${kb(c.directMap4k)}, DirectMap2M ${kb(c.directMap2M)}, DirectMap1G ${kb(c.directMap1G)}`;
}

/**
 * A link made with an older model whose later changes touch the design it runs (its `kernel=`,
 * else its scenario's or preset's): said plainly — for a `preset=` link only when it recorded
 * counters (`c=`), since it names today's preset — with the counters it recorded when it has them
 * (`value` is its `c=`, for the app to put today's beside them).
 */
function modelChangedRepair(d: DecodedShare, design: string): Repair | null {
  if (d.model >= MODEL_VERSION) return null;
  // A preset link opens the preset as it is today: nothing to say unless it recorded counters.
  if (d.preset !== undefined && d.counters === undefined) return null;
  const changes = modelChangesSince(d.model, design);
  if (changes.length === 0) return null;
  const then = d.counters ? ` At its step the link recorded ${countersText(d.counters)}.` : '';
  return {
    code: 'model-changed',
    text: `This link was made with model version ${d.model}; the model has changed since: ${changes.join('; ')}. The run shows today's model.${then}`,
    ...(d.counters
      ? {
          value: `${d.counters.directMap4k}-${d.counters.directMap2M}-${d.counters.directMap1G}`,
        }
      : {}),
  };
}

/** A decoding error as a repair: an unknown preset carries its name (JSON-shown by the decoder). */
function linkErrorRepair(e: ScenarioError): Repair {
  if (e.path === 'v' && /not supported by this build/.test(e.message))
    return { code: 'link-newer', text: e.message, value: e.value.replace(/^"|"$/g, '') };
  if (e.path !== 'preset') return { code: 'link-invalid', text: e.message };
  const value = e.value.replace(/^"/, '').replace(/("|\.\.\.)$/, '');
  return { code: 'preset-unknown', text: e.message, value };
}

function messages(errors: readonly ScenarioError[]): string[] {
  return errors.map((e) => e.message);
}

// ---- command-line arguments ---------------------------------------------------------------------

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
  return (
    arg.includes('#') || /^(v|s|m|c|preset|step|kernel|backing|linux|zoom|layer|sel)=/.test(arg)
  );
}

/**
 * What the CLI accepts: a scenario file path, a share URL (whole URL with #fragment or just the
 * fragment), or a preset name. Never throws; readFile may throw and is caught. Unlike a load in
 * the app, a link without a scenario is an error (a command has no default to fall back to).
 */
export function resolveScenarioArg(
  arg: string,
  readFile: (path: string) => string,
  options: ResolveOptions = {},
): ResolvedScenario {
  if (looksLikeShareLink(arg)) {
    const d = decodeShareFragment(arg);
    const problems = messages(d.errors);
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
    if (!r.ok) return { ok: false, errors: messages(r.errors) };
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
  if (!r.ok) return { ok: false, errors: r.errors.map((e) => `${source}: ${e.message}`) };
  return { ok: true, scenario: r.scenario, base: r.scenario, view: {}, warnings: r.warnings };
}
