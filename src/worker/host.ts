/**
 * The engine host: everything the worker exposes, testable without a worker. One run at a time:
 * load() compiles a scenario and runs it through a Timeline (checkpoints for seeking); every other
 * call answers for one step of that run, doing work proportional to what it is asked.
 *
 * Methods are synchronous here; worker.ts exposes them through comlink (which makes them
 * promises) and transfers the typed arrays.
 */

import { formatMeminfo, formatVmstat } from '../formats/meminfo';
import { formatPtdump } from '../formats/ptdump';
import type { Backing, EngineEvent, KernelDesign } from '../machine/events';
import { DESIGNS } from '../machine/kernels';
import type { Machine } from '../machine/machine';
import { RULES } from '../machine/rules';
import {
  compilePacked,
  DEFAULT_PRESET,
  decodeShareFragment,
  encodeShareFragment,
  LIMITS,
  loadPreset,
  type PackedEvents,
  parseScenario,
  type Scenario,
  type ShareSource,
  scenarioDigest,
} from '../scenario/index';
import { SERIES_COLUMNS, Timeline } from '../sim/timeline';
import { inspectFrame } from './inspect';
import { outcomeRow } from './messages';
import {
  type EngineApi,
  type FrameInfo,
  type LoadResult,
  type LoadSource,
  MARK_KINDS,
  type MapSnapshot,
  type OutcomeMarks,
  type OutcomeRow,
  PROTOCOL_VERSION,
  type RuleInfo,
  type RunInfo,
  type StepView,
  type ViewState,
} from './protocol';
import {
  buildGuestSnapshot,
  buildSnapshot,
  guestChunkCells,
  regionCells,
  splitSteps,
} from './snapshot';

/** The same calls as EngineApi, answered synchronously. */
export type EngineSync = {
  [K in keyof EngineApi]: (...args: Parameters<EngineApi[K]>) => Awaited<ReturnType<EngineApi[K]>>;
};

/**
 * The most events a browser run takes. The scenario format allows 10 million (LIMITS.events),
 * but the worker replays roughly 5,000–50,000 events a second here, so 10 million would hold a
 * tab for many minutes; 2 million is a few minutes at worst, and the message points to the CLI.
 */
export const MAX_WORKER_EVENTS = Math.min(LIMITS.events, 2_000_000);
/** At most this many regions (or chunks) per cells() call: 4096 × 512 = 2 MiB of codes. */
export const MAX_CELL_REGIONS = 4096;
/** Scrubber marks beyond this are thinned to one per kind per 1/4096 of the run. */
const MAX_MARKS = 20_000;

interface Run {
  scenario: Scenario;
  share: ShareSource;
  overrides: { kernel?: KernelDesign; backing?: Backing };
  timeline: Timeline;
  splitAt: Float64Array;
  info: RunInfo;
  kindIndex: Map<string, Int32Array>;
  filtered: { key: string; indices: Int32Array } | null;
  ptdump: { step: number; lines: string[] } | null;
}

type Prepared =
  | {
      ok: true;
      scenario: Scenario;
      share: ShareSource;
      overrides: Run['overrides'];
      view: ViewState;
      repairs: string[];
    }
  | { ok: false; errors: string[] };

export class EngineHost implements EngineSync {
  private run: Run | null = null;

  protocolVersion(): number {
    return PROTOCOL_VERSION;
  }

  // ---- loading ------------------------------------------------------------------------------

  load(source: LoadSource): LoadResult {
    let prepared: Prepared;
    try {
      prepared = prepare(source);
    } catch (e) {
      prepared = { ok: false, errors: [`could not read the scenario (internal error: ${e})`] };
    }
    if (!prepared.ok)
      return { ok: false, errors: prepared.errors, repairs: [], view: {}, info: null };
    const events = (prepared.scenario.workload?.steps ?? 0) + prepared.scenario.events.length;
    if (events > MAX_WORKER_EVENTS) {
      const error = `the scenario has ${events.toLocaleString('en-US')} events; the browser runs at most ${MAX_WORKER_EVENTS.toLocaleString('en-US')} — run it with the CLI (npm run sim -- run <file>)`;
      return { ok: false, errors: [error], repairs: prepared.repairs, view: {}, info: null };
    }
    try {
      this.run = startRun(prepared);
    } catch (e) {
      this.run = null;
      const error = `the engine failed while running the scenario (internal error: ${e})`;
      return { ok: false, errors: [error], repairs: prepared.repairs, view: {}, info: null };
    }
    const view = { ...prepared.view };
    if (view.step !== undefined && view.step > this.run.info.steps) view.step = this.run.info.steps;
    return { ok: true, errors: [], repairs: prepared.repairs, view, info: this.run.info };
  }

