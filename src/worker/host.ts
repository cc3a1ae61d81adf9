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
import { DESIGNS } from '../machine/kernels';
import type { Machine } from '../machine/machine';
import { RULES } from '../machine/rules';
import { PAGE_SIZE, PAGES_PER_2M } from '../machine/units';
import {
  compilePacked,
  encodeShareFragment,
  LIMITS,
  type Overrides,
  type PackedEvents,
  type ResolvedSource,
  resolveSource,
  type Scenario,
  type ShareSource,
  scenarioDigest,
  scenarioSpec,
} from '../scenario/index';
import { type Narrative, narrativeOf } from '../scenario/narrative';
import { recordedOrigin } from '../scenario/recorded';
import { checkpointIntervalFor } from '../sim/checkpoints';
import { metricsOf } from '../sim/metrics';
import { OutcomeIndex } from '../sim/outcome-index';
import { OutcomeRuns, sameLine } from '../sim/outcome-runs';
import { SERIES_COLUMNS, type Series, Timeline } from '../sim/timeline';
import { BaseOutcomes, WhatIfStory } from '../sim/whatif';
import { causeInfos, causeShares } from './by-cause';
import { Derived } from './derived';
import { EventFeed, knownLength } from './event-feed';
import { inspectFrame, ptdumpLineOf } from './inspect';
import { outcomeRow } from './messages';
import {
  type EngineApi,
  type FrameInfo,
  type LoadOptions,
  type LoadResult,
  type LoadSource,
  MARK_KINDS,
  type MapSnapshot,
  type OutcomeRow,
  PROTOCOL_VERSION,
  type RuleInfo,
  type RunInfo,
  type RunProgress,
  type StepView,
  stepPastEndRepair,
  type ViewState,
} from './protocol';
import { hostKernelOf, resolvedSource } from './resolved-source';
import { buildGuestSnapshot, buildSnapshot, guestChunkCells, regionCells } from './snapshot';
import { eventText } from './step-event';

/** The same calls as EngineApi, answered synchronously. */
export type EngineSync = {
  [K in keyof EngineApi]: (...args: Parameters<EngineApi[K]>) => Awaited<ReturnType<EngineApi[K]>>;
};

/**
 * The most events a browser run takes. The scenario format allows 10 million (LIMITS.events),
 * but the worker applies roughly 200,000–800,000 events a second here (4K churn; multi-page
 * events are slower), and every event also feeds checkpoints, series and marks: 2 million runs
 * in well under a minute in the background, and the message for more points to the CLI.
 */
export const MAX_WORKER_EVENTS = Math.min(LIMITS.events, 2_000_000);
/**
 * Runs longer than this get their events generated as the run reaches them (EventFeed): the
 * first frame does not wait for all of them, and the digest comes with progress() once known.
 */
export const LAZY_EVENTS = 1_000_000;
/**
 * What a run's machines and events may hold on a device with 8 GiB or more (the worker's
 * budget; see EngineHost): with the worker's other data it stays under 1.5 GiB of heap.
 */
export const ENGINE_BUDGET_BYTES = 1.25 * 2 ** 30;
/** At most this many regions (or chunks) per cells() call: 4096 × 512 = 2 MiB of codes. */
export const MAX_CELL_REGIONS = 4096;

interface Run {
  scenario: Scenario;
  share: ShareSource;
  overrides: Overrides;
  timeline: Timeline;
  /** Grows with the log while the run is computed (see Derived). */
  derived: Derived;
  info: RunInfo;
  /** Outcome indices per kind set, extended as the log grows. */
  index: OutcomeIndex;
  /** Runs of the same outcome line, for the log's collapsed rows. */
  runs: OutcomeRuns;
  ptdump: { step: number; lines: string[] } | null;
  /** A few recent step views: a seek answers step − 1 and step in one pass (see machineAt). */
  views: Map<number, StepView>;
  runMs: number;
  /** Events per advance slice (adapted to keep slices short). */
  slice: number;
  /** Set when the engine threw while running on in the background. */
  error: string | null;
  /** A what-if's captions, decided as the run is computed (null: the scenario as written). */
  story: WhatIfStory | null;
  /** story.version when load answered: progress() sends captions once they change after it. */
  storyAtLoad: number;
  /** The events, when generated as the run goes (the digest is known once they all are). */
  feed: EventFeed | null;
  /** RunInfo.scenarioDigest when load answered ('' while the feed was not done). */
  digestAtLoad: string;
}

