/**
 * A run: the machine after each event, with checkpoints so any step can be reached quickly, the
 * full outcome log, and metrics sampled along the run for charts. Seeking restores the nearest
 * checkpoint at or before the step and replays from there; the replay's outcomes are not logged
 * again (the run's log already has them), only counted.
 *
 * A timeline can be built progressively: `advance(n)` applies the next n events, and everything
 * (at, series, log) answers for the steps computed so far. The browser worker advances in slices
 * so its first answer does not wait for a million events; the CLI and tests build it in one go.
 */
import { applyEvent } from '../machine/apply';
import type { EngineEvent, MachineSpec } from '../machine/events';
import { Machine } from '../machine/machine';
import { OutcomeLog } from '../machine/outcomes';
import { PAGE_SIZE } from '../machine/units';
import { CHECKPOINT_BUDGET_BYTES, CheckpointStore } from './checkpoints';
import { type Metrics, metricsOf } from './metrics';

export { CHECKPOINT_BUDGET_BYTES } from './checkpoints';

/** Columns sampled per step for charts. */
export const SERIES_COLUMNS = [
  'DirectMap4k',
  'DirectMap2M',
  'DirectMap1G',
  'level2Splits',
  'level3Splits',
  'rmpFaults',
  'thpSplits',
  'killed',
  'hostOops',
  'psmash',
  'tlbFlushes',
  'pageTableBytes',
  'doubleBackedBytes',
] as const;
export type SeriesColumn = (typeof SERIES_COLUMNS)[number];

export interface Series {
  /** Step of each sample (ascending, first 0, last the last computed step). */
  steps: Float64Array;
  columns: Record<SeriesColumn, Float64Array>;
}

const MAX_SAMPLES = 4096;
/** Checkpoints never closer than this many events (a clone costs more than replaying them). */
const MIN_INTERVAL = 64;
/** With a clock, the run's apply time is recorded every this many events (for respace()). */
const COST_BLOCK = 1024;
/** respace() leaves checkpoints alone when no gap costs more than this times an even share. */
const RESPACE_SLACK = 1.15;
/** Events a respace() slice replays between readings of the clock. */
const RESPACE_CHUNK = 256;

/**
 * The events of a run: a plain array, or the worker's PackedEvents (20 bytes an event, each
 * materialised only while it is applied).
 */
export interface EventList {
  readonly length: number;
  at(i: number): EngineEvent | undefined;
}

export interface TimelineOptions {
  /** Events between checkpoints (fixed); default about 64 checkpoints, at most 20,000 apart. */
  checkpointInterval?: number;
  /**
   * Bound a seek's replay by time instead: with a clock (ms), the timeline measures how fast it
   * applies events and spaces checkpoints `replayMs` of work apart (the memory budget still
   * applies). The clock changes only where checkpoints fall, never what a step holds.
   */
  replayBudget?: { now: () => number; ms: number };
  /** Build nothing yet: the caller drives advance(). */
  progressive?: boolean;
  /** Memory all checkpoints may hold (default CHECKPOINT_BUDGET_BYTES). */
  checkpointBudgetBytes?: number;
  /** Machines the budget also holds besides checkpoints (see CheckpointStore; default 0). */
  checkpointReserve?: number;
}

export class Timeline {
  readonly steps: number;
  private readonly head: Machine;
  private readonly checkpoints: CheckpointStore<Machine>;
  private readonly stride: number;
  private readonly sampleSteps: Float64Array;
  private readonly sampleColumns: Record<SeriesColumn, Float64Array>;
  private samples = 0;
  private interval: number;
  private readonly budget: TimelineOptions['replayBudget'];
  /** Events applied per ms, measured while advancing (0 until measured). */
  private rate = 0;
  private cursor: Machine | null = null;
  /** Cumulative apply ms at the start of each COST_BLOCK of events (with a clock only). */
  private readonly costAt: Float64Array | null;
  private applyMs = 0;
  /** respace(): the steps to place checkpoints at, and how many are placed; done when null and respaced. */
  private plan: { targets: number[]; next: number } | null = null;
  private respaced = false;

