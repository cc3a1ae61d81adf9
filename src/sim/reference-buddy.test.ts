/**
 * The reference model's naive allocator: its rules as tables, then fast-check properties that it
 * hands out exactly the engine's pfns (src/machine/buddy.ts) under random alloc/free sequences.
 * fast-check prints the seed and the shrunk sequence on failure; rerun one with FC_SEED=<seed>.
 * Engine bugs it found are regression specs at the end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BuddyAllocator,
  PCP_BATCH as ENGINE_BATCH,
  PCP_HIGH as ENGINE_HIGH,
  MAX_ORDER,
} from '../machine/buddy';
import { Rng } from '../machine/rng';
import {
  type FrameRun,
  MAX_PAGE_ORDER,
  PCP_BATCH,
  PCP_HIGH,
  type PlacementKind,
  ReferenceBuddy,
} from './reference-buddy';

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : undefined;
const fcSeed = seed !== undefined ? { seed } : {};

function booted(kind: PlacementKind, ranges: FrameRun[], rngSeed = 1): ReferenceBuddy {
  const a = new ReferenceBuddy(kind, rngSeed);
  a.boot(ranges);
  return a;
}

/** The non-empty free lists, order → pfns (the last one is the head). */
function lists(a: ReferenceBuddy): Record<number, number[]> {
  const out: Record<number, number[]> = {};
  for (const [order, list] of a.free.entries()) if (list.length > 0) out[order] = [...list];
  return out;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('reference buddy allocator: the rules, as tables', () => {
  it('uses the engine constants: MAX_PAGE_ORDER 10, pcp batch 63, pcp high 378', () => {
    expect([MAX_PAGE_ORDER, PCP_BATCH, PCP_HIGH]).toEqual([MAX_ORDER, ENGINE_BATCH, ENGINE_HIGH]);
  });

  it.each([
    { ranges: [{ pfn: 3, count: 13 }], want: { 0: [3], 2: [4], 3: [8] } },
    { ranges: [{ pfn: 1024, count: 1025 }], want: { 0: [2048], 10: [1024] } },
    // Ranges out of order: ascending anyway, each block at the tail, so the lowest is the head.
    {
      ranges: [
        { pfn: 2048, count: 1024 },
        { pfn: 0, count: 1024 },
      ],
      want: { 10: [2048, 0] },
    },
    { ranges: [{ pfn: 512, count: 2048 }], want: { 9: [2048, 512], 10: [1024] } },
  ])(
    'boot hands $ranges over as maximal aligned blocks, lowest at the head',
    ({ ranges, want }) => {
      const a = booted('buddy', ranges);
      expect(lists(a)).toEqual(want);
      expect(a.checkInvariants()).toBeNull();
    },
  );

  it.each([
    { orders: [1], pfns: [0], want: { 1: [2], 2: [4], 3: [8] } },
    { orders: [3], pfns: [0], want: { 3: [8] } },
    { orders: [4], pfns: [0], want: {} },
    { orders: [1, 1], pfns: [0, 2], want: { 2: [4], 3: [8] } },
    { orders: [2, 1, 1], pfns: [0, 4, 6], want: { 3: [8] } },
    { orders: [5], pfns: [-1], want: { 4: [0] } },
  ])(
    'expand keeps the lower half: orders $orders from [0, 16) are at $pfns',
    ({ orders, pfns, want }) => {
      const a = booted('buddy', [{ pfn: 0, count: 16 }]);
      expect(orders.map((o) => a.alloc(o))).toEqual(pfns);
      expect(lists(a)).toEqual(want);
    },
  );

  it.each([
    { frees: [0, 4], want: { 3: [0] } },
    { frees: [4, 12], want: { 2: [4, 12] } },
    { frees: [0, 4, 8, 12], want: { 4: [0] } },
    { frees: [12, 8, 4, 0], want: { 4: [0] } },
    // 12 merges with 8, which is not the head of the order-2 list: taken out of the middle.
    { frees: [8, 4, 12], want: { 2: [4], 3: [8] } },
  ])('freeing order-2 blocks $frees of [0, 16) merges buddies to $want', ({ frees, want }) => {
    const a = booted('buddy', [{ pfn: 0, count: 16 }]);
    expect([0, 1, 2, 3].map(() => a.alloc(2))).toEqual([0, 4, 8, 12]);
    for (const pfn of frees) a.freeBlock(pfn, 2);
    expect(lists(a)).toEqual(want);
    expect(a.checkInvariants()).toBeNull();
  });

  it('an empty per-cpu list is refilled with 63 pages, the first taken handed out first', () => {
    const a = booted('buddy', [{ pfn: 0, count: 1024 }]);
    expect(a.alloc(0)).toBe(0);
    expect(a.pcp).toEqual(range(1, 63).reverse());
    // What 63 single-page __rmqueue_smallest() calls leave of the order-10 block.
    expect(lists(a)).toEqual({ 0: [63], 6: [64], 7: [128], 8: [256], 9: [512] });
    expect(Array.from({ length: 63 }, () => a.alloc(0))).toEqual(range(1, 64));
    expect(a.pcp).toEqual(range(64, 126).reverse());
  });

  it.each([
    { frees: 1, pcp: 1, head: 0, low: {} },
    { frees: 378, pcp: 378, head: 377, low: {} },
    // The 379th free is past pcp->high: the 63 oldest (0..62) go back to the buddy and merge.
    {
      frees: 379,
      pcp: 316,
      head: 378,
      low: { 0: [62], 1: [60], 2: [56], 3: [48], 4: [32], 5: [0] },
    },
  ])('after $frees single-page frees the per-cpu list holds $pcp', ({ frees, pcp, head, low }) => {
    const a = booted('buddy', [{ pfn: 0, count: 1024 }]);
    // 7 whole refills: the per-cpu list is empty again, pages 0..440 are allocated.
    expect(a.allocPages(7 * 63)).toEqual([{ pfn: 0, count: 441 }]);
    expect(a.pcp).toEqual([]);
    for (let pfn = 0; pfn < frees; pfn++) a.freeBlock(pfn, 0);
    expect([a.pcp.length, a.pcp.at(-1)]).toEqual([pcp, head]);
    // The free blocks below 441 (above it are the refills' leftovers).
    const below = Object.entries(lists(a))
      .map(([o, l]) => [o, l.filter((pfn) => pfn < 441)] as const)
      .filter(([, l]) => l.length > 0);
    expect(Object.fromEntries(below)).toEqual(low);
    expect(a.freePages).toBe(1024 - 441 + frees);
    expect(a.alloc(0)).toBe(head);
  });

  it.each([
    { steps: ['alloc 9', 'alloc 0', 'alloc 0'], want: [0, 512, 513] },
    { steps: ['alloc 0', 'alloc 3', 'alloc 0'], want: [0, 8, 1] },
    { steps: ['alloc 9', 'alloc 0', 'free 0 9', 'alloc 0', 'alloc 9'], want: [0, 512, 0, 1024] },
    { steps: ['alloc 0', 'alloc 0', 'free 0 0', 'alloc 1'], want: [0, 1, 2] },
    { steps: ['alloc 0', 'alloc 0', 'free 0 0', 'alloc 0'], want: [0, 1, 0] },
  ])('packed is first fit by address: $steps gives $want', ({ steps, want }) => {
    const a = booted('packed', [{ pfn: 0, count: 4096 }]);
    const got: number[] = [];
    for (const s of steps) {
      const [op, x, y] = s.split(' ');
      if (op === 'alloc') got.push(a.alloc(Number(x)));
      else a.freeBlock(Number(x), Number(y));
    }
    expect(got).toEqual(want);
    expect(a.pcp).toEqual([]);
  });

  it('random draws one Rng.int(length) per list taken and one Rng.int(2) per split, in order', () => {
    for (const s of [1, 2, 3, 5, 8, 13]) {
      const a = booted('random', [{ pfn: 0, count: 4096 }], s);
      const rng = new Rng(s);
      // Four order-10 blocks, lowest at the head (the end): index i holds 3072 - 1024 i.
      let want = 3072 - 1024 * rng.int(4);
      for (let o = 10; o > 8; o--) if (rng.int(2) === 1) want += 2 ** (o - 1);
      expect(a.alloc(8), `seed ${s}`).toBe(want);
    }
  });

  it.each([
    { ranges: [{ pfn: 0, count: 8192 }], order: 12, pfn: 0 },
    { ranges: [{ pfn: 1024, count: 8192 }], order: 12, pfn: 4096 },
    { ranges: [{ pfn: 1024, count: 4096 }], order: 12, pfn: -1 },
    { ranges: [{ pfn: 0, count: 8192 }], order: 13, pfn: 0 },
  ])('a gigantic order-$order block from $ranges is at $pfn', ({ ranges, order, pfn }) => {
    const a = booted('buddy', ranges);
    const before = a.freePages;
    expect(a.allocGigantic(order)).toBe(pfn);
    expect(a.freePages).toBe(pfn < 0 ? before : before - 2 ** order);
    expect(a.checkInvariants()).toBeNull();
  });
});

// ---- the same pfns as the engine ---------------------------------------------------------

type Op =
  | { op: 'alloc'; order: number }
  | { op: 'pages'; n: number }
  | { op: 'one' }
  | { op: 'giga'; order: number }
  | { op: 'free'; pick: number; from: number; len: number }
  | { op: 'free-each'; pick: number; len: number };

/** Up to three disjoint ranges in the first 16,384 pages. */
const rangesArb = fc
  .uniqueArray(fc.integer({ min: 0, max: 16_384 }), { minLength: 2, maxLength: 6 })
  .map((cuts) => {
    const s = [...cuts].sort((a, b) => a - b);
    const out: FrameRun[] = [];
    for (let i = 0; i + 1 < s.length; i += 2) out.push({ pfn: s[i]!, count: s[i + 1]! - s[i]! });
    return out.reverse();
  });

const OP_ARBS: { [K in Op['op']]: fc.Arbitrary<Extract<Op, { op: K }>> } = {
  alloc: fc.record({ op: fc.constant('alloc'), order: fc.integer({ min: 0, max: 10 }) }),
  pages: fc.record({
    op: fc.constant('pages'),
    n: fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 700 })),
  }),
  one: fc.record({ op: fc.constant('one') }),
  giga: fc.record({ op: fc.constant('giga'), order: fc.integer({ min: 11, max: 12 }) }),
  free: fc.record({ op: fc.constant('free'), pick: fc.nat(), from: fc.nat(), len: fc.nat() }),
  'free-each': fc.record({
    op: fc.constant('free-each'),
    pick: fc.nat(),
    len: fc.integer({ min: 1, max: 400 }),
  }),
};