/** Clock for progressive runs and checkpoint spacing; absent in tests (then nothing is timed). */
export interface HostClock {
  now(): number;
}

/** A seek replays at most about this long from a checkpoint (memory permitting). */
const REPLAY_BUDGET_MS = 35;
/** A progressive load answers after this long even if more would be quick to compute. */
const FIRST_SLICE_MS = 60;
const MAX_CACHED_VIEWS = 16;
/** Hosts up to 256 GiB get a what-if's captions checked (a second machine of that size is cheap). */
const MAX_STORY_REGIONS = 131_072;

type Prepared = Extract<ResolvedSource, { ok: true }>;

export class EngineHost implements EngineSync {
  private run: Run | null = null;

  constructor(
    private readonly clock: HostClock | null = null,
    /**
     * Memory a run's machines may hold: its checkpoints, the run's head and the seek cursor,
     * and a long run's packed events (default: the timeline's checkpoint budget, checkpoints
     * only). The worker sizes it by device.
     */
    private readonly checkpointBudgetBytes?: number,
    /** The most events a run takes, and from how many they are generated lazily (tests, bench). */
    private readonly limits: { maxEvents?: number; lazyEvents?: number } = {},
  ) {}

  protocolVersion(): number {
    return PROTOCOL_VERSION;
  }

  // ---- loading ------------------------------------------------------------------------------

  load(source: LoadSource, options: LoadOptions = {}): LoadResult {
    let prepared: ResolvedSource;
    try {
      prepared = resolveSource(source);
    } catch (e) {
      prepared = { ok: false, errors: [`could not read the scenario (internal error: ${e})`] };
    }
    if (!prepared.ok) return loadFailed(prepared.errors, []);
    const events = (prepared.scenario.workload?.steps ?? 0) + prepared.scenario.events.length;
    const max = this.limits.maxEvents ?? MAX_WORKER_EVENTS;
    if (events > max) {
      const error = `the scenario has ${events.toLocaleString('en-US')} events; the browser runs at most ${max.toLocaleString('en-US')} — run it with the CLI (npm run sim -- run <file>)`;
      return loadFailed([error], prepared.repairs);
    }
    const view = { ...prepared.view };
    try {
      const lazy = this.limits.lazyEvents ?? LAZY_EVENTS;
      this.run = startRun(prepared, this.clock, this.checkpointBudgetBytes, lazy);
      const want = Math.max(0, Math.floor(view.step ?? options.step ?? 0));
      if (options.progressive) {
        this.runTo(want);
        // The first snapshot and counters are for this step: keep a copy of it before the run
        // moves on, so they need no checkpoint restore (or boot) while the run computes.
        if (this.run.timeline.computed < this.run.info.steps) this.run.timeline.pin();
        // Small runs finish here; a big one answers now and runs on in the background.
        const left = FIRST_SLICE_MS - this.run.runMs;
        if (this.clock && left > 0) this.advanceFor(left);
      } else this.runTo(this.run.info.steps);
    } catch (e) {
      this.run = null;
      const error = `the engine failed while running the scenario (internal error: ${e})`;
      return loadFailed([error], prepared.repairs);
    }
    const run = this.run;
    const repairs = [...prepared.repairs];
    if (view.step !== undefined && view.step > run.info.steps) {
      repairs.push(stepPastEndRepair(view.step, run.info.steps));
      view.step = run.info.steps;
    }
    run.storyAtLoad = run.story?.version ?? 0;
    const p = this.progress()!;
    run.digestAtLoad = run.info.scenarioDigest;
    run.info = { ...run.info, series: p.series, marks: p.marks, computed: p.computed };
    run.info.runMs = p.runMs;
    const resolved = resolvedSource(source, prepared.share, prepared.overrides, run.info.scenario);
    return { ok: true, errors: [], repairs, view, info: run.info, source: resolved };
  }