  constructor(
    readonly spec: MachineSpec,
    readonly events: EventList,
    opts: TimelineOptions = {},
  ) {
    this.steps = events.length;
    this.budget = opts.replayBudget;
    this.costAt = this.budget ? new Float64Array(Math.ceil(this.steps / COST_BLOCK) + 1) : null;
    const t0 = this.budget?.now() ?? 0;
    this.head = new Machine(spec);
    // A copy costs about what a boot costs (both allocate the whole host).
    if (this.budget) this.cloneMs = this.budget.now() - t0;
    this.checkpoints = new CheckpointStore(
      opts.checkpointBudgetBytes ?? CHECKPOINT_BUDGET_BYTES,
      this.head.log.counts.slice(),
      opts.checkpointReserve ?? 0,
    );
    // Timed: no checkpoint until the first measurement says how far apart they go.
    this.interval = this.budget
      ? Number.POSITIVE_INFINITY
      : (opts.checkpointInterval ?? chooseInterval(this.steps));
    this.stride = Math.max(1, Math.ceil(this.steps / MAX_SAMPLES));
    const n = Math.floor(this.steps / this.stride) + 2;
    this.sampleColumns = {} as Record<SeriesColumn, Float64Array>;
    for (const c of SERIES_COLUMNS) this.sampleColumns[c] = new Float64Array(n);
    this.sampleSteps = new Float64Array(n);
    this.sample();
    if (!opts.progressive) this.advance(this.steps);
  }

  /** Steps computed so far: at(), series and log answer for steps 0..computed. */
  get computed(): number {
    return this.head.step;
  }

  get done(): boolean {
    return this.head.step >= this.steps;
  }

  /** Done, and respace() has nothing left to do (always, without a clock). */
  get settled(): boolean {
    return this.done && (this.respaced || !this.budget);
  }

  /**
   * The machine at the last computed step (the final step once done), with the outcome log so
   * far. Shared: do not apply events to it.
   */
  get final(): Machine {
    return this.head;
  }

  get log(): OutcomeLog {
    return this.head.log;
  }

  /** The samples so far, ending at the last computed step (views: copy before transferring). */
  get series(): Series {
    let k = this.samples;
    if (this.sampleSteps[k - 1] !== this.head.step) {
      // Not a sampling step: a provisional sample in the next slot, overwritten as the run goes.
      this.sampleSteps[k] = this.head.step;
      writeSample(this.head, this.sampleColumns, k);
      k++;
    }
    const columns = {} as Record<SeriesColumn, Float64Array>;
    for (const c of SERIES_COLUMNS) columns[c] = this.sampleColumns[c].subarray(0, k);
    return { steps: this.sampleSteps.subarray(0, k), columns };
  }

  /** Apply up to `maxEvents` more events; returns the steps computed. */
  advance(maxEvents: number): number {
    const m = this.head;
    const end = Math.min(this.steps, m.step + Math.max(0, Math.floor(maxEvents)));
    const clock = this.budget?.now;
    const t0 = clock?.() ?? 0;
    const from = m.step;
    const costAt = this.costAt;
    let cloneMs = 0;
    let lastT = t0;
    let last = this.checkpoints.lastStep();
    while (m.step < end) {
      applyEvent(m, this.events.at(m.step)!);
      if (m.step - last >= this.interval && m.step < this.steps) {
        const c0 = clock?.() ?? 0;
        this.keepWithinBudget(m, this.checkpoints.take(m));
        if (clock) this.cloneMs = clock() - c0;
        cloneMs += this.cloneMs;
        lastT += this.cloneMs;
        last = m.step;
      }
      if (costAt && (m.step % COST_BLOCK === 0 || m.step === this.steps)) {
        const now = clock!();
        this.applyMs += now - lastT;
        lastT = now;
        costAt[Math.ceil(m.step / COST_BLOCK)] = this.applyMs;
      }
      if (m.step % this.stride === 0 || m.step === this.steps) this.sample();
    }
    if (clock) {
      const now = clock();
      this.applyMs += now - lastT;
      this.measure(m.step - from, now - t0 - cloneMs);
    }
    return m.step;
  }

  private measured = { events: 0, ms: 0 };
  private cloneMs = 0;
  /** Checkpoints the memory budget holds at the machine's last measured size. */
  private capacity = 64;
  /** Memory forced the spacing wider than time asks for. */
  private thinned = false;

  /**
   * Space checkpoints so that replaying from one takes about the budget's milliseconds, but
   * never so close that taking checkpoints costs more than an eighth of the run.
   */
  private measure(events: number, ms: number): void {
    if (!this.budget) return;
    const acc = this.measured;
    acc.events += events;
    acc.ms += Math.max(0, ms);
    if (acc.events < 2000 || acc.ms <= 0) return;
    this.rate = acc.events / acc.ms;
    acc.events = 0;
    acc.ms = 0;
    const byReplay = this.rate * this.budget.ms;
    // Copies may cost an eighth of the run, but never leave the run with fewer checkpoints than
    // the memory budget holds (spread evenly, those bound the longest replay).
    const byCloneCost = Math.min(this.rate * this.cloneMs * 8, this.steps / this.capacity);
    const want = Math.max(MIN_INTERVAL, Math.round(Math.max(byReplay, byCloneCost)));
    // Memory may already have forced a wider spacing; never narrow below that.
    if (want > this.interval || !this.thinned || !Number.isFinite(this.interval))
      this.interval = want;
  }

