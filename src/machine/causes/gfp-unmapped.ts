/**
 * __GFP_UNMAPPED (proposal, not merged; labelled as such wherever it appears): memory the kernel
 * wants out of the direct map is allocated already unmapped, from whole pageblocks the allocator
 * takes out of the direct map at once, so the splits stay inside those 2 MiB blocks.
 * Sources: Mike Rapoport's RFC "Prototype for direct map awareness in page allocator"
 * (20230308094106.227365-1-rppt@kernel.org; 1/5 20230308094106.227365-2-rppt@kernel.org adds
 * __GFP_UNMAPPED and a cache "replenished with higher order pages with preference for PMD_SIZE
 * pages", 2/5 makes secretmem allocate with it; v0 cover: splits go from "several tens" to "a
 * single digit number"), revived by Brendan Jackman for ASI as FREETYPE_UNMAPPED pageblocks
 * ("mm: __GFP_UNMAPPED", 20260225-page_alloc-unmapped-v1-0-e8808a03cd66@google.com).
 *
 * Rules:
 * - [gfp.unmapped] an unmapped allocation with no free unmapped page takes a whole 2 MiB block
 *   (order 9, unmovable, through the zone allocator's public API: Machine.allocBlock) and makes
 *   the whole block not-present in one call. A call covering the whole 2M leaf keeps it a 2M
 *   (not-present) entry ([cpa.preserve]): no 2M→4K split, at most the 1 GiB block above splits to
 *   2M. Pages are then handed out from the block; they need no call of their own.
 * - [gfp.unmapped.release] freed pages go back to the block's free pages, still unmapped; when a
 *   block is wholly free it is mapped again in one call and returned to the allocator (the series
 *   converts a free unmapped pageblock back when a mapped allocation needs it: doing it at once is
 *   the model's choice, unconfirmed). Nothing heals: a 1G split stays 2M.
 * The users modelled: secretmem (the RFC's 2/5), when the host has `gfpUnmapped`. Jackman's cover
 * letter names guest_memfd's direct-map removal as a goal, but no patch converting
 * kvm_gmem_get_folio() is known here, so gmemNoDirectMap folios stay zapped 4K by 4K
 * (proposals.test.ts pins it).
 */
import { frameWord, USE_CAUSE } from '../frame-bits';
import type { Machine } from '../machine';
import { PAGES_PER_2M } from '../units';
import { GFP_KERNEL } from '../zones';
import type { CauseCtx, HostCause, UnmappedPages } from './cause';

export const gfpUnmapped: HostCause = {
  id: 'gfp-unmapped',
  label: '__GFP_UNMAPPED (proposal)',
  summary: 'Proposal: unmapped pages come from whole 2 MiB blocks (MIGRATE_UNMAPPED).',
  status: 'proposal',
  sources: [
    '20230308094106.227365-1-rppt@kernel.org',
    '20260225-page_alloc-unmapped-v1-0-e8808a03cd66@google.com',
  ],
  calls: ['set_direct_map_invalid_noflush'],
  ops: [],
  heals: false,
};

/** Held-list keys: block base pfns, pages in use per block (parallel), free unmapped pages. */
const BLOCKS = 'gfp-unmapped:blocks';
const USED = 'gfp-unmapped:used';
const FREE = 'gfp-unmapped:free';

/**
 * The unmapped allocator over the zone allocator (`cx` is gfp-unmapped's own context, so the
 * block calls are its provenance). State lives in cx.held, cloned with the machine.
 */
export function unmappedPages(m: Machine, cx: CauseCtx): UnmappedPages {
  const blocks = cx.held.list(BLOCKS);
  const used = cx.held.list(USED);
  const free = cx.held.list(FREE);
  // Block base → its index in `blocks`: rebuilt per context, kept in step below (an indexOf per
  // page made 4 GiB of secretmem take 1.7 s each way).
  const index = new Map<number, number>();
  for (let i = 0; i < blocks.length; i++) index.set(blocks[i]!, i);
  const blockOf = (pfn: number) => index.get(Math.floor(pfn / PAGES_PER_2M) * PAGES_PER_2M) ?? -1;
  return {
    alloc() {
      if (free.length === 0) {
        const base = m.allocBlock(9, frameWord(USE_CAUSE, cx.slot), GFP_KERNEL);
        if (base < 0) return -1;
        cx.cpa(base, PAGES_PER_2M, 'set_direct_map_invalid_noflush', 'direct-map', 'gfp.unmapped');
        index.set(base, blocks.length);
        blocks.push(base);
        used.push(0);
        for (let i = PAGES_PER_2M - 1; i >= 0; i--) free.push(base + i);
      }
      const pfn = free.pop()!;
      const b = blockOf(pfn);
      used[b] = used[b]! + 1;
      return pfn;
    },
    free(pfn) {
      const b = blockOf(pfn);
      if (b < 0) return;
      used[b] = used[b]! - 1;
      free.push(pfn);
      if (used[b]! > 0) return;
      const base = blocks[b]!;
      const kept = free.filter((p) => p < base || p >= base + PAGES_PER_2M);
      free.length = 0;
      for (const p of kept) free.push(p);
      // Swap-remove: the last block takes index b.
      const last = blocks.length - 1;
      index.delete(base);
      if (b !== last) {
        blocks[b] = blocks[last]!;
        used[b] = used[last]!;
        index.set(blocks[b]!, b);
      }
      blocks.length = last;
      used.length = last;
      cx.cpa(
        base,
        PAGES_PER_2M,
        'set_direct_map_default_noflush',
        'direct-map',
        'gfp.unmapped.release',
      );
      cx.free(base, PAGES_PER_2M);
    },
    get blocks() {
      return blocks.length;
    },
  };
}