  // ---- progressive runs -----------------------------------------------------------------------

  /** Compute up to `step` (the events are applied in slices, the derived data kept in step). */
  runTo(step: number): number {
    const run = this.run;
    if (!run) return 0;
    const t = run.timeline;
    const t0 = this.clock?.now() ?? 0;
    while (t.computed < Math.min(step, t.steps)) {
      t.advance(Math.min(step - t.computed, 8192));
      run.derived.extend(t);
    }
    tellStory(run);
    if (this.clock) run.runMs += this.clock.now() - t0;
    return t.computed;
  }

  /**
   * Compute for about `ms` milliseconds (needs the clock; without one, 8,192 events). Returns
   * whether the work is done: the run, then the placing of its checkpoints (Timeline.respace).
   * The worker entry calls this between messages until it says done.
   */
  advanceFor(ms: number): boolean {
    const run = this.run;
    if (!run) return true;
    const t = run.timeline;
    const clock = this.clock;
    if (!clock) {
      this.runTo(t.computed + 8192);
      return t.done;
    }
    const t0 = clock.now();
    while (!t.done && run.error === null) {
      const s0 = clock.now();
      try {
        t.advance(run.slice);
      } catch (e) {
        // Our bug, not the scenario's: keep what was computed, stop, and say so.
        run.error = `the engine failed at step ${t.computed + 1} (internal error: ${e})`;
      }
      run.derived.extend(t);
      tellStory(run);
      const now = clock.now();
      // Slices of about 4 ms (events differ in cost by 1000×: a guest launch accepts GiBs, a
      // share flips one page), growing at most 2× at a time: a long one holds up the next call.
      const fit = Math.round((run.slice * 4) / Math.max(0.05, now - s0));
      run.slice = Math.max(1, Math.min(65_536, run.slice * 2, fit));
      if (now - t0 >= ms) break;
    }
    const ran = clock.now();
    run.runMs += ran - t0;
    if (run.error !== null) return true;
    // Once the run is done, the rest of the time goes to placing its checkpoints evenly (seeks
    // replay less); that is idle work, not part of the run's time.
    return t.done && t.respace(Math.max(1, ms - (ran - t0)));
  }

  /** Steps of the current run's checkpoints (the benchmark and tests read them). */
  checkpointSteps(): number[] {
    return this.run?.timeline.checkpointSteps() ?? [];
  }

  progress(): RunProgress | null {
    const run = this.run;
    if (!run) return null;
    const t = run.timeline;
    if (run.info.scenarioDigest === '' && run.feed) {
      const digest = run.feed.digest();
      if (digest !== null) run.info = { ...run.info, scenarioDigest: digest };
    }
    const digest = run.info.scenarioDigest;
    return {
      computed: t.computed,
      steps: t.steps,
      done: t.done,
      series: copySeries(t.series),
      marks: run.derived.marks(),
      runMs: Math.round(run.runMs),
      settled: t.settled,
      ...(run.error !== null ? { error: run.error } : {}),
      ...(run.story && run.story.version !== run.storyAtLoad
        ? { captions: run.info.captions }
        : {}),
      ...(digest !== run.digestAtLoad ? { scenarioDigest: digest } : {}),
    };
  }

  // ---- the map ------------------------------------------------------------------------------

  snapshot(step: number): MapSnapshot {
    const run = this.run;
    if (!run) return emptySnapshot(step);
    const s = clampStep(run, step);
    return buildSnapshot(this.machineAt(run, s), s, run.derived.splitAt);
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
    return regionCells(this.machineAt(run, clampStep(run, step)), list);
  }

  guestCells(step: number, guest: number, firstChunk: number, count: number): Uint8Array {
    const n = Math.max(0, Math.min(MAX_CELL_REGIONS, Math.floor(count)));
    const list = Array.from({ length: n }, (_, i) => firstChunk + i);
    return this.guestCellsAt(step, guest, list);
  }