  /**
   * Checkpoints cost a copy of the machine each; on a terabyte host that is tens of MiB. Past
   * the budget the store thins them (see CheckpointStore.thin), and later ones are spaced over
   * the whole run's length. A checkpoint is a packed copy (cp), smaller than the head it copies
   * after long churn; the head's difference is paid once, beside the reserve.
   */
  private keepWithinBudget(m: Machine, cp: Machine): void {
    const head = m.estimateBytes();
    const per = Math.min(head, cp.estimateBytes());
    const { capacity, dropped } = this.checkpoints.thin(per, head - per);
    this.capacity = capacity;
    if (dropped) this.thinned = true;
    if (this.thinned) this.interval = Math.max(this.interval, Math.ceil(this.steps / capacity));
  }

  private sample(): void {
    const m = this.head;
    const k = this.samples;
    if (k > 0 && this.sampleSteps[k - 1] === m.step) return;
    this.sampleSteps[k] = m.step;
    writeSample(m, this.sampleColumns, k);
    this.samples = k + 1;
  }

  /**
   * The machine at `step` (0 = after boot), clamped to the computed steps. The result is shared:
   * do not apply events to it. Forward from the last answer it replays; otherwise it restores the
   * nearest checkpoint, unless replaying from where it is costs less than a restore.
   */
  at(step: number): Machine {
    const s = Math.max(0, Math.min(this.head.step, Math.floor(step)));
    if (s === this.head.step) return this.head;
    const m = this.cursorFor(s);
    this.replay(m, s);
    return m;
  }

  /**
   * The seek cursor, at a step no later than s from which s is reached soonest: where it is,
   * if replaying forward from there costs less than a restore, or else the nearest checkpoint at
   * or before s restored into it.
   */
  private cursorFor(s: number): Machine {
    const c = this.cursor;
    const cp = this.checkpoints.before(s);
    if (c && c.step <= s && (c.step >= cp.step || s - c.step <= this.forwardReach())) return c;
    // Step 0 is booted the first time a seek needs it, then kept like any checkpoint.
    cp.machine ??= new Machine(this.spec);
    // Restore into the machine the last seek used: a copy into memory already touched, where a
    // clone would fault in every page of a fresh one.
    const m = c ?? cp.machine.clone();
    if (c) c.restoreFrom(cp.machine);
    m.log = OutcomeLog.countsOnly(cp.counts);
    this.cursor = m;
    return m;
  }

  /**
   * Once the run is done: move the checkpoints to where they split its apply time evenly. While
   * the run went on, memory forced it to thin them without knowing what was to come, so some
   * gaps ended up twice others (a seek replays up to a whole gap). Works in slices of about
   * maxMs (needs the clock); returns true when there is nothing left to do. Seeks may come
   * between slices: every checkpoint is valid at every moment (see makePlan for how many).
   */
  respace(maxMs: number): boolean {
    const clock = this.budget?.now;
    if (!clock || !this.done || this.respaced) return true;
    this.plan ??= this.makePlan();
    const plan = this.plan;
    if (!plan) {
      this.respaced = true;
      return true;
    }
    const t0 = clock();
    while (plan.next < plan.targets.length) {
      const target = plan.targets[plan.next]!;
      const w = this.cursorFor(target);
      while (w.step < target) {
        this.replay(w, Math.min(target, w.step + RESPACE_CHUNK));
        if (w.step < target && clock() - t0 >= maxMs) return false;
      }
      this.place(w);
      plan.next++;
      if (clock() - t0 >= maxMs) return plan.next >= plan.targets.length && this.finishPlan();
    }
    return this.finishPlan();
  }