const opArb = (kinds: Op['op'][]): fc.Arbitrary<Op> =>
  fc.oneof(...kinds.map((k) => OP_ARBS[k] as fc.Arbitrary<Op>));

/**
 * Run ops on both allocators the way the machines call them (engine: allocOne for one page,
 * allocPages for more, freeRange for every free; reference: allocPages and freeRange), comparing
 * every pfn handed out, the free page count and buddyinfo after every op.
 */
function compare(kind: PlacementKind, ranges: FrameRun[], rngSeed: number, ops: Op[]): void {
  const engine = new BuddyAllocator(kind, rngSeed);
  const naive = new ReferenceBuddy(kind, rngSeed);
  engine.boot(ranges);
  naive.boot(ranges);
  const held: FrameRun[] = [];
  const take = (pick: number) => held.splice(pick % held.length, 1)[0]!;
  for (const [i, o] of ops.entries()) {
    const ctx = `op ${i} ${JSON.stringify(o)}`;
    if (o.op === 'alloc' || o.op === 'giga') {
      const a = o.op === 'giga' ? engine.allocGigantic(o.order) : engine.alloc(o.order);
      const b = o.op === 'giga' ? naive.allocGigantic(o.order) : naive.alloc(o.order);
      expect(b, ctx).toBe(a);
      if (a >= 0) held.push({ pfn: a, count: 2 ** o.order });
    } else if (o.op === 'pages' || o.op === 'one') {
      const n = o.op === 'one' ? 1 : o.n;
      const one = o.op === 'one' ? engine.allocOne() : 0;
      const a = o.op === 'one' ? (one < 0 ? null : [{ pfn: one, count: 1 }]) : engine.allocPages(n);
      const b = naive.allocPages(n);
      expect(b, ctx).toEqual(a);
      held.push(...(a ?? []));
    } else if (held.length > 0) {
      const r = take(o.pick);
      const from = o.op === 'free' ? o.from % r.count : 0;
      const len = o.op === 'free' ? 1 + (o.len % (r.count - from)) : Math.min(o.len, r.count);
      if (from > 0) held.push({ pfn: r.pfn, count: from });
      if (from + len < r.count) held.push({ pfn: r.pfn + from + len, count: r.count - from - len });
      if (o.op === 'free') {
        engine.freeRange(r.pfn + from, len);
        naive.freeRange(r.pfn + from, len);
      } else
        for (let p = r.pfn; p < r.pfn + len; p++) {
          engine.freeRange(p, 1);
          naive.freeRange(p, 1);
        }
    }
    expect([naive.freePages, naive.buddyinfo()], ctx).toEqual([
      engine.freePages,
      engine.buddyinfo(),
    ]);
    expect(naive.checkInvariants(), ctx).toBeNull();
  }
}