  // ---- the map ------------------------------------------------------------------------------

  snapshot(step: number): MapSnapshot {
    const run = this.run;
    if (!run) return emptySnapshot(step);
    const s = clampStep(run, step);
    return buildSnapshot(run.timeline.at(s), s, run.splitAt);
  }

  cells(step: number, firstRegion: number, count: number): Uint8Array {
    const n = Math.max(0, Math.min(MAX_CELL_REGIONS, Math.floor(count)));
    const list = Array.from({ length: n }, (_, i) => firstRegion + i);
    return this.cellsAt(step, list);
  }

  /** 512 codes per listed region (at most MAX_CELL_REGIONS): the map asks only for what it shows. */
  cellsAt(step: number, regions: ArrayLike<number>): Uint8Array {
    const run = this.run;
    if (!run) return new Uint8Array(0);
    const list = Array.from(regions).slice(0, MAX_CELL_REGIONS);
    return regionCells(run.timeline.at(clampStep(run, step)), list);
  }

  guestCells(step: number, guest: number, firstChunk: number, count: number): Uint8Array {
    const n = Math.max(0, Math.min(MAX_CELL_REGIONS, Math.floor(count)));
    const list = Array.from({ length: n }, (_, i) => firstChunk + i);
    return this.guestCellsAt(step, guest, list);
  }

  guestCellsAt(step: number, guest: number, chunks: ArrayLike<number>): Uint8Array {
    const run = this.run;
    if (!run) return new Uint8Array(0);
    const m = run.timeline.at(clampStep(run, step));
    const g = m.guests[guest];
    const list = Array.from(chunks).slice(0, MAX_CELL_REGIONS);
    return g ? guestChunkCells(m, g, list) : new Uint8Array(list.length * 512);
  }

  /** A guest's GPA space as a snapshot: one entry per 2 MiB GPA chunk (see buildGuestSnapshot). */
  guestSnapshot(step: number, guest: number): MapSnapshot {
    const run = this.run;
    if (!run) return emptySnapshot(step);
    const s = clampStep(run, step);
    const m = run.timeline.at(s);
    const g = m.guests[guest];
    return g ? buildGuestSnapshot(m, g, s) : emptySnapshot(s);
  }

  // ---- panels -------------------------------------------------------------------------------

  stepView(step: number): StepView {
    const run = this.run;
    if (!run) throw new Error('stepView before load');
    const s = clampStep(run, step);
    const m = run.timeline.at(s);
    const metrics = run.timeline.metricsAt(s);
    return {
      step: s,
      metrics,
      meminfoText: formatMeminfo(metrics.meminfo, m.dm.gbpages),
      vmstatText: formatVmstat(metrics.vmstat),
      guests: m.guests.map((g) => ({
        name: g.spec.name,
        status: g.status,
        reason: g.reason,
        privatePages: m.privatePages(g),
        doubleBackedBytes: g.doubleBacked * 4096,
      })),
      caption: run.info.captions.find((c) => c.step === s)?.text ?? null,
    };
  }

  // ---- the outcome log ------------------------------------------------------------------------