  /**
   * Targets splitting the run's apply time into equal shares, or null when the spacing is fine.
   * As many as the replay budget asks for, as far as the memory budget holds, and never fewer
   * than there are (the run itself may have stopped short: thinning keeps the count it had).
   */
  private makePlan(): { targets: number[]; next: number } | null {
    const costAt = this.costAt;
    if (!costAt || !this.budget || this.steps < 2 * MIN_INTERVAL) return null;
    const total = costAt[costAt.length - 1]!;
    if (!(total > 0)) return null;
    const byReplay = Math.ceil(total / this.budget.ms);
    const n = Math.max(this.checkpoints.length - 1, Math.min(this.capacity - 1, byReplay));
    if (n < 1) return null;
    const costOf = (step: number) => {
      const b = Math.floor(step / COST_BLOCK);
      if (b >= costAt.length - 1) return total;
      const len = Math.min(COST_BLOCK, this.steps - b * COST_BLOCK);
      return costAt[b]! + ((costAt[b + 1]! - costAt[b]!) * (step - b * COST_BLOCK)) / len;
    };
    const share = total / (n + 1);
    const steps = [...this.checkpoints.steps(), this.steps];
    let worst = 0;
    for (let i = 1; i < steps.length; i++)
      worst = Math.max(worst, costOf(steps[i]!) - costOf(steps[i - 1]!));
    if (worst <= share * RESPACE_SLACK) return null;
    const targets: number[] = [];
    let b = 0;
    for (let j = 1; j <= n; j++) {
      const want = j * share;
      while (b + 1 < costAt.length - 1 && costAt[b + 1]! <= want) b++;
      const len = Math.min(COST_BLOCK, this.steps - b * COST_BLOCK);
      const span = costAt[b + 1]! - costAt[b]!;
      const within = span > 0 ? Math.round(((want - costAt[b]!) / span) * len) : 0;
      const step = Math.min(this.steps - 1, b * COST_BLOCK + Math.max(0, Math.min(len, within)));
      const prev = targets[targets.length - 1] ?? 0;
      if (step - prev >= MIN_INTERVAL && this.steps - step >= MIN_INTERVAL) targets.push(step);
    }
    return targets.length > 0 ? { targets, next: 0 } : null;
  }

  /** A checkpoint of w (the cursor at a target step), in place of one the plan does not keep. */
  private place(w: Machine): void {
    this.checkpoints.place(w, this.steps);
  }

  /** Drop what the plan did not place (their memory goes back to the heap). */
  private finishPlan(): boolean {
    this.checkpoints.dropUnplanned();
    this.plan = null;
    this.respaced = true;
    return true;
  }

  /**
   * Keep a copy of the machine at the last computed step as the seek cursor: the step a link
   * opens at is answered from it while the run goes on (no restore, no boot).
   */
  pin(): void {
    const m = this.head.clone();
    m.log = OutcomeLog.countsOnly(this.head.log.counts);
    this.cursor = m;
  }

  /** Step of the machine the last restore left (forward seeks from it replay), or -1. */
  cursorStep(): number {
    return this.cursor?.step ?? -1;
  }

  /** Events the cursor may replay forward instead of restoring a checkpoint. */
  private forwardReach(): number {
    const measured = this.rate * (this.budget?.ms ?? 0);
    return Number.isFinite(this.interval) ? Math.max(this.interval, measured) : measured;
  }

  private replay(m: Machine, step: number): void {
    while (m.step < step) applyEvent(m, this.events.at(m.step)!);
  }

  metricsAt(step: number): Metrics {
    return metricsOf(this.at(step));
  }

  /** Checkpoint steps (for tests and the benchmark). */
  checkpointSteps(): number[] {
    return this.checkpoints.steps();
  }
}

function chooseInterval(steps: number): number {
  // About 64 checkpoints, never replaying more than 20,000 events to seek.
  return Math.max(MIN_INTERVAL, Math.min(20_000, Math.ceil(steps / 64)));
}

function writeSample(m: Machine, c: Record<SeriesColumn, Float64Array>, k: number): void {
  c.DirectMap4k[k] = m.dm.count4k * 4;
  c.DirectMap2M[k] = m.dm.count2m * 2048;
  c.DirectMap1G[k] = m.dm.count1g * 1048576;
  c.level2Splits[k] = m.dm.level2Splits;
  c.level3Splits[k] = m.dm.level3Splits;
  c.rmpFaults[k] = m.count('rmp-fault');
  c.thpSplits[k] = m.count('thp-split');
  c.killed[k] = m.count('guest-killed');
  c.hostOops[k] = m.count('host-oops');
  c.psmash[k] = m.count('psmash');
  c.tlbFlushes[k] = m.tlbFlushes;
  c.pageTableBytes[k] = m.tablePages * PAGE_SIZE;
  c.doubleBackedBytes[k] = m.doubleBackedPages * PAGE_SIZE;
}
