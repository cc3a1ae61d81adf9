import { describe, expect, it } from 'vitest';
import type { Outcome } from '../machine/outcomes';
import { type IndexedLog, OutcomeIndex } from './outcome-index';
import { OutcomeRuns, sameLine } from './outcome-runs';

/** A growing log of [step, kind, line] entries; entries with the same line are "the same". */
class FakeLog implements IndexedLog {
  constructor(readonly entries: [number, string, string][] = []) {}
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

const runsOf = (log: FakeLog) =>
  new OutcomeRuns(log, new OutcomeIndex(log), (a, b) => log.entries[a]![2] === log.entries[b]![2]);

const LOG: [number, string, string][] = [
  [1, 'launch', 'L'],
  [2, 'ignored', 'I'],
  [3, 'ignored', 'I'],
  [4, 'ignored', 'I'],
  [5, 'dm-split', 'S1'],
  [6, 'ignored', 'I'],
  [7, 'ignored', 'I'],
  [8, 'dm-split', 'S2'],
];

describe('OutcomeRuns.page: runs of the same line collapse to one row (issue 16)', () => {
  const runs = runsOf(new FakeLog(LOG));
  it.each([
    {
      name: 'the whole log',
      q: { from: 0, count: 10 },
      want: [
        [0, 0, 1],
        [1, 3, 3],
        [4, 4, 1],
        [5, 6, 2],
        [7, 7, 1],
      ],
      total: 5,
    },
    {
      name: 'cut inside a run: it counts only its entries up to the step',
      q: { from: 0, count: 10, maxStep: 3 },
      want: [
        [0, 0, 1],
        [1, 2, 2],
      ],
      total: 2,
    },
    {
      name: 'ignored hidden: the splits are two rows',
      q: { from: 0, count: 10, kinds: ['dm-split'] },
      want: [
        [4, 4, 1],
        [7, 7, 1],
      ],
      total: 2,
    },
    {
      name: 'only ignored: the two stretches join across the hidden split',
      q: { from: 0, count: 10, kinds: ['ignored'] },
      want: [[1, 6, 5]],
      total: 1,
    },
    { name: 'a page', q: { from: 3, count: 1 }, want: [[5, 6, 2]], total: 5 },
  ])('$name', ({ q, want, total }) => {
    const r = runs.page(q);
    expect(r.runs.map((x) => [x.first, x.last, x.count])).toEqual(want);
    expect(r.total).toBe(total);
  });

  it('extends the last run as a progressive run’s log grows', () => {
    const log = new FakeLog(LOG.slice(0, 3));
    const grow = runsOf(log);
    expect(grow.page({ from: 0, count: 10 }).runs.at(-1)).toEqual({ first: 1, last: 2, count: 2 });
    log.entries.push(...LOG.slice(3));
    expect(grow.page({ from: 0, count: 10 }).runs.map((x) => x.count)).toEqual([1, 3, 1, 2, 1]);
  });

  it('agrees with a naive grouping on seeded random logs', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed >>> 8;
    };
    for (let round = 0; round < 50; round++) {
      const entries: [number, string, string][] = [];
      let step = 0;
      for (let i = 0; i < 200; i++) {
        step += next() % 2;
        const kind = ['ignored', 'dm-split', 'rmp-fault'][next() % 3]!;
        entries.push([step, kind, kind === 'ignored' ? 'I' : `${kind}${next() % 2}`]);
      }
      const maxStep = next() % (step + 1);
      const kinds = round % 2 === 0 ? undefined : ['ignored', 'rmp-fault'];
      const list = entries
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e[0] <= maxStep && (kinds === undefined || kinds.includes(e[1])));
      const naive: number[] = [];
      list.forEach(({ e }, p) => {
        if (p > 0 && list[p - 1]!.e[2] === e[2]) naive[naive.length - 1]!++;
        else naive.push(1);
      });
      const q = { from: 0, count: 10_000, maxStep, ...(kinds ? { kinds } : {}) };
      const r = runsOf(new FakeLog(entries)).page(q);
      expect(
        r.runs.map((x) => x.count),
        `seed round ${round}`,
      ).toEqual(naive);
    }
  });
});

describe('sameLine: what logText prints apart from the step', () => {
  const o = (x: Partial<Outcome>): Outcome => ({
    step: 1,
    kind: 'ignored',
    rule: 'guest.not_running',
    guest: 0,
    pfn: -1,
    detail: 0,
    gpa: -1,
    ...x,
  });
  it.each([
    [
      'ignored events of one guest at different GPAs',
      o({ gpa: 0x1000 }),
      o({ gpa: 0x2000, step: 9 }),
      true,
    ],
    ['ignored events of two guests', o({}), o({ guest: 1 }), false],
    [
      'splits at different frames',
      o({ kind: 'dm-split', pfn: 512 }),
      o({ kind: 'dm-split', pfn: 1024 }),
      false,
    ],
    [
      'splits at the same frame',
      o({ kind: 'dm-split', pfn: 512 }),
      o({ kind: 'dm-split', pfn: 512, step: 3 }),
      true,
    ],
  ])('%s', (_, a, b, want) => expect(sameLine(a, b)).toBe(want));
});
