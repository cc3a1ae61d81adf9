/**
 * A run: the machine after each event, with checkpoints so any step can be reached quickly, the
 * full outcome log, and metrics sampled along the run for charts. Seeking restores the nearest
 * checkpoint at or before the step and replays from there; the replay's outcomes are not logged
 * again (the run's log already has them), only counted.
 */
import { applyEvent } from '../machine/apply';
import type { EngineEvent, MachineSpec } from '../machine/events';
import { Machine } from '../machine/machine';
import { OutcomeLog } from '../machine/outcomes';
import { type Metrics, metricsOf } from './metrics';

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
  /** Step of each sample (ascending, first 0, last the final step). */
  steps: Float64Array;
  columns: Record<SeriesColumn, Float64Array>;
}

const MAX_SAMPLES = 4096;
/** Memory all checkpoints of one run may hold. */
const CHECKPOINT_BUDGET_BYTES = 384 * 2 ** 20;

interface Checkpoint {
  step: number;
  machine: Machine;
  counts: Float64Array;
}

export class Timeline {
  readonly steps: number;
  /** The machine at the final step, with the full outcome log. */
  readonly final: Machine;
  private readonly checkpoints: Checkpoint[] = [];
  readonly series: Series;
  private interval: number;
  private cursor: Machine | null = null;

  constructor(
    readonly spec: MachineSpec,
    readonly events: readonly EngineEvent[],
    opts: { checkpointInterval?: number } = {},
  ) {
    this.steps = events.length;
    const m = new Machine(spec);
    this.interval = opts.checkpointInterval ?? chooseInterval(this.steps);
    const stride = Math.max(1, Math.ceil(this.steps / MAX_SAMPLES));
    const n = Math.floor(this.steps / stride) + 2;
    const columns = {} as Record<SeriesColumn, Float64Array>;
    for (const c of SERIES_COLUMNS) columns[c] = new Float64Array(n);
    const steps = new Float64Array(n);
    let k = 0;
    const sample = () => {
      steps[k] = m.step;
      writeSample(m, columns, k++);
    };
    this.checkpoint(m);
    sample();
    for (let i = 0; i < events.length; i++) {
      applyEvent(m, events[i]!);
      if (m.step % this.interval === 0 && m.step < this.steps) {
        this.checkpoint(m);
        this.keepWithinBudget(m);
      }
      if (m.step % stride === 0 || m.step === this.steps) sample();
    }
    if (steps[k - 1] !== m.step) sample();
    this.series = { steps: steps.subarray(0, k), columns: trim(columns, k) };
    this.final = m;
  }

  /**
   * Checkpoints cost a copy of the machine each; on a terabyte host that is tens of MiB. Past
   * the budget, double the interval and keep every other checkpoint (seeking then replays more).
   */
  private keepWithinBudget(m: Machine): void {
    const bytes = m.estimateBytes();
    while (
      this.checkpoints.length * bytes > CHECKPOINT_BUDGET_BYTES &&
      this.checkpoints.length > 2
    ) {
      this.interval *= 2;
      const kept = this.checkpoints.filter((c) => c.step % this.interval === 0);
      this.checkpoints.length = 0;
      this.checkpoints.push(...kept);
    }
  }

  private checkpoint(m: Machine): void {
    this.checkpoints.push({ step: m.step, machine: m.clone(), counts: m.log.counts.slice() });
  }

  get log(): OutcomeLog {
    return this.final.log;
  }

  /** The machine at `step` (0 = after boot). The result is shared: do not apply events to it. */
  at(step: number): Machine {
    const s = Math.max(0, Math.min(this.steps, Math.floor(step)));
    if (s === this.steps) return this.final;
    if (this.cursor && this.cursor.step <= s && s - this.cursor.step <= this.interval) {
      this.replay(this.cursor, s);
      return this.cursor;
    }
    let lo = 0;
    for (let i = 0; i < this.checkpoints.length; i++) if (this.checkpoints[i]!.step <= s) lo = i;
    const cp = this.checkpoints[lo]!;
    const m = cp.machine.clone();
    m.log = OutcomeLog.countsOnly(cp.counts);
    this.replay(m, s);
    this.cursor = m;
    return m;
  }

  private replay(m: Machine, step: number): void {
    while (m.step < step) applyEvent(m, this.events[m.step]!);
  }

  metricsAt(step: number): Metrics {
    return metricsOf(this.at(step));
  }
}

function chooseInterval(steps: number): number {
  // About 64 checkpoints, never replaying more than 20,000 events to seek.
  return Math.max(64, Math.min(20_000, Math.ceil(steps / 64)));
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
  c.pageTableBytes[k] = m.tablePages * 4096;
  c.doubleBackedBytes[k] = m.doubleBackedPages * 4096;
}

function trim(
  c: Record<SeriesColumn, Float64Array>,
  k: number,
): Record<SeriesColumn, Float64Array> {
  const out = {} as Record<SeriesColumn, Float64Array>;
  for (const key of SERIES_COLUMNS) out[key] = c[key].slice(0, k);
  return out;
}