  guestCellsAt(step: number, guest: number, chunks: ArrayLike<number>): Uint8Array {
    const run = this.run;
    if (!run) return new Uint8Array(0);
    const m = this.machineAt(run, clampStep(run, step));
    const g = m.guests[guest];
    const list = Array.from(chunks).slice(0, MAX_CELL_REGIONS);
    return g ? guestChunkCells(m, g, list) : new Uint8Array(list.length * PAGES_PER_2M);
  }

  /** A guest's GPA space as a snapshot: one entry per 2 MiB GPA chunk (see buildGuestSnapshot). */
  guestSnapshot(step: number, guest: number): MapSnapshot {
    const run = this.run;
    if (!run) return emptySnapshot(step);
    const s = clampStep(run, step);
    const m = this.machineAt(run, s);
    const g = m.guests[guest];
    return g ? buildGuestSnapshot(m, g, s) : emptySnapshot(s);
  }

  // ---- panels -------------------------------------------------------------------------------

  stepView(step: number): StepView {
    const run = this.run;
    if (!run) throw new Error('stepView before load');
    const s = clampStep(run, step);
    const cached = run.views.get(s);
    if (cached) return cached;
    return this.viewAt(run, s, this.machineAt(run, s));
  }

  stepViews(step: number): { view: StepView; prev: StepView | null } {
    const view = this.stepView(step);
    return { view, prev: view.step > 0 ? this.stepView(view.step - 1) : null };
  }

  private viewAt(run: Run, s: number, m: Machine): StepView {
    const metrics = metricsOf(m);
    const view: StepView = {
      step: s,
      metrics,
      meminfoText: formatMeminfo(metrics.meminfo, m.dm.gbpages),
      vmstatText: formatVmstat(metrics.vmstat),
      guests: m.guests.map((g) => ({
        name: g.spec.name,
        status: g.status,
        reason: g.reason,
        privatePages: m.privatePages(g),
        doubleBackedBytes: g.doubleBacked * PAGE_SIZE,
      })),
      caption: run.info.captions.find((c) => c.step === s)?.text ?? null,
      byCause: causeShares(m),
      event: s > 0 ? stepEvent(run, s) : null,
    };
    if (run.views.size >= MAX_CACHED_VIEWS) run.views.delete(run.views.keys().next().value!);
    run.views.set(s, view);
    return view;
  }

  /**
   * The machine at step s. A seek asks for s and, for the counters' deltas, s − 1; the timeline
   * replays forward cheaply but restores a checkpoint to go back one step. So on the way to s,
   * stop at s − 1 and keep its view.
   */
  private machineAt(run: Run, s: number): Machine {
    const t = run.timeline;
    if (s > 0 && s < t.computed && !run.views.has(s - 1) && t.cursorStep() !== s)
      this.viewAt(run, s - 1, t.at(s - 1));
    return t.at(s);
  }

  // ---- the outcome log ------------------------------------------------------------------------

  /**
   * Rows [from, from + count) of the log, or of the log filtered to `kinds`, cut at maxStep.
   * Row.index is always the index in the whole log; `total` counts the filtered, cut list.
   */
  outcomes(query: {
    from: number;
    count: number;
    kinds?: string[];
    maxStep?: number;
    collapse?: boolean;
  }): {
    rows: OutcomeRow[];
    total: number;
    outcomes?: number;
  } {
    const run = this.run;
    if (!run) return { rows: [], total: 0 };
    const log = run.timeline.log;
    const m = run.timeline.final;
    if (query.collapse) {
      const { runs, total } = run.runs.page(query);
      const rows = runs.map((r) => ({
        ...outcomeRow(m, r.first, log.get(r.first)),
        repeat: r.count,
        lastIndex: r.last,
        lastStep: log.stepAt(r.last),
      }));
      return { rows, total, outcomes: run.index.page({ ...query, count: 0 }).total };
    }
    const page = run.index.page(query);
    return { rows: page.indices.map((i) => outcomeRow(m, i, log.get(i))), total: page.total };
  }

