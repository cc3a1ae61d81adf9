/**
 * Share links. Everything lives in the URL fragment, so nothing is ever uploaded:
 *
 *   #v=1&s=<base64url(deflate(compact JSON))>&step=4&kernel=rfc-2021&zoom=0x0-0x40000000
 *   #preset=thread-2021&m=2&kernel=rfc-2021&backing=hugetlbfs-2m&step=4
 *
 * `m` is the model version the link was made with (absent: 1; src/scenario/model-changes.ts),
 * `c` the link's DirectMap4k/2M/1G in kB at its step, as `c=4k-2m-1g` (written by the app, so a
 * later model can show then and now). `v` is the scenario version (readable, so old links can be
 * migrated; `v=1` links open migrated), `s` the scenario with its version-2 defaults left out
 * (host.linux when it is the design's era, la57 when false), and the rest are view parameters
 * people edit by hand: `step`, `kernel`, `backing` and `linux` (overrides applied to the
 * scenario: backing to every guest, linux as host.linux), `zoom`
 * (a physical address range), `layer`, `sel` (a selected host frame).
 *
 * decodeShareFragment() never throws and bounds its work: at most 1,000,000 characters of
 * fragment and 1 MiB of inflated JSON (a zip bomb stops there), then the schema's limits.
 */
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import { BACKINGS, type Backing, KERNEL_DESIGNS, type KernelDesign } from '../machine/events';
import { decodeBase64url, encodeBase64url } from './base64url';
import { scenarioError } from './errors';
import { eraLinux, isLinuxVersion, LINUX_ALLOWED, linuxForKernel } from './host-linux';
import { loadPreset } from './presets';
import { repairScenario } from './repair';
import { parseScenario } from './schema';
import { DEFAULTS, SCENARIO_VERSION, type Scenario, type ScenarioError } from './types';
import { toBytes, toFrame } from './values';
import { MODEL_VERSION } from './versions';

export const MAX_FRAGMENT_CHARS = 1_000_000;
export const MAX_INFLATED_BYTES = 1024 * 1024;
const MAX_PARAMS = 64;

export interface ShareView {
  step?: number;
  kernel?: KernelDesign;
  backing?: Backing;
  /** host.linux override ("6.15"). */
  linux?: string;
  /**
   * Physical address range [start, end) in bytes. The app writes a view's corners (the byte under
   * its top-left, one past the byte under its bottom-right; app/map/view-range.ts) and reads two
   * 2 MiB-aligned ends as the tiles holding the range.
   */
  zoom?: { start: number; end: number };
  layer?: string;
  /** A selected host frame number. */
  sel?: number;
}

export type ShareSource = Scenario | { preset: string };

/** DirectMap4k/2M/1G in kB, as /proc/meminfo prints them. */
export interface ShareCounters {
  directMap4k: number;
  directMap2M: number;
  directMap1G: number;
}

export interface DecodedShare {
  /** The scenario to run, view overrides applied; absent when the link holds none or is broken. */
  scenario?: Scenario;
  /** The scenario before the kernel/backing/linux overrides (what to re-encode with the view). */
  baseScenario?: Scenario;
  preset?: string;
  view: ShareView;
  /** What was wrong; with a scenario present these were repaired (see `repairs`). */
  errors: ScenarioError[];
  /** Every change made to make the link usable, in words. */
  repairs: string[];
  /** The model version the link was made with (`m=`; 1 when absent). */
  model: number;
  /** The counters the link recorded at its step (`c=`), when it did. */
  counters?: ShareCounters;
  /** The link format version when it is newer than this build's (the link is refused). */
  newerFormat?: number;
}

/**
 * Scenario → scenario JSON without the version-2 defaults (they are fixed forever for v2: an era
 * default in DESIGN_LINUX that changes is a new scenario version).
 */
