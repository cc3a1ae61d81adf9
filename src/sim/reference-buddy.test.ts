/**
 * The reference model's naive allocator: its rules (the header of reference-buddy.ts, after
 * mm/page_alloc.c) as tables, then fast-check properties that it hands out exactly the engine's
 * pfns (src/machine/buddy.ts) under random alloc/free sequences of both migratetypes on hosts
 * across the zone boundaries. fast-check prints the seed and the shrunk sequence on failure;
 * rerun one with FC_SEED=<seed>. Engine bugs it found are regression specs at the end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BuddyAllocator, PCP_BATCH as ENGINE_BATCH, MAX_ORDER } from '../machine/buddy';
import { GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE } from '../machine/zones';
import {
  type FrameRun,
  MAX_PAGE_ORDER,
  PCP_BATCH,
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

const U = 0;
const M = 1;
const DMA32 = 1;
const G4 = 2 ** 20;
/** A 720 MiB DMA32 zone: batch 63, low watermark 1072, pcp high 252. */
const BIG = [{ pfn: 4096, count: 180 * 1024 }];

describe('reference buddy allocator: the rules, as tables', () => {
  it('uses the engine constants: MAX_PAGE_ORDER 10, pcp batch 63', () => {
    expect([MAX_PAGE_ORDER, PCP_BATCH]).toEqual([MAX_ORDER, ENGINE_BATCH]);
  });

  it.each([
    { ranges: [{ pfn: 3072, count: 2048 }], zone: 0, want: { 10: [3072] } },
    { ranges: [{ pfn: 3072, count: 2048 }], zone: 1, want: { 10: [4096] } },
    { ranges: [{ pfn: G4 - 1024, count: 2048 }], zone: 2, want: { 10: [G4] } },
    { ranges: [{ pfn: 3, count: 13 }], zone: 0, want: { 0: [3], 2: [4], 3: [8] } },
  ])(
    'zone.layout: boot cuts $ranges at 16 MiB and 4 GiB (zone $zone: $want)',
    ({ ranges, zone, want }) => {
      expect(booted('buddy', ranges).freeLists(zone, M)).toEqual(want);
    },
  );

  // get_page_from_freelist(): Normal, DMA32, DMA; DMA32 fills to its watermark (low 1) first.
  it.each([
    { ranges: [{ pfn: 1024, count: 7168 }], n: 1, want: [{ pfn: 4096, count: 1 }] },
    {
      ranges: [
        { pfn: 1024, count: 7168 },
        { pfn: G4, count: 2048 },
      ],
      n: 1,
      want: [{ pfn: G4, count: 1 }],
    },
    { ranges: [{ pfn: 1024, count: 3072 }], n: 1, want: [{ pfn: 1024, count: 1 }] },
    {
      ranges: [{ pfn: 0, count: 4096 + 64 }],
      n: 64,
      want: [
        { pfn: 4096, count: 63 },
        { pfn: 0, count: 1 },
      ],
    },
  ])('zone.zonelist: $n pages from $ranges are $want', ({ ranges, n, want }) => {
    expect(booted('buddy', ranges).allocPages(n)).toEqual(want);
  });

  it('buddy.pcp: a freed unmovable page goes to its own list, not back to a movable request', () => {
    const a = booted('buddy', [{ pfn: 4096, count: 2048 }]);
    const got = [a.alloc(0, false), a.alloc(0, true)];
    a.freeBlock(got[0]!, 0);
    got.push(a.alloc(0, true), a.alloc(0, false));
    expect(got).toEqual([4096, 5120, 5121, 4096]);
  });

  it('buddy.fallback: the first unmovable request claims a whole max-order block (change_pageblock_range)', () => {
    const a = booted('buddy', [{ pfn: 4096, count: 2048 }]);
    expect(a.alloc(0, false)).toBe(4096);
    expect(a.freeLists(DMA32, U)).toEqual({
      0: [4097],
      1: [4098],
      2: [4100],
      3: [4104],
      4: [4112],
      5: [4128],
      6: [4160],
      7: [4224],
      8: [4352],
      9: [4608],
    });
    expect(a.freeLists(DMA32, M)).toEqual({ 10: [5120] });
  });

  it.each([
    // 212 of 512 pages free: steal the largest block alone, its rest stays movable.
    {
      movable: 300,
      pfn: 4480,
      unmovable: {},
      movableLists: {
        0: [4481],
        1: [4482],
        2: [4396, 4484],
        3: [4488],
        4: [4400, 4496],
        5: [4512],
        6: [4416, 4544],
      },
    },
    // 312 free: the pageblock is claimed, its free blocks move; the smallest is split.
    {
      movable: 200,
      pfn: 4296,
      unmovable: { 0: [4297], 1: [4298], 2: [4300], 4: [4304], 5: [4320], 8: [4352] },
      movableLists: {},
    },
  ])(
    'buddy.fallback: after $movable movable pages an unmovable one is $pfn (steal_suitable_fallback)',
    ({ movable, pfn, unmovable, movableLists }) => {
      const a = booted('buddy', [{ pfn: 4096, count: 512 }]);
      a.allocPages(movable);
      expect(a.alloc(0, false)).toBe(pfn);
      expect(a.freeLists(DMA32, U)).toEqual(unmovable);
      expect(a.freeLists(DMA32, M)).toEqual(movableLists);
      expect(a.checkInvariants()).toBeNull();
    },
  );

  it('buddy.free: merging two pageblocks gives the buddy the freed block type (__free_one_page)', () => {
    const a = booted('buddy', [{ pfn: 4096, count: 1024 }]);
    expect([a.alloc(9, false), a.alloc(9, true)]).toEqual([4096, 4608]);
    a.freeBlock(4096, 9);
    a.freeBlock(4608, 9);
    expect([a.freeLists(DMA32, U), a.freeLists(DMA32, M)]).toEqual([{}, { 10: [4096] }]);
  });

  it.each([
    { frees: 1, pcp: 1 },
    { frees: 251, pcp: 251 },
    // The 252nd free reaches pcp->high (low watermark 1072 / 64 CPUs, at least 4 × 63): the 63
    // oldest go back to the buddy (free_pcppages_bulk).
    { frees: 252, pcp: 189 },
  ])('pcp.high: after $frees single-page frees the per-cpu list holds $pcp', ({ frees, pcp }) => {
    const a = booted('buddy', BIG);
    expect(a.allocPages(7 * 63)).toEqual([{ pfn: 4096, count: 441 }]);
    for (let i = 0; i < frees; i++) a.freeBlock(4096 + i, 0);
    const list = a.pcpList(DMA32, M, 0);
    expect([list.length, list.at(-1)]).toEqual([pcp, 4096 + frees - 1]);
    expect(a.alloc(0)).toBe(4096 + frees - 1);
  });

  it.each([
    { order: 0, held: 62 },
    { order: 3, held: 6 },
    { order: 9, held: 1 },
  ])(
    'buddy.pcp: an order-$order refill takes nr_pcp_alloc() blocks, $held stay on the list',
    ({ order, held }) => {
      const a = booted('buddy', BIG);
      expect(a.alloc(order)).toBe(4096);
      expect(a.pcpList(DMA32, M, order).length).toBe(held);
    },
  );

  it.each([
    { steps: ['alloc 9', 'alloc 0', 'alloc 0'], want: [0, 512, 513] },
    { steps: ['alloc 0', 'alloc 3', 'alloc 0'], want: [0, 8, 1] },
    { steps: ['alloc 9', 'alloc 0', 'free 0 9', 'alloc 0', 'alloc 9'], want: [0, 512, 0, 1024] },
    { steps: ['alloc 0', 'alloc 0', 'free 0 0', 'alloc 1'], want: [0, 1, 2] },
    { steps: ['alloc 0', 'alloc 0', 'free 0 0', 'alloc 0'], want: [0, 1, 0] },
  ])('packed is first fit by address: $steps gives $want', ({ steps, want }) => {
    const a = booted('packed', [{ pfn: 0, count: 8192 }]);
    const got: number[] = [];
    for (const s of steps) {
      const [op, x, y] = s.split(' ');
      if (op === 'alloc') got.push(a.alloc(Number(x)));
      else a.freeBlock(Number(x), Number(y));
    }
    expect(got).toEqual(want);
  });

  it.each([
    { ranges: [{ pfn: 0, count: 8192 }], order: 12, pfn: 4096 },
    { ranges: [{ pfn: 1024, count: 8192 }], order: 12, pfn: 4096 },
    { ranges: [{ pfn: 1024, count: 4096 }], order: 12, pfn: -1 },
    { ranges: [{ pfn: 0, count: 16384 }], order: 13, pfn: 8192 },
  ])(
    'a gigantic order-$order block from $ranges is at $pfn (zonelist order)',
    ({ ranges, order, pfn }) => {
      const a = booted('buddy', ranges);
      const before = a.freePages;
      expect(a.allocGigantic(order)).toBe(pfn);
      expect(a.freePages).toBe(pfn < 0 ? before : before - 2 ** order);
      expect(a.checkInvariants()).toBeNull();
    },
  );
});

