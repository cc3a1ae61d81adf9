/**
 * Runs of the same outcome in a run's outcome log, for the log panel (issue 16: 950,000 "event
 * ignored (guest not running)" lines buried the handful of splits). A run is a stretch of
 * consecutive entries of the (filtered) log that print the same line apart from their step; the
 * panel shows it once, "×950,000". Like OutcomeIndex, the runs of a kind set are found the first
 * time it is asked for and extended as a progressive run's log grows: each entry is compared
 * with the one before it once per kind set.
 */
import type { Outcome } from '../machine/outcomes';
import { type IndexedLog, lowerBoundIdx, MAX_PAGE, type OutcomeIndex } from './outcome-index';

/** One run: log indices of its first and last entry, and how many entries it has. */
export interface OutcomeRun {
  first: number;
  last: number;
  count: number;
}

/**
 * Do two outcomes print the same log line apart from the step? logText (src/formats/outcomes.ts)
 * reads the kind, rule, guest, frame, GPA and detail; "event ignored (guest not running)" only
 * the guest, so ignored events at different addresses are one run.
 */
export function sameLine(a: Outcome, b: Outcome): boolean {
  if (a.kind !== b.kind || a.rule !== b.rule || a.guest !== b.guest) return false;
  if (a.kind === 'ignored') return true;
  return a.pfn === b.pfn && a.gpa === b.gpa && a.detail === b.detail;
}

interface Runs {
  /** Entries of the filtered list looked at. */
  upto: number;
  /** Positions in the filtered list where a run starts, ascending. */
  starts: number[];
}

export class OutcomeRuns {
  private readonly runs = new Map<string, Runs>();

  constructor(
    private readonly log: IndexedLog,
    private readonly index: OutcomeIndex,
    private readonly same: (a: number, b: number) => boolean,
  ) {}

  /** The filtered list: log indices of `kinds`, or the whole log. */
  private list(kinds: readonly string[] | undefined): {
    at: (p: number) => number;
    length: number;
  } {
    if (kinds === undefined) return { at: (p) => p, length: this.log.length };
    const idx = this.index.of(kinds);
    return { at: (p) => idx[p]!, length: idx.length };
  }

  private runsOf(kinds: readonly string[] | undefined) {
    const key = kinds === undefined ? '*' : [...kinds].sort().join(',');
    let r = this.runs.get(key);
    if (!r) {
      r = { upto: 0, starts: [] };
      this.runs.set(key, r);
    }
    const list = this.list(kinds);
    for (let p = r.upto; p < list.length; p++)
      if (p === 0 || !this.same(list.at(p - 1), list.at(p))) r.starts.push(p);
    r.upto = list.length;
    return { runs: r, list };
  }

  /**
   * Runs [from, from + count) of the log, or of the log filtered to `kinds`, cut after maxStep
   * (a run that straddles the cut counts only its entries up to it). `total` counts the runs.
   */
  page(query: { from: number; count: number; kinds?: readonly string[]; maxStep?: number }): {
    runs: OutcomeRun[];
    total: number;
  } {
    const { runs, list } = this.runsOf(query.kinds);
    let cut = list.length;
    if (query.maxStep !== undefined) {
      const logCut = this.log.lowerBound(query.maxStep + 1);
      cut = query.kinds === undefined ? logCut : lowerBoundIdx(this.index.of(query.kinds), logCut);
    }
    const total = lowerBoundIdx(runs.starts, cut);
    const from = Math.max(0, Math.floor(query.from));
    const end = Math.min(total, from + Math.max(0, Math.min(MAX_PAGE, Math.floor(query.count))));
    const out: OutcomeRun[] = [];
    for (let r = from; r < end; r++) {
      const start = runs.starts[r]!;
      const stop = Math.min(runs.starts[r + 1] ?? list.length, cut);
      out.push({ first: list.at(start), last: list.at(stop - 1), count: stop - start });
    }
    return { runs: out, total };
  }
}