  /**
   * Rows [from, from + count) of the log, or of the log filtered to `kinds`, cut at maxStep.
   * Row.index is always the index in the whole log; `total` counts the filtered, cut list.
   */
  outcomes(query: { from: number; count: number; kinds?: string[]; maxStep?: number }): {
    rows: OutcomeRow[];
    total: number;
  } {
    const run = this.run;
    if (!run) return { rows: [], total: 0 };
    const log = run.timeline.log;
    const m = run.timeline.final;
    const cut = query.maxStep !== undefined ? log.lowerBound(query.maxStep + 1) : log.length;
    const count = Math.max(0, Math.min(10_000, Math.floor(query.count)));
    const from = Math.max(0, Math.floor(query.from));
    const rows: OutcomeRow[] = [];
    if (query.kinds === undefined) {
      for (let i = from; i < Math.min(cut, from + count); i++)
        rows.push(outcomeRow(m, i, log.get(i)));
      return { rows, total: cut };
    }
    const idx = this.filteredIndices(run, query.kinds);
    const total = lowerBoundIdx(idx, cut);
    for (let j = from; j < Math.min(total, from + count); j++)
      rows.push(outcomeRow(m, idx[j]!, log.get(idx[j]!)));
    return { rows, total };
  }

  outcomeIndexAt(step: number): number {
    return this.run ? this.run.timeline.log.lowerBound(step) : 0;
  }

  /** kind: an outcome kind (OUTCOME_KINDS) or 'any' for any scrubber-mark kind. */
  findOutcome(step: number, kind: string, dir: 1 | -1): number {
    const run = this.run;
    if (!run) return -1;
    const log = run.timeline.log;
    const idx =
      kind === 'any' ? this.filteredIndices(run, [...MARK_KINDS]) : this.kindIndices(run, kind);
    if (dir === 1) {
      const j = lowerBoundIdx(idx, log.lowerBound(step + 1));
      return j < idx.length ? log.stepAt(idx[j]!) : -1;
    }
    const j = lowerBoundIdx(idx, log.lowerBound(step)) - 1;
    return j >= 0 ? log.stepAt(idx[j]!) : -1;
  }

  private kindIndices(run: Run, kind: string): Int32Array {
    let idx = run.kindIndex.get(kind);
    if (!idx) {
      const log = run.timeline.log;
      const out: number[] = [];
      for (let i = 0; i < log.length; i++) if (log.kindAt(i) === kind) out.push(i);
      idx = Int32Array.from(out);
      run.kindIndex.set(kind, idx);
    }
    return idx;
  }

  private filteredIndices(run: Run, kinds: readonly string[]): Int32Array {
    const key = [...kinds].sort().join(',');
    if (run.filtered?.key === key) return run.filtered.indices;
    const want = new Set(kinds);
    const log = run.timeline.log;
    const out: number[] = [];
    for (let i = 0; i < log.length; i++) if (want.has(log.kindAt(i))) out.push(i);
    run.filtered = { key, indices: Int32Array.from(out) };
    return run.filtered.indices;
  }

  // ---- inspector, rules, texts, links ---------------------------------------------------------

  inspect(step: number, pfn: number): FrameInfo {
    const run = this.run;
    if (!run) throw new Error('inspect before load');
    const s = clampStep(run, step);
    const m = run.timeline.at(s);
    return inspectFrame(m, run.timeline.log, pfn, s, ptdumpLineOf(this.ptdumpLines(run, s), pfn));
  }

  rule(id: string): RuleInfo | null {
    const r = RULES.find((x) => x.id === id);
    return r
      ? { id: r.id, title: r.title, source: r.source, url: r.url, explain: r.explain }
      : null;
  }

  texts(step: number): { meminfo: string; vmstat: string; ptdump: string } {
    const run = this.run;
    if (!run) return { meminfo: '', vmstat: '', ptdump: '' };
    const v = this.stepView(step);
    return {
      meminfo: v.meminfoText,
      vmstat: v.vmstatText,
      ptdump: `${this.ptdumpLines(run, v.step).join('\n')}\n`,
    };
  }

  private ptdumpLines(run: Run, step: number): string[] {
    if (run.ptdump?.step === step) return run.ptdump.lines;
    const m = run.timeline.at(step);
    const lines = formatPtdump(m.dm.pieces()).trimEnd().split('\n');
    run.ptdump = { step, lines };
    return lines;
  }

  shareFragment(view: ViewState): string {
    const run = this.run;
    if (!run) return '';
    const { kernel, backing } = run.overrides;
    return encodeShareFragment(run.share, {
      ...(kernel !== undefined ? { kernel } : {}),
      ...(backing !== undefined ? { backing } : {}),
      ...view,
    });
  }
}