// ---- the same pfns as the engine ---------------------------------------------------------

type Op =
  | { op: 'alloc'; order: number; movable: boolean }
  | { op: 'pages'; n: number; movable: boolean }
  | { op: 'one'; movable: boolean }
  | { op: 'giga'; order: number }
  | { op: 'free'; pick: number; from: number; len: number }
  | { op: 'free-each'; pick: number; len: number };

/**
 * Up to three disjoint ranges of 16,384 pages from a base: 0 (DMA and DMA32), 4 GiB − 8192 pages
 * (DMA32 and Normal: ALLOC_NOFRAGMENT applies), or a 720 MiB DMA32 zone (batch 63) with them.
 */
const rangesArb = fc
  .tuple(
    fc.constantFrom(0, 2 ** 20 - 8192, -1),
    fc.uniqueArray(fc.integer({ min: 0, max: 16_384 }), { minLength: 2, maxLength: 6 }),
  )
  .map(([base, cuts]) => {
    const s = [...cuts].sort((a, b) => a - b);
    const out: FrameRun[] = base < 0 ? [{ pfn: 16_384, count: 180 * 1024 }] : [];
    const at = base < 0 ? 2 ** 20 - 8192 : base;
    for (let i = 0; i + 1 < s.length; i += 2)
      out.push({ pfn: at + s[i]!, count: s[i + 1]! - s[i]! });
    return out.reverse();
  });