export function compactScenario(s: Scenario): Record<string, unknown> {
  const { version: _v, host, kernel, guests, events, captions, ...rest } = s;
  const { gbpages, allocator, linux, la57, ...h } = host;
  const out: Record<string, unknown> = { ...rest, host: h };
  if (gbpages !== DEFAULTS.gbpages) (out.host as Record<string, unknown>).gbpages = gbpages;
  if (allocator !== DEFAULTS.allocator) (out.host as Record<string, unknown>).allocator = allocator;
  if (linux !== eraLinux(kernel)) (out.host as Record<string, unknown>).linux = linux;
  if (la57) (out.host as Record<string, unknown>).la57 = true;
  if (kernel !== DEFAULTS.kernel) out.kernel = kernel;
  if (guests.length > 0) out.guests = guests.map(({ snp, ...g }) => (snp ? g : { ...g, snp }));
  if (events.length > 0) out.events = events;
  if (captions.length > 0) out.captions = captions;
  return out;
}

export function encodeShareFragment(source: ShareSource, view: ShareView = {}): string {
  const params: string[] = [];
  if ('preset' in source) {
    params.push(`preset=${encodeURIComponent(source.preset)}`);
  } else {
    const json = JSON.stringify(compactScenario(source));
    const packed = encodeBase64url(deflateSync(strToU8(json), { level: 9 }));
    params.push(`v=${SCENARIO_VERSION}`, `s=${packed}`);
  }
  params.push(`m=${MODEL_VERSION}`);
  if (view.kernel !== undefined) params.push(`kernel=${view.kernel}`);
  if (view.backing !== undefined) params.push(`backing=${view.backing}`);
  if (view.linux !== undefined) params.push(`linux=${encodeURIComponent(view.linux)}`);
  if (view.step !== undefined) params.push(`step=${view.step}`);
  if (view.zoom !== undefined)
    params.push(`zoom=${hexAddr(view.zoom.start)}-${hexAddr(view.zoom.end)}`);
  if (view.layer !== undefined) params.push(`layer=${encodeURIComponent(view.layer)}`);
  if (view.sel !== undefined) params.push(`sel=${hexAddr(view.sel)}`);
  return `#${params.join('&')}`;
}

const hexAddr = (n: number) => `0x${n.toString(16)}`;

export function decodeShareFragment(fragment: string): DecodedShare {
  const out: DecodedShare = { view: {}, errors: [], repairs: [], model: 1 };
  try {
    decodeInto(typeof fragment === 'string' ? fragment : '', out);
  } catch (e) {
    // Only our own bug can land here; the caller still gets a value.
    out.errors.push(fragError('fragment', `a share link (internal error: ${e})`));
    delete out.scenario;
    delete out.baseScenario;
  }
  return out;
}

function fragError(path: string, allowed: string, value?: unknown): ScenarioError {
  return scenarioError(path, value, allowed);
}

function splitParams(fragment: string, out: DecodedShare): Map<string, string> {
  const hash = fragment.indexOf('#');
  const text = (hash >= 0 ? fragment.slice(hash + 1) : fragment).trim();
  const params = new Map<string, string>();
  if (text === '') return params;
  const parts = text.split('&', MAX_PARAMS + 1);
  if (parts.length > MAX_PARAMS)
    out.repairs.push(`only the first ${MAX_PARAMS} parameters were read`);
  for (const part of parts.slice(0, MAX_PARAMS)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq >= 0 ? part.slice(0, eq) : part;
    const rawValue = eq >= 0 ? part.slice(eq + 1) : '';
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey);
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      out.repairs.push(`parameter "${rawKey.slice(0, 20)}": bad %-escape, ignored`);
      continue;
    }
    if (params.has(key))
      out.repairs.push(`parameter "${key.slice(0, 20)}" given twice: the last one used`);
    params.set(key, value);
  }
  return params;
}

const KNOWN = new Set([
  'v',
  's',
  'm',
  'c',
  'preset',
  'step',
  'kernel',
  'backing',
  'linux',
  'zoom',
  'layer',
  'sel',
]);

/** `c=` as the app writes it: three kB counts joined by "-". */
export function formatCounters(c: ShareCounters): string {
  return `${c.directMap4k}-${c.directMap2M}-${c.directMap1G}`;
}