// ---- helpers ----------------------------------------------------------------------------------

function clampStep(run: Run, step: number): number {
  const s = Number.isFinite(step) ? Math.floor(step) : 0;
  return Math.max(0, Math.min(run.info.steps, s));
}

function emptySnapshot(step: number): MapSnapshot {
  const e = new Uint8Array(0);
  return { step, regions: 0, regionCode: e, regionLevel: e, regionFlags: e, regionUserLevel: e };
}

/** First j with idx[j] >= value (idx ascending). */
function lowerBoundIdx(idx: Int32Array, value: number): number {
  let lo = 0;
  let hi = idx.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idx[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The ptdump line covering a frame: addresses are fixed-width hex, so strings compare. */
export function ptdumpLineOf(lines: readonly string[], pfn: number): string {
  const va = `0x${(0xffff888000000000n + BigInt(pfn) * 4096n).toString(16).padStart(16, '0')}`;
  let lo = 1;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid]!.slice(19, 37) <= va) lo = mid + 1;
    else hi = mid;
  }
  const line = lines[lo] ?? '';
  return line.startsWith('0x') && line.slice(0, 18) <= va ? line : '';
}

function prepare(source: LoadSource): Prepared {
  if (source.kind === 'scenario') {
    const r = parseScenario(source.scenario);
    if (!r.ok) return { ok: false, errors: r.errors.map((e) => e.message) };
    return {
      ok: true,
      scenario: r.scenario,
      share: r.scenario,
      overrides: {},
      view: {},
      repairs: r.warnings,
    };
  }
  if (source.kind === 'preset') {
    const r = loadPreset(source.preset);
    if (!r.ok) return { ok: false, errors: r.errors.map((e) => e.message) };
    const overrides: Run['overrides'] = {};
    if (source.kernel !== undefined) overrides.kernel = source.kernel;
    if (source.backing !== undefined) overrides.backing = source.backing;
    const candidate: Scenario = {
      ...r.scenario,
      kernel: source.kernel ?? r.scenario.kernel,
      guests: r.scenario.guests.map((g) =>
        source.backing === undefined ? g : { ...g, backing: source.backing },
      ),
    };
    const p = parseScenario(candidate);
    if (!p.ok) return { ok: false, errors: p.errors.map((e) => e.message) };
    return {
      ok: true,
      scenario: p.scenario,
      share: { preset: source.preset },
      overrides,
      view: {},
      repairs: [],
    };
  }
  return prepareFragment(source.fragment);
}

/** A share link never fails to open: broken parts are repaired or replaced, and said so. */
function prepareFragment(fragment: string): Prepared {
  const d = decodeShareFragment(fragment);
  const repairs = [...d.repairs];
  const { kernel, backing, layer, ...rest } = d.view;
  const view: ViewState = { ...rest };
  if (layer === 'direct-map' || layer === 'vmm' || layer === 'rmp' || layer === 'guest')
    view.layer = layer;
  else if (layer !== undefined)
    repairs.push(`parameter layer="${layer}": not a map layer, ignored`);
  if (d.scenario !== undefined) {
    if (d.errors.length > 0)
      repairs.unshift(
        `the link's scenario had ${d.errors.length} problem(s): ${d.errors.map((e) => e.message).join('; ')}`,
      );
    const overrides: Run['overrides'] = {};
    if (kernel !== undefined) overrides.kernel = kernel;
    if (backing !== undefined) overrides.backing = backing;
    const share: ShareSource =
      d.preset !== undefined ? { preset: d.preset } : (d.baseScenario ?? d.scenario);
    return { ok: true, scenario: d.scenario, share, overrides, view, repairs };
  }
  const fallback = loadPreset(DEFAULT_PRESET);
  if (!fallback.ok) return { ok: false, errors: fallback.errors.map((e) => e.message) };
  if (d.errors.length > 0) {
    repairs.unshift(...d.errors.map((e) => e.message));
    repairs.push(
      `the link could not be used: opened the default preset "${DEFAULT_PRESET}" instead`,
    );
    return {
      ok: true,
      scenario: fallback.scenario,
      share: { preset: DEFAULT_PRESET },
      overrides: {},
      view: {},
      repairs,
    };
  }
  return {
    ok: true,
    scenario: fallback.scenario,
    share: { preset: DEFAULT_PRESET },
    overrides: {},
    view,
    repairs,
  };
}

