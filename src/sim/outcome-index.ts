/**
 * Positions of the outcomes of some kinds in a run's outcome log, for the log panel's filter and
 * the scrubber's next/previous outcome. An index is built the first time a kind set is asked for
 * and extended as the log grows (a progressive run appends while it is read), so each outcome is
 * looked at once per kind set, not once per query.
 */

/** What the index reads of an OutcomeLog (src/machine/outcomes.ts). */
export interface IndexedLog {
  readonly length: number;
  kindAt(i: number): string;
  stepAt(i: number): number;
  /** First index whose step is >= step. */
  lowerBound(step: number): number;
}

/** A page of the log, as log indices. */
export interface LogPage {
  /** Indices into the whole log, ascending. */
  indices: number[];
  /** Entries of the (filtered, cut) list the page is from. */
  total: number;
}

/** Most entries one page() returns. */
export const MAX_PAGE = 10_000;

export class OutcomeIndex {
  private readonly lists = new Map<string, { upto: number; list: number[] }>();

  constructor(private readonly log: IndexedLog) {}

  /** Log indices of the outcomes whose kind is in `kinds`, ascending (the order of kinds is moot). */
  of(kinds: readonly string[]): readonly number[] {
    const key = kinds.length === 1 ? kinds[0]! : `[${[...kinds].sort().join(',')}]`;
    let e = this.lists.get(key);
    if (!e) {
      e = { upto: 0, list: [] };
      this.lists.set(key, e);
    }
    const log = this.log;
    if (e.upto < log.length) {
      const want = new Set(kinds);
      for (let i = e.upto; i < log.length; i++) if (want.has(log.kindAt(i))) e.list.push(i);
      e.upto = log.length;
    }
    return e.list;
  }

  /**
   * Entries [from, from + count) of the log, or of the log filtered to `kinds`, cut after
   * maxStep. `total` counts the filtered, cut list.
   */
  page(query: {
    from: number;
    count: number;
    kinds?: readonly string[];
    maxStep?: number;
  }): LogPage {
    const log = this.log;
    const cut = query.maxStep !== undefined ? log.lowerBound(query.maxStep + 1) : log.length;
    const count = Math.max(0, Math.min(MAX_PAGE, Math.floor(query.count)));
    const from = Math.max(0, Math.floor(query.from));
    const indices: number[] = [];
    if (query.kinds === undefined) {
      for (let i = from; i < Math.min(cut, from + count); i++) indices.push(i);
      return { indices, total: cut };
    }
    const idx = this.of(query.kinds);
    const total = lowerBoundIdx(idx, cut);
    for (let j = from; j < Math.min(total, from + count); j++) indices.push(idx[j]!);
    return { indices, total };
  }

  /**
   * The step of the first outcome of `kinds` after `step` (dir 1) or of the last one before it
   * (dir −1), or −1 when there is none.
   */
  find(step: number, kinds: readonly string[], dir: 1 | -1): number {
    const log = this.log;
    const idx = this.of(kinds);
    if (dir === 1) {
      const j = lowerBoundIdx(idx, log.lowerBound(step + 1));
      return j < idx.length ? log.stepAt(idx[j]!) : -1;
    }
    const j = lowerBoundIdx(idx, log.lowerBound(step)) - 1;
    return j >= 0 ? log.stepAt(idx[j]!) : -1;
  }
}

/** First j with idx[j] >= value (idx ascending). */
export function lowerBoundIdx(idx: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = idx.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idx[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