function readModel(params: Map<string, string>, out: DecodedShare): void {
  const m = params.get('m');
  if (m !== undefined) {
    if (/^\d{1,6}$/.test(m) && Number(m) >= 1) out.model = Number(m);
    else out.repairs.push(`parameter m="${m.slice(0, 40)}": not a model version, ignored`);
  }
  const c = params.get('c');
  if (c !== undefined) {
    const parts = /^(\d{1,15})-(\d{1,15})-(\d{1,15})$/.exec(c);
    if (parts)
      out.counters = {
        directMap4k: Number(parts[1]),
        directMap2M: Number(parts[2]),
        directMap1G: Number(parts[3]),
      };
    else out.repairs.push(`parameter c="${c.slice(0, 40)}": not counters 4k-2M-1G in kB, ignored`);
  }
}

function decodeInto(fragment: string, out: DecodedShare): void {
  if (fragment.length > MAX_FRAGMENT_CHARS) {
    const limit = `too large: at most ${MAX_FRAGMENT_CHARS.toLocaleString('en-US')} characters`;
    out.errors.push(fragError('fragment', limit, `${fragment.length} characters`));
    return;
  }
  const params = splitParams(fragment, out);
  for (const key of params.keys()) {
    if (!KNOWN.has(key)) out.repairs.push(`parameter "${key.slice(0, 20)}": unknown, ignored`);
  }
  readView(params, out);
  readModel(params, out);
  const base = readSource(params, out);
  if (base === undefined) return;
  out.baseScenario = base;
  out.scenario = applyOverrides(base, out);
}

function readSource(params: Map<string, string>, out: DecodedShare): Scenario | undefined {
  const s = params.get('s');
  const preset = params.get('preset');
  if (s !== undefined && preset !== undefined) {
    out.repairs.push('both a scenario (s=) and a preset (preset=): the scenario used');
  }
  if (s !== undefined) return readPayload(s, params.get('v'), out);
  if (preset === undefined) return undefined;
  const r = loadPreset(preset);
  if (!r.ok) {
    out.errors.push(...r.errors);
    return undefined;
  }
  out.preset = preset;
  return r.scenario;
}

function readPayload(s: string, v: string | undefined, out: DecodedShare): Scenario | undefined {
  let version = SCENARIO_VERSION;
  if (v === undefined)
    out.repairs.push(`no version (v=) in the link: read as version ${SCENARIO_VERSION}`);
  else if (!/^\d{1,6}$/.test(v)) {
    out.errors.push(fragError('v', `a scenario version 0..${SCENARIO_VERSION}`, v));
    return undefined;
  } else version = Number(v);
  // Refused rather than read under this build's rules, which may mean something else: the app
  // offers to try anyway (it reloads the link as the current version).
  if (version > SCENARIO_VERSION) {
    const allowed = `a link format version up to ${SCENARIO_VERSION} (link format version ${version} is not supported by this build; the link was made by a newer Fracture)`;
    out.errors.push(fragError('v', allowed, v));
    out.newerFormat = version;
    return undefined;
  }
  const bytes = decodeBase64url(s);
  if (bytes === null || bytes.length === 0) {
    out.errors.push(
      /^[A-Za-z0-9_-]*={0,2}$/.test(s)
        ? cutShort(s)
        : fragError('s', 'base64url text (A-Z a-z 0-9 - _), as the app writes it', s),
    );
    return undefined;
  }
  const inflated = inflateCapped(bytes, MAX_INFLATED_BYTES);
  if (inflated === 'too-large') {
    out.errors.push(
      fragError('s', `too large: at most ${MAX_INFLATED_BYTES} bytes of scenario JSON`, 'more'),
    );
    return undefined;
  }
  if (inflated === 'corrupt') {
    out.errors.push(cutShort(s));
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(inflated));
  } catch {
    out.errors.push(fragError('s', 'JSON inside the compressed data', 'unreadable text'));
    return undefined;
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && !('version' in json)) {
    json = { version, ...json };
  }
  const parsed = parseScenario(json);
  if (parsed.ok) {
    out.repairs.push(...parsed.warnings);
    return parsed.scenario;
  }
  out.errors.push(...parsed.errors);
  const repaired = repairScenario(json);
  out.repairs.push(...repaired.repairs);
  return repaired.scenario;
}

/**
 * Every character valid but the data ends early (a chat tool or a line break cut the link): say
 * so, with its length and ending, rather than "invalid characters".
 */
function cutShort(s: string): ScenarioError {
  const tail = s.length > 12 ? `…${s.slice(-12)}` : s;
  const text = `looks cut short (${s.length} characters, ends with ${tail}): copy the whole link again`;
  return {
    path: 's',
    value: `${s.length} characters`,
    allowed: text,
    message: `s: the scenario data ${text}`,
  };
}