const ALL: Op['op'][] = ['alloc', 'pages', 'one', 'giga', 'free', 'free-each'];

describe('reference buddy allocator against the engine (fast-check)', () => {
  it.each(['buddy', 'packed', 'random'] as const)(
    '%s: random alloc/free sequences hand out the same pfns',
    (kind) => {
      fc.assert(
        fc.property(
          rangesArb,
          fc.nat(1000),
          fc.array(opArb(ALL), { minLength: 1, maxLength: 80, size: 'max' }),
          (ranges, s, ops) => compare(kind, ranges, s, ops),
        ),
        { numRuns: 600, ...fcSeed },
      );
    },
  );
});

describe('engine bugs the comparison found, kept as regression specs', () => {
  // The per-cpu list is refilled by alloc(0) under "random" too, but allocPages() and allocOne()
  // took pages straight from the buddy once it was empty: the pages agreed, the state did not (no
  // 63-page refill, fewer Rng draws), so the next placement differed. "buddy" was fixed (26c524f).
  it('random: allocPages(n) leaves the allocator as n successive alloc(0) calls do', () => {
    const bulk = new BuddyAllocator('random', 7);
    const single = new BuddyAllocator('random', 7);
    bulk.boot([{ pfn: 1024, count: 4096 }]);
    single.boot([{ pfn: 1024, count: 4096 }]);
    bulk.allocPages(10);
    for (let i = 0; i < 10; i++) single.alloc(0);
    expect(bulk.alloc(1)).toBe(single.alloc(1));
  });

  it('random: allocPages(10) then alloc(1) as the reference (seed 7)', () => {
    compare('random', [{ pfn: 1024, count: 4096 }], 7, [
      { op: 'pages', n: 10 },
      { op: 'alloc', order: 1 },
    ]);
  });

  // A merged-away buddy's entry stays in the engine's list (lazy deletion) and counted in
  // Rng.int(length): a draw that hit it was thrown away and drawn again. So the Rng stream, and
  // every later placement, depended on garbage the rules do not have (and on the compaction
  // threshold). Here alloc(2) and its free leave dead entries in lists 2..9; the alloc(4) drew
  // twice from the order-4 list, and alloc(1) landed at 1686 in the engine, 1690 here.
  it('random: a block merged away does not change later placements (seed 0)', () => {
    compare('random', [{ pfn: 0, count: 4096 }], 0, [
      { op: 'alloc', order: 2 },
      { op: 'free', pick: 0, from: 0, len: 3 },
      { op: 'alloc', order: 4 },
      { op: 'alloc', order: 1 },
    ]);
  });
});
