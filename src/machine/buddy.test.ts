import { describe, expect, it } from 'vitest';
import { BuddyAllocator, decompose, type PfnRun } from './buddy';

function booted(
  kind: 'buddy' | 'packed' | 'random' = 'buddy',
  runs: PfnRun[] = [{ pfn: 8192, count: 4096 }],
) {
  const a = new BuddyAllocator(kind, 7);
  a.boot(runs);
  return a;
}

const pages = (runs: PfnRun[]) =>
  runs.flatMap((r) => Array.from({ length: r.count }, (_, i) => r.pfn + i));

describe('buddy allocator (mm/page_alloc.c)', () => {
  it('successive order-0 allocations from a fresh block ascend', () => {
    const a = booted();
    const got = Array.from({ length: 100 }, () => a.alloc(0));
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => 8192 + i));
  });

  it('boot hands ranges over as maximal naturally aligned blocks', () => {
    const blocks: [number, number][] = [];
    decompose(3, 13, (pfn, order) => blocks.push([pfn, order]));
    expect(blocks).toEqual([
      [3, 0],
      [4, 2],
      [8, 3],
    ]);
  });

  // Orders above PAGE_ALLOC_COSTLY_ORDER (3) other than 9 skip the per-cpu lists.
  it('freeing merges buddies: two order-4 halves become one order-5 block', () => {
    const a = booted('buddy', [{ pfn: 8192, count: 32 }]);
    const x = a.alloc(4);
    const y = a.alloc(4);
    expect(a.buddyinfo()[5]).toBe(0);
    a.free(x, 4);
    a.free(y, 4);
    expect(a.buddyinfo().slice(3, 6)).toEqual([0, 0, 1]);
    expect(a.checkInvariants()).toBeNull();
  });

  it('freeing a whole run restores the boot free lists', () => {
    const a = booted();
    const before = a.buddyinfo();
    const pfn = a.alloc(9);
    a.freeRun({ pfn, count: 512 });
    expect(a.buddyinfo()).toEqual(before);
  });

  it.each(['buddy', 'packed', 'random'] as const)(
    '%s: allocPages(n) returns exactly what n successive alloc(0) calls return',
    (kind) => {
      for (const n of [1, 5, 63, 64, 100, 700]) {
        const a = booted(kind);
        const b = booted(kind);
        a.alloc(3);
        b.alloc(3);
        const bulk = a.allocPages(n);
        const single = Array.from({ length: n }, () => b.alloc(0));
        expect(pages(bulk ?? []), `n=${n}`).toEqual(single);
      }
    },
  );

  // Engine bug (reported): with the per-cpu list, alloc(0) refills PCP_BATCH pages from the
  // buddy and keeps the rest on the pcp list; allocPages() takes only n pages from the buddy.
  // The pages returned agree, but the state left behind does not: after 10 pages from a fresh
  // block, alloc(1) gets PFN 1034 after allocPages(10) but 1088 after ten alloc(0) (the pcp list
  // holds 1034..1086). So placement depends on whether the engine batched its calls.
  it('buddy: allocPages(n) leaves the allocator as n successive alloc(0) calls do', () => {
    const a = booted('buddy');
    const b = booted('buddy');
    a.allocPages(10);
    for (let i = 0; i < 10; i++) b.alloc(0);
    expect(a.freePages).toBe(b.freePages);
    expect(a.alloc(1)).toBe(b.alloc(1));
  });

  it('allocPages refuses, taking nothing, when fewer pages are free than asked', () => {
    const a = booted('buddy', [{ pfn: 0, count: 8 }]);
    expect(a.allocPages(9)).toBeNull();
    expect(a.freePages).toBe(8);
  });

  it('packed placement always takes the lowest free pages', () => {
    const a = booted('packed', [{ pfn: 0, count: 4096 }]);
    const big = a.alloc(9);
    const small = a.alloc(0);
    expect([big, small]).toEqual([0, 512]);
  });
});

describe('single-page fast paths', () => {
  for (const kind of ['buddy', 'packed', 'random'] as const) {
    it(`${kind}: allocOne and freeRange(pfn, 1) give exactly what allocPages(1) and freeRun give`, () => {
      const fast = booted(kind);
      const slow = booted(kind);
      const held: number[] = [];
      // A deterministic mix of allocations and frees that crosses pcp refills and drains.
      for (let i = 0; i < 3000; i++) {
        if (held.length > 0 && (i % 7 === 3 || i % 11 === 5)) {
          const pfn = held.splice((i * 31) % held.length, 1)[0]!;
          fast.freeRange(pfn, 1);
          slow.freeRun({ pfn, count: 1 });
          continue;
        }
        const a = fast.allocOne();
        const b = slow.allocPages(1);
        expect(a).toBe(b![0]!.pfn);
        held.push(a);
      }
      expect(fast.buddyinfo()).toEqual(slow.buddyinfo());
      expect(fast.checkInvariants()).toBeNull();
    });
  }

  it('packed never strands pages on the per-cpu list: every free page stays allocatable', () => {
    const a = booted('packed', [{ pfn: 0, count: 256 }]);
    const got: number[] = [];
    for (let i = 0; i < 256; i++) got.push(a.allocPages(1)![0]!.pfn);
    // First fit by address: 0, 1, 2, … and nothing left over anywhere.
    expect(got).toEqual(Array.from({ length: 256 }, (_, i) => i));
    expect(a.freePages).toBe(0);
    expect(a.buddyinfo()).toEqual(new Array(11).fill(0));
  });
});