  outcomeIndexAt(step: number): number {
    return this.run ? this.run.timeline.log.lowerBound(step) : 0;
  }

  /** kind: an outcome kind (OUTCOME_KINDS) or 'any' for any scrubber-mark kind. */
  findOutcome(step: number, kind: string, dir: 1 | -1): number {
    return this.run?.index.find(step, kind === 'any' ? MARK_KINDS : [kind], dir) ?? -1;
  }

  // ---- inspector, rules, texts, links ---------------------------------------------------------

  inspect(step: number, pfn: number): FrameInfo {
    const run = this.run;
    if (!run) throw new Error('inspect before load');
    const s = clampStep(run, step);
    const m = this.machineAt(run, s);
    const info = inspectFrame(
      m,
      run.timeline.log,
      pfn,
      s,
      ptdumpLineOf(this.ptdumpLines(run, s), pfn, m.spec.host.la57),
    );
    for (const p of [info.splitBy?.pmd, info.splitBy?.pud]) {
      const o =
        p?.cause === 'recorded' ? recordedOrigin(run.scenario, run.timeline.steps, p.step) : null;
      if (p && o) Object.assign(p, o);
    }
    return info;
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
    const m = this.machineAt(run, step);
    const lines = formatPtdump(m.dm.pieces(), { fiveLevel: m.spec.host.la57 === true })
      .trimEnd()
      .split('\n');
    run.ptdump = { step, lines };
    return lines;
  }

  shareFragment(view: ViewState): string {
    const run = this.run;
    if (!run) return '';
    return encodeShareFragment(run.share, { ...run.overrides, ...view });
  }
}

// ---- helpers ----------------------------------------------------------------------------------

/** The event step s applied (step s is event s − 1), in words. */
function stepEvent(run: Run, s: number): string | null {
  const e = run.timeline.events.at(s - 1);
  return e
    ? eventText(
        e,
        run.info.guests.map((g) => g.name),
      )
    : null;
}

/** Steps past what a progressive run has computed answer for the last computed step. */
function clampStep(run: Run, step: number): number {
  const s = Number.isFinite(step) ? Math.floor(step) : 0;
  return Math.max(0, Math.min(run.timeline.computed, s));
}

function copySeries(s: Series): RunInfo['series'] {
  const columns = {} as RunInfo['series']['columns'];
  for (const c of SERIES_COLUMNS) columns[c] = s.columns[c].slice();
  return { steps: s.steps.slice(), columns };
}

function emptySnapshot(step: number): MapSnapshot {
  const e = new Uint8Array(0);
  return { step, regions: 0, regionCode: e, regionLevel: e, regionFlags: e, regionUserLevel: e };
}

