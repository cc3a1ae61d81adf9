/**
 * Outcomes: what each event caused, as values (never exceptions). Stored column-wise in typed
 * arrays, because a terabyte run produces hundreds of thousands of them.
 */
import { RULES } from './rules';

export const OUTCOME_KINDS = [
  'dm-split',
  'rmp-fault',
  'thp-split',
  'sigbus',
  'guest-killed',
  'launch-refused',
  'psmash',
  'host-oops',
  'rmpupdate-fail',
  'dm-unmap',
  'double-backed',
  'folio-split',
  'oom',
  'ignored',
  'launch',
  'exit',
  'dm-collapse',
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
const KIND_INDEX = new Map<OutcomeKind, number>(OUTCOME_KINDS.map((k, i) => [k, i]));

export interface Outcome {
  /** The step (1-based event number) that caused it. */
  step: number;
  kind: OutcomeKind;
  rule: string;
  /** Guest index, or -1. */
  guest: number;
  /** Host frame the outcome is about (first frame of a split range), or -1. */
  pfn: number;
  /**
   * Kind-specific number: dm-split: 1 = 1G→2M, 0 = 2M→4K; dm-collapse: 1 = 2M→1G, 0 = 4K→2M; rmp-fault: the #PF error code;
   * psmash: region index; others: pages affected.
   */
  detail: number;
  /** Guest physical address involved, or -1. */
  gpa: number;
}

/** Rows per chunk of the log (a power of two). */
const LOG_BITS = 14;
const LOG_CHUNK = 1 << LOG_BITS;
const LOG_MASK = LOG_CHUNK - 1;

/** One chunk of the column-wise log. */
class LogChunk {
  readonly step: Int32Array;
  readonly kind: Uint8Array;
  readonly rule: Uint8Array;
  readonly guest: Int16Array;
  readonly pfn: Float64Array;
  readonly detail: Float64Array;
  readonly gpa: Float64Array;
  constructor(
    readonly capacity: number,
    from?: LogChunk,
  ) {
    this.step = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.rule = new Uint8Array(capacity);
    this.guest = new Int16Array(capacity);
    this.pfn = new Float64Array(capacity);
    this.detail = new Float64Array(capacity);
    this.gpa = new Float64Array(capacity);
    if (from) {
      this.step.set(from.step);
      this.kind.set(from.kind);
      this.rule.set(from.rule);
      this.guest.set(from.guest);
      this.pfn.set(from.pfn);
      this.detail.set(from.detail);
      this.gpa.set(from.gpa);
    }
  }
}

/**
 * Every outcome of a run, column-wise in chunks of LOG_CHUNK rows: the first chunk grows from
 * 1,024 rows, later ones are allocated whole, and no chunk is ever copied again — a run of a
 * million outcomes touches its 32 MiB once (fresh memory is the expensive part on big runs).
 */
export class OutcomeLog {
  length = 0;
  private chunks: LogChunk[];
  /** Running totals per kind. */
  readonly counts = new Float64Array(OUTCOME_KINDS.length);

  /** A log that only counts (used when replaying from a checkpoint: the run's log has the rows). */
  static countsOnly(counts: Float64Array): OutcomeLog {
    const log = new OutcomeLog(0);
    log.counts.set(counts);
    log.countOnly = true;
    return log;
  }

  private countOnly = false;

  constructor(initialRows = 1024) {
    this.chunks = initialRows > 0 ? [new LogChunk(initialRows)] : [];
  }

  push(
    step: number,
    kind: OutcomeKind,
    rule: number,
    guest: number,
    pfn: number,
    detail: number,
    gpa = -1,
  ): void {
    const k = KIND_INDEX.get(kind)!;
    this.counts[k]!++;
    if (this.countOnly) return;
    const i = this.length++;
    const o = i & LOG_MASK;
    let c = this.chunks[i >>> LOG_BITS];
    if (!c || o >= c.capacity) c = this.grow(i);
    c.step[o] = step;
    c.kind[o] = k;
    c.rule[o] = rule;
    c.guest[o] = guest;
    c.pfn[o] = pfn;
    c.detail[o] = detail;
    c.gpa[o] = gpa;
  }

  /** The chunk that will hold row i: the first chunk doubles up to LOG_CHUNK, then new chunks. */
  private grow(i: number): LogChunk {
    const ci = i >>> LOG_BITS;
    const old = this.chunks[ci];
    const c = old
      ? new LogChunk(Math.min(LOG_CHUNK, old.capacity * 2), old)
      : new LogChunk(ci === 0 ? 1024 : LOG_CHUNK);
    this.chunks[ci] = c;
    return c;
  }

  private at(i: number): LogChunk {
    return this.chunks[i >>> LOG_BITS]!;
  }

  count(kind: OutcomeKind): number {
    return this.counts[KIND_INDEX.get(kind)!]!;
  }

  get(i: number): Outcome {
    const c = this.at(i);
    const o = i & LOG_MASK;
    return {
      step: c.step[o]!,
      kind: OUTCOME_KINDS[c.kind[o]!]!,
      rule: RULES[c.rule[o]!]!.id,
      guest: c.guest[o]!,
      pfn: c.pfn[o]!,
      detail: c.detail[o]!,
      gpa: c.gpa[o]!,
    };
  }

  kindAt(i: number): OutcomeKind {
    return OUTCOME_KINDS[this.at(i).kind[i & LOG_MASK]!]!;
  }

  stepAt(i: number): number {
    return this.at(i).step[i & LOG_MASK]!;
  }

  /** First outcome index whose step is >= step (binary search; steps are non-decreasing). */
  lowerBound(step: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.stepAt(mid) < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Keep only outcomes before `length` (for rewinding to a checkpoint). */
  truncate(length: number): void {
    for (let i = length; i < this.length; i++) this.counts[this.at(i).kind[i & LOG_MASK]!]!--;
    this.length = length;
  }
}
