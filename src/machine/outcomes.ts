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
   * Kind-specific number: dm-split: 1 = 1G→2M, 0 = 2M→4K; rmp-fault: the #PF error code;
   * psmash: region index; others: pages affected.
   */
  detail: number;
  /** Guest physical address involved, or -1. */
  gpa: number;
}

export class OutcomeLog {
  length = 0;
  private step = new Int32Array(1024);
  private kind = new Uint8Array(1024);
  private rule = new Uint8Array(1024);
  private guest = new Int16Array(1024);
  private pfn = new Float64Array(1024);
  private detail = new Float64Array(1024);
  private gpa = new Float64Array(1024);
  /** Running totals per kind. */
  readonly counts = new Float64Array(OUTCOME_KINDS.length);

  /** A log that only counts (used when replaying from a checkpoint: the run's log has the rows). */
  static countsOnly(counts: Float64Array): OutcomeLog {
    const log = new OutcomeLog();
    log.counts.set(counts);
    log.countOnly = true;
    return log;
  }

  private countOnly = false;

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
    if (this.length === this.step.length) this.grow();
    const i = this.length++;
    this.step[i] = step;
    this.kind[i] = k;
    this.rule[i] = rule;
    this.guest[i] = guest;
    this.pfn[i] = pfn;
    this.detail[i] = detail;
    this.gpa[i] = gpa;
  }

  count(kind: OutcomeKind): number {
    return this.counts[KIND_INDEX.get(kind)!]!;
  }

  private grow(): void {
    const n = this.step.length * 2;
    const g = <T extends Int32Array | Uint8Array | Int16Array | Float64Array>(
      a: T,
      C: new (n: number) => T,
    ): T => {
      const b = new C(n);
      b.set(a);
      return b;
    };
    this.step = g(this.step, Int32Array);
    this.kind = g(this.kind, Uint8Array);
    this.rule = g(this.rule, Uint8Array);
    this.guest = g(this.guest, Int16Array);
    this.pfn = g(this.pfn, Float64Array);
    this.detail = g(this.detail, Float64Array);
    this.gpa = g(this.gpa, Float64Array);
  }

  get(i: number): Outcome {
    return {
      step: this.step[i]!,
      kind: OUTCOME_KINDS[this.kind[i]!]!,
      rule: RULES[this.rule[i]!]!.id,
      guest: this.guest[i]!,
      pfn: this.pfn[i]!,
      detail: this.detail[i]!,
      gpa: this.gpa[i]!,
    };
  }

  kindAt(i: number): OutcomeKind {
    return OUTCOME_KINDS[this.kind[i]!]!;
  }

  stepAt(i: number): number {
    return this.step[i]!;
  }

  /** First outcome index whose step is >= step (binary search; steps are non-decreasing). */
  lowerBound(step: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.step[mid]! < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Keep only outcomes before `length` (for rewinding to a checkpoint). */
  truncate(length: number): void {
    for (let i = length; i < this.length; i++) this.counts[this.kind[i]!]!--;
    this.length = length;
  }
}