function startRun(
  p: Prepared,
  clock: HostClock | null,
  budgetBytes: number | undefined,
  lazyEvents: number,
): Run {
  const t0 = clock?.now() ?? 0;
  const s = p.scenario;
  const length = (s.workload?.steps ?? 0) + s.events.length > lazyEvents ? knownLength(s) : null;
  const spec = scenarioSpec(s);
  const feed = length !== null ? new EventFeed(s, spec, length) : null;
  const events = feed ?? compilePacked(s).events;
  const regions = Math.ceil(
    Math.max(...spec.host.ranges.map((r) => r.end), 1) / PAGE_SIZE / PAGES_PER_2M,
  );
  const timeline = new Timeline(spec, events, {
    checkpointInterval: checkpointIntervalFor(events.length, regions),
    progressive: true,
    ...(clock ? { replayBudget: { now: () => clock.now(), ms: REPLAY_BUDGET_MS } } : {}),
    ...(budgetBytes !== undefined
      ? {
          // The head and the cursor are machines of the same size as a checkpoint.
          checkpointBudgetBytes: Math.max(0, budgetBytes - (feed?.bytes ?? 0)),
          checkpointReserve: 2,
        }
      : {}),
  });
  const m = timeline.final;
  const told = narrativeOf(p.scenario, p.base, p.overrides);
  const whatIf = whatIfStory(p.base, told);
  // Too big a host to replay the preset beside the rerun: its captions stay out, and the note
  // says so instead of promising them.
  const story =
    whatIf === null && told.pending.length > 0
      ? {
          ...told,
          note: `${told.note?.split(':')[0]}: the preset's captions narrate it as written and are not checked against a rerun of a host over 256 GiB, so they are not shown; the outcome log says what happens here.`,
        }
      : told;
  const digest = feed ? (feed.digest() ?? '') : scenarioDigest(s, events as PackedEvents);
  const info = {
    ...runInfo(p.scenario, story, timeline, m, digest),
    linux: hostKernelOf(p.scenario, p.base),
    causes: causeInfos(m),
  };
  const index = new OutcomeIndex(timeline.log);
  return {
    scenario: p.scenario,
    share: p.share,
    overrides: p.overrides,
    timeline,
    derived: new Derived(m.frames.regions, timeline.steps),
    info,
    index,
    runs: new OutcomeRuns(timeline.log, index, (a, b) =>
      sameLine(timeline.log.get(a), timeline.log.get(b)),
    ),
    ptdump: null,
    views: new Map(),
    slice: 16,
    error: null,
    story: whatIf,
    storyAtLoad: 0,
    feed,
    digestAtLoad: '',
    runMs: clock ? clock.now() - t0 : 0,
  };
}

/**
 * The preset's own run, to check a what-if's captions against, replayed as far as its last
 * caption — unless that is a big host's (a second 1 TiB machine costs as much as the run
 * itself): then the captions stay out, as the note says.
 */
function whatIfStory(base: Scenario, story: Narrative): WhatIfStory | null {
  if (story.pending.length === 0) return null;
  const { spec, events } = compilePacked(base);
  const regions = Math.max(...spec.host.ranges.map((r) => r.end), 1) / PAGE_SIZE / PAGES_PER_2M;
  if (regions > MAX_STORY_REGIONS) return null;
  return new WhatIfStory(story.pending, new BaseOutcomes(spec, events), story.stale);
}

/** Bring the what-if's captions up to what is computed (the base run goes at the same pace). */
function tellStory(run: Run): void {
  const story = run.story;
  if (!story?.update(run.timeline.final)) return;
  run.info = { ...run.info, captions: story.captions() };
  // Cached step views carry the caption of their step.
  run.views.clear();
}

/** What a run tells before its events are applied (series and marks are filled by load). */
function runInfo(
  s: Scenario,
  story: Narrative,
  timeline: Timeline,
  m: Machine,
  digest: string,
): Omit<RunInfo, 'linux'> {
  const ramBytes = m.ramPages * PAGE_SIZE;
  return {
    scenario: s,
    title: story.title,
    description: story.description,
    ...(story.note !== null ? { narrativeNote: story.note } : {}),
    kernel: s.kernel,
    designs: Object.values(DESIGNS).map((d) => ({ id: d.id, label: d.label, summary: d.summary })),
    steps: timeline.steps,
    totalPages: m.totalPages,
    regions: m.frames.regions,
    ramBytes,
    layout: m.spec.host.layout ?? 'ranges',
    gbpages: m.dm.gbpages,
    guests: m.guests.map((g) => ({
      name: g.spec.name,
      memoryBytes: g.spec.memoryBytes,
      vcpus: g.spec.vcpus,
      backing: g.spec.backing,
      snp: g.spec.snp,
    })),
    captions: story.captions.map((c) => ({ step: c.step, text: c.text })),
    // Filled by load() from progress().
    series: { steps: new Float64Array(0), columns: {} as RunInfo['series']['columns'] },
    marks: { steps: new Float64Array(0), kinds: new Uint8Array(0) },
    scenarioDigest: digest,
    runMs: 0,
    computed: timeline.computed,
  };
}

/** A load that did not start a run: what went wrong, and what was repaired on the way. */
function loadFailed(errors: string[], repairs: LoadResult['repairs']): LoadResult {
  return { ok: false, errors, repairs, view: {}, info: null, source: null };
}
