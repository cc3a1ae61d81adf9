/**
 * SNP host v7–v10 (2022–23): private pages (from the UPM/restrictedmem precursor of guest_memfd,
 * order-0) are removed from the direct map when assigned (invalidate_direct_map →
 * set_direct_map_invalid_noflush, which splits any large mapping) and restored on reclaim, each
 * with a TLB flush. Dropped after it "cratered performance".
 */
import type { Design } from './design';
import { gmemKernel } from './gmem';
import { SNP_HOST } from './snp';

export const unmap2023: Design = {
  ...SNP_HOST,
  ...gmemKernel({ folio: '4k', inPlaceShared: false }),
  id: 'unmap-2023',
  label: '2023: unmap private pages',
  summary:
    'Private pages are removed from the direct map (splitting it) and mapped back on reclaim, with TLB flushes.',
  gmemMapLabel: 'guest_memfd (4K folios)',
  beforeRmpUpdate(ctx, pfn, n, _size, assigned) {
    if (assigned) ctx.setDirectMapPresent(pfn, n, false, 'unmap.invalidate');
  },
  afterRmpUpdate(ctx, pfn, n, _size, assigned) {
    if (!assigned) ctx.setDirectMapPresent(pfn, n, true, 'unmap.invalidate');
  },
};