const OP_ARBS: { [K in Op['op']]: fc.Arbitrary<Extract<Op, { op: K }>> } = {
  alloc: fc.record({
    op: fc.constant('alloc'),
    order: fc.integer({ min: 0, max: 10 }),
    movable: fc.boolean(),
  }),
  pages: fc.record({
    op: fc.constant('pages'),
    n: fc.oneof(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 700 })),
    movable: fc.boolean(),
  }),
  one: fc.record({ op: fc.constant('one'), movable: fc.boolean() }),
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
      const mov = o.op === 'alloc' && o.movable;
      const gfp = mov ? GFP_HIGHUSER_MOVABLE : GFP_HIGHUSER;
      const a = o.op === 'giga' ? engine.allocGigantic(o.order) : engine.alloc(o.order, gfp);
      const b = o.op === 'giga' ? naive.allocGigantic(o.order) : naive.alloc(o.order, mov);
      expect(b, ctx).toBe(a);
      if (a >= 0) held.push({ pfn: a, count: 2 ** o.order });
    } else if (o.op === 'pages' || o.op === 'one') {
      const n = o.op === 'one' ? 1 : o.n;
      const gfp = o.movable ? GFP_HIGHUSER_MOVABLE : GFP_HIGHUSER;
      const one = o.op === 'one' ? engine.allocOne(gfp) : 0;
      const a =
        o.op === 'one' ? (one < 0 ? null : [{ pfn: one, count: 1 }]) : engine.allocPages(n, gfp);
      const b = naive.allocPages(n, o.movable);
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
    expect(engine.checkInvariants(), ctx).toBeNull();
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
      { op: 'pages', n: 10, movable: true },
      { op: 'alloc', order: 1, movable: true },
    ]);
  });

  // A merged-away buddy's entry stays in the engine's list (lazy deletion) and counted in
  // Rng.int(length): a draw that hit it was thrown away and drawn again. So the Rng stream, and
  // every later placement, depended on garbage the rules do not have (and on the compaction
  // threshold). Here alloc(2) and its free leave dead entries in lists 2..9; the alloc(4) drew
  // twice from the order-4 list, and alloc(1) landed at 1686 in the engine, 1690 here.
  it('random: a block merged away does not change later placements (seed 0)', () => {
    compare('random', [{ pfn: 0, count: 4096 }], 0, [
      { op: 'alloc', order: 2, movable: true },
      { op: 'free', pick: 0, from: 0, len: 3 },
      { op: 'alloc', order: 4, movable: true },
      { op: 'alloc', order: 1, movable: true },
    ]);
  });
});