/** Inflate with an output cap: stops as soon as the output passes `cap` bytes. */
export function inflateCapped(data: Uint8Array, cap: number): Uint8Array | 'too-large' | 'corrupt' {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let done = false;
  const inflate = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > cap) over = true;
    else chunks.push(chunk.slice());
    if (final) done = true;
  });
  try {
    // Small input pieces bound each callback's output (~1 MiB from 1 KiB at deflate's best ratio).
    for (let i = 0; i < data.length && !over; i += 1024) {
      inflate.push(data.subarray(i, i + 1024), i + 1024 >= data.length);
    }
  } catch {
    return 'corrupt';
  }
  if (over) return 'too-large';
  if (!done) return 'corrupt';
  const result = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    result.set(c, pos);
    pos += c.length;
  }
  return result;
}

function readView(params: Map<string, string>, out: DecodedShare): void {
  const view = out.view;
  const bad = (key: string, value: string, allowed: string) =>
    out.repairs.push(`parameter ${key}="${value.slice(0, 40)}": not ${allowed}, ignored`);
  const step = params.get('step');
  if (step !== undefined) {
    if (/^\d{1,8}$/.test(step)) view.step = Number(step);
    else bad('step', step, 'a step number');
  }
  const kernel = params.get('kernel');
  if (kernel !== undefined) {
    if ((KERNEL_DESIGNS as readonly string[]).includes(kernel))
      view.kernel = kernel as KernelDesign;
    else bad('kernel', kernel, `one of ${KERNEL_DESIGNS.join(', ')}`);
  }
  const backing = params.get('backing');
  if (backing !== undefined) {
    if ((BACKINGS as readonly string[]).includes(backing)) view.backing = backing as Backing;
    else bad('backing', backing, `one of ${BACKINGS.join(', ')}`);
  }
  const linux = params.get('linux');
  if (linux !== undefined) {
    if (isLinuxVersion(linux)) view.linux = linux;
    else bad('linux', linux, LINUX_ALLOWED);
  }
  const zoom = params.get('zoom');
  if (zoom !== undefined) {
    const m = /^([^-]{1,40})-([^-]{1,40})$/.exec(zoom);
    const start = m ? toBytes(m[1]) : null;
    const end = m ? toBytes(m[2]) : null;
    if (start !== null && end !== null && start < end) view.zoom = { start, end };
    else bad('zoom', zoom, 'an address range such as 0x40000000-0x80000000');
  }
  const layer = params.get('layer');
  if (layer !== undefined) {
    if (/^[a-z0-9][a-z0-9-]{0,31}$/i.test(layer)) view.layer = layer;
    else bad('layer', layer, 'a layer name');
  }
  const sel = params.get('sel');
  if (sel !== undefined) {
    const pfn = toFrame(sel);
    if (pfn !== null) view.sel = pfn;
    else bad('sel', sel, 'a frame number such as 0x1f000');
  }
}

/**
 * Apply kernel/backing/linux overrides; an override the scenario cannot take is dropped, with a
 * note. A kernel override moves an era-default host.linux to the new design's era.
 */
function applyOverrides(base: Scenario, out: DecodedShare): Scenario {
  const { kernel, backing, linux } = out.view;
  if (kernel === undefined && backing === undefined && linux === undefined) return base;
  const to = kernel ?? base.kernel;
  const candidate: Scenario = {
    ...base,
    kernel: to,
    host: { ...base.host, linux: linux ?? linuxForKernel(base.host.linux, base.kernel, to) },
    guests: base.guests.map((g) => (backing === undefined ? g : { ...g, backing })),
  };
  const r = parseScenario(candidate);
  if (r.ok) {
    for (const w of r.warnings)
      if (w.startsWith('host.linux:') && !out.repairs.includes(w)) out.repairs.push(w);
    return r.scenario;
  }
  const why = r.errors.map((e) => e.message).join('; ');
  out.repairs.push(`overrides kernel/backing/linux ignored: ${why}`);
  delete out.view.kernel;
  delete out.view.backing;
  delete out.view.linux;
  return base;
}
