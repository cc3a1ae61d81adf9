/**
 * RFC v1, March 2021 (SNP host "Part 2" 04/30 and 07/30): guest RAM is the VMM's own memory
 * (4K, THP or hugetlbfs), converted in place. Every page added to the RMP is first forced to a
 * 4K direct mapping (set_memory_4k, "pre-split"); a user RMP fault on a THP splits the PMD and
 * retries, on hugetlbfs it cannot, so the VMM gets SIGBUS (user-fault.ts). Sources: lore
 * 20210324170436.31843-5 and -8-brijesh.singh@amd.com.
 */
import type { Design } from './design';
import { IN_PLACE } from './in-place';
import { SNP_HOST } from './snp';

export const rfc2021: Design = {
  ...SNP_HOST,
  ...IN_PLACE,
  id: 'rfc-2021',
  label: 'RFC 2021: pre-split, split THP on fault',
  summary:
    'Pre-split the direct map to 4K before every RMPUPDATE; split THP on a user RMP fault; hugetlbfs gets SIGBUS.',
  gmemMapLabel: 'guest_memfd (4K folios)',
  beforeRmpUpdate(ctx, pfn, n, _size, assigned) {
    if (assigned) ctx.split4k(pfn, n, 'rfc.presplit');
  },
};
