/**
 * SNP host v7–v10 (Dec 2022 – Oct 2023): private pages (from the UPM/restrictedmem precursor of
 * guest_memfd, order-0) are removed from the direct map when assigned and restored on reclaim.
 * Modelled as v10 (and v8, v9): invalidate_direct_map() → set_direct_map_invalid_noflush() and
 * restore_direct_map() → set_direct_map_default_noflush(), page by page, which flush only to
 * split, so a 4K page inside a 1G mapping costs 2 TLB flushes (the two splits). v7 used
 * set_memory_np() / set_memory_p(), one more flush per call, and was reverted for its
 * "fairly significant performance regression". Dropped for guest_memfd and adjust_direct_map().
 * Sources: lore 20231016132819.1002933-13-michael.roth@amd.com (v10 12/50),
 * 20221214194056.161492-19-michael.roth@amd.com (v7 18/64).
 */
import type { Design } from './design';
import { gmemKernel } from './gmem';
import { SNP_HOST } from './snp';

/** invalidate_direct_map() before an assigning RMPUPDATE ([unmap.invalidate]). */
export const invalidateDirectMap: Design['beforeRmpUpdate'] = (ctx, pfn, n, _size, assigned) => {
  if (assigned) ctx.setDirectMapPresent(pfn, n, false, 'unmap.invalidate');
};

/** restore_direct_map() after an RMPUPDATE to shared. */
export const restoreDirectMap: Design['afterRmpUpdate'] = (ctx, pfn, n, _size, assigned) => {
  if (!assigned) ctx.setDirectMapPresent(pfn, n, true, 'unmap.invalidate');
};

export const unmap2023: Design = {
  ...SNP_HOST,
  ...gmemKernel({ folio: '4k', inPlaceShared: false }),
  id: 'unmap-2023',
  label: '2023: unmap private pages',
  summary:
    'Private pages are removed from the direct map (splitting it) and mapped back on reclaim; as in v10, only the splits flush.',
  gmemMapLabel: 'guest_memfd (4K folios)',
  beforeRmpUpdate: invalidateDirectMap,
  afterRmpUpdate: restoreDirectMap,
};
