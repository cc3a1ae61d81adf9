/**
 * Upstream, Linux 6.11, 2024 (the x86 side, adjust_direct_map() and the RMP, merged in 6.9; KVM's
 * SNP host support, sev_gmem_prepare() and KVM_SEV_SNP_LAUNCH_*, in 6.11): private memory in
 * guest_memfd with order-0 folios; adjust_direct_map() splits the direct mapping to 4K before every 4K RMPUPDATE (split on
 * demand) and never for a 2M RMPUPDATE; nothing collapses. THP versus hugetlbfs only changes the
 * shared side. Source: arch/x86/virt/svm/sev.c, lore 20240126041126.1927228-12-michael.roth@amd.com.
 */
import type { Design } from './design';
import { gmemKernel } from './gmem';
import { SNP_HOST } from './snp';

export const adjustDirectMap: Design['beforeRmpUpdate'] = (ctx, pfn, n, size) => {
  // "If an entire 2MB physical range is being transitioned, then there is no risk of RMP #PFs
  // due to write accesses from overlapping mappings" — so only 4K updates split.
  if (size === '4K') ctx.split4k(pfn, n, 'upstream.adjust_direct_map');
};

export const upstream2024: Design = {
  ...SNP_HOST,
  ...gmemKernel({ folio: '4k', inPlaceShared: false }),
  id: 'upstream-2024',
  label: 'Upstream 2024: guest_memfd, split on demand',
  summary:
    'Private memory from guest_memfd (4K folios); adjust_direct_map() splits to 4K before each 4K RMPUPDATE.',
  gmemMapLabel: 'guest_memfd (4K folios)',
  beforeRmpUpdate: adjustDirectMap,
};