/** Checkpoints are whole machines: keep their total near 2 GiB on a 16 TiB host. */
function checkpointInterval(steps: number, regions: number): number {
  const perMachine = regions * 40;
  const maxCheckpoints = Math.max(8, Math.min(64, Math.floor(2 ** 31 / perMachine)));
  return Math.max(64, Math.ceil(steps / maxCheckpoints));
}

/** PackedEvents (20 bytes an event) seen as the array Timeline reads. */
function eventArray(p: PackedEvents): readonly EngineEvent[] {
  return new Proxy([] as EngineEvent[], {
    get(target, prop, receiver) {
      if (prop === 'length') return p.length;
      if (typeof prop === 'string') {
        const i = Number(prop);
        if (Number.isInteger(i) && i >= 0) return i < p.length ? p.at(i) : undefined;
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

function startRun(p: Extract<Prepared, { ok: true }>): Run {
  const t0 = Date.now();
  const { spec, events } = compilePacked(p.scenario);
  const regions = Math.ceil(Math.max(...spec.host.ranges.map((r) => r.end), 1) / 4096 / 512);
  const timeline = new Timeline(spec, eventArray(events), {
    checkpointInterval: checkpointInterval(events.length, regions),
  });
  const m = timeline.final;
  const info = runInfo(p.scenario, timeline, m, Date.now() - t0);
  return {
    scenario: p.scenario,
    share: p.share,
    overrides: p.overrides,
    timeline,
    splitAt: splitSteps(m),
    info,
    kindIndex: new Map(),
    filtered: null,
    ptdump: null,
  };
}

function runInfo(s: Scenario, timeline: Timeline, m: Machine, runMs: number): RunInfo {
  const ramBytes = m.ramPages * 4096;
  const columns = {} as RunInfo['series']['columns'];
  for (const c of SERIES_COLUMNS) columns[c] = timeline.series.columns[c].slice();
  return {
    scenario: s,
    title: s.title ?? 'Untitled scenario',
    description: s.description ?? '',
    kernel: s.kernel,
    designs: Object.values(DESIGNS).map((d) => ({ id: d.id, label: d.label, summary: d.summary })),
    steps: timeline.steps,
    totalPages: m.totalPages,
    regions: m.frames.regions,
    ramBytes,
    gbpages: m.dm.gbpages,
    guests: m.guests.map((g) => ({
      name: g.spec.name,
      memoryBytes: g.spec.memoryBytes,
      vcpus: g.spec.vcpus,
      backing: g.spec.backing,
      snp: g.spec.snp,
    })),
    captions: s.captions.map((c) => ({ step: c.step, text: c.text })),
    series: { steps: timeline.series.steps.slice(), columns },
    marks: outcomeMarks(m, timeline.steps),
    scenarioDigest: scenarioDigest(s),
    runMs: Math.round(runMs),
  };
}

function outcomeMarks(m: Machine, steps: number): OutcomeMarks {
  const log = m.log;
  const kindOf = new Map<string, number>(MARK_KINDS.map((k, i) => [k, i]));
  const outSteps: number[] = [];
  const outKinds: number[] = [];
  let total = 0;
  for (let i = 0; i < log.length; i++) if (kindOf.has(log.kindAt(i))) total++;
  const thin = total > MAX_MARKS;
  const bins = 4096;
  const seen = new Set<number>();
  for (let i = 0; i < log.length; i++) {
    const k = kindOf.get(log.kindAt(i));
    if (k === undefined) continue;
    const step = log.stepAt(i);
    if (thin) {
      const key = Math.floor((step / Math.max(1, steps)) * bins) * MARK_KINDS.length + k;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    outSteps.push(step);
    outKinds.push(k);
  }
  return { steps: Float64Array.from(outSteps), kinds: Uint8Array.from(outKinds) };
}
