/**
 * Data the worker derives from a run's outcome log, kept up to date as the log grows: the first
 * split step of each 2 MiB region (the snapshot's "split since" flags) and the scrubber marks.
 */

import type { OutcomeLog } from '../machine/outcomes';
import { PAGES_PER_2M, PTRS_PER_TABLE } from '../machine/units';
import { MARK_KINDS, type OutcomeMarks } from './protocol';

/** Scrubber marks beyond this are thinned to one per kind per 1/THIN_BINS of the run. */
export const MAX_MARKS = 20_000;
const THIN_BINS = 4096;

const MARK_KIND_INDEX = new Map<string, number>(MARK_KINDS.map((k, i) => [k, i]));

/**
 * The first split step of each region and the scrubber marks of a run. Marks past MAX_MARKS are thinned to the
 * first of each kind per 1/4096 of the run; thinning when the count first passes the limit
 * keeps exactly the marks a one-shot pass over the whole log keeps.
 */
export class Derived {
  readonly splitAt: Float64Array;
  private upto = 0;
  private steps: number[] = [];
  private kinds: number[] = [];
  private thin = false;
  private readonly seen = new Set<number>();

  constructor(
    regions: number,
    private readonly runSteps: number,
  ) {
    this.splitAt = new Float64Array(regions).fill(Number.POSITIVE_INFINITY);
  }

  /** Take in the outcomes logged since the last call (a Timeline's log as it grows). */
  extend(t: { readonly log: Pick<OutcomeLog, 'length' | 'kindAt' | 'stepAt' | 'get'> }): void {
    const log = t.log;
    for (let i = this.upto; i < log.length; i++) {
      const kind = log.kindAt(i);
      if (kind === 'dm-split') {
        const o = log.get(i);
        const first = Math.floor(o.pfn / PAGES_PER_2M);
        const n = o.detail === 1 ? PTRS_PER_TABLE : 1;
        for (let r = first; r < Math.min(first + n, this.splitAt.length); r++)
          if (this.splitAt[r]! > o.step) this.splitAt[r] = o.step;
      }
      const k = MARK_KIND_INDEX.get(kind);
      if (k === undefined) continue;
      this.add(log.stepAt(i), k);
      if (!this.thin && this.steps.length > MAX_MARKS) this.rethin();
    }
    this.upto = log.length;
  }

  private add(step: number, k: number): void {
    if (this.thin) {
      const key =
        Math.floor((step / Math.max(1, this.runSteps)) * THIN_BINS) * MARK_KINDS.length + k;
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    this.steps.push(step);
    this.kinds.push(k);
  }

  private rethin(): void {
    const steps = this.steps;
    const kinds = this.kinds;
    this.steps = [];
    this.kinds = [];
    this.thin = true;
    for (let i = 0; i < steps.length; i++) this.add(steps[i]!, kinds[i]!);
  }

  marks(): OutcomeMarks {
    return { steps: Float64Array.from(this.steps), kinds: Uint8Array.from(this.kinds) };
  }
}
