import { describe, expect, it } from 'vitest';
import { type IndexedLog, lowerBoundIdx, MAX_PAGE, OutcomeIndex } from './outcome-index';

/** A growing log of [step, kind] entries, steps ascending like OutcomeLog's. */
class FakeLog implements IndexedLog {
  constructor(readonly entries: [number, string][] = []) {}
  get length(): number {
    return this.entries.length;
  }
  kindAt(i: number): string {
    return this.entries[i]![1];
  }
  stepAt(i: number): number {
    return this.entries[i]![0];
  }
  lowerBound(step: number): number {
    const j = this.entries.findIndex(([s]) => s >= step);
    return j < 0 ? this.entries.length : j;
  }
}

const LOG: [number, string][] = [
  [1, 'launch'],
  [2, 'dm-split'],
  [2, 'rmp-fault'],
  [4, 'dm-split'],
  [5, 'psmash'],
  [7, 'rmp-fault'],
  [9, 'exit'],
];

describe('OutcomeIndex.page: rows of the log, or of the log filtered to kinds, cut at a step', () => {
  const index = new OutcomeIndex(new FakeLog(LOG));

  it.each([
    { q: { from: 0, count: 3 }, indices: [0, 1, 2], total: 7 },
    { q: { from: 5, count: 10 }, indices: [5, 6], total: 7 },
    { q: { from: 0, count: 10, maxStep: 4 }, indices: [0, 1, 2, 3], total: 4 },
    { q: { from: 0, count: 10, kinds: ['dm-split'] }, indices: [1, 3], total: 2 },
    { q: { from: 1, count: 10, kinds: ['rmp-fault', 'dm-split'] }, indices: [2, 3, 5], total: 4 },
    { q: { from: 0, count: 10, kinds: ['rmp-fault'], maxStep: 6 }, indices: [2], total: 1 },
    { q: { from: -3, count: 1.9 }, indices: [0], total: 7 },
    { q: { from: 0, count: 5, kinds: [] }, indices: [], total: 0 },
  ])('$q → $indices of $total', ({ q, indices, total }) => {
    expect(index.page(q)).toEqual({ indices, total });
  });

  it(`returns at most ${MAX_PAGE} rows`, () => {
    const big = new FakeLog(Array.from({ length: MAX_PAGE + 5 }, (_, i) => [i, 'launch']));
    expect(new OutcomeIndex(big).page({ from: 0, count: 1e9 }).indices).toHaveLength(MAX_PAGE);
  });
});

describe('OutcomeIndex.find: the step of the next or previous outcome of some kinds', () => {
  const index = new OutcomeIndex(new FakeLog(LOG));
  it.each([
    { step: 0, kinds: ['dm-split'], dir: 1, want: 2 },
    { step: 2, kinds: ['dm-split'], dir: 1, want: 4 },
    { step: 4, kinds: ['dm-split'], dir: 1, want: -1 },
    { step: 4, kinds: ['dm-split'], dir: -1, want: 2 },
    { step: 2, kinds: ['dm-split'], dir: -1, want: -1 },
    { step: 5, kinds: ['rmp-fault', 'psmash'], dir: -1, want: 2 },
    { step: 5, kinds: ['psmash', 'rmp-fault'], dir: 1, want: 7 },
  ] as const)('from step $step, $kinds, dir $dir → $want', ({ step, kinds, dir, want }) => {
    expect(index.find(step, kinds, dir)).toBe(want);
  });
});

describe('OutcomeIndex grows with the log', () => {
  it('an index built before the log grew includes what came later, once', () => {
    const log = new FakeLog(LOG.slice(0, 3));
    const index = new OutcomeIndex(log);
    expect(index.of(['dm-split'])).toEqual([1]);
    log.entries.push(...LOG.slice(3));
    expect(index.of(['dm-split'])).toEqual([1, 3]);
    expect(index.of(['dm-split'])).toEqual([1, 3]);
    expect(index.find(2, ['dm-split'], 1)).toBe(4);
  });

  it('the order kinds are given in does not matter', () => {
    const index = new OutcomeIndex(new FakeLog(LOG));
    expect(index.of(['psmash', 'exit'])).toBe(index.of(['exit', 'psmash']));
  });
});

describe('lowerBoundIdx: the first position whose value is at least the given one', () => {
  it.each([
    [[], 3, 0],
    [[1, 3, 5], 0, 0],
    [[1, 3, 5], 3, 1],
    [[1, 3, 5], 4, 2],
    [[1, 3, 5], 6, 3],
  ])('%j, %d → %d', (idx, v, want) => {
    expect(lowerBoundIdx(idx, v)).toBe(want);
  });
});
