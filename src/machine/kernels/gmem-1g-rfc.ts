/**
 * guest_memfd backed by 1G hugetlb pages (Ackerley Tng, RFC v2, May 2025), a what-if: private
 * memory in gigantic folios with 2M RMP entries; shared pages are converted in place (no separate
 * shared copy), and a conversion splits the folio to 4K, PSMASHes the 2M entry and splits the
 * direct map on demand.
 */
import type { Design } from './design';
import { gmemKernel } from './gmem';
import { SNP_HOST } from './snp';
import { adjustDirectMap } from './upstream-2024';

export const gmem1gRfc: Design = {
  ...SNP_HOST,
  ...gmemKernel({ folio: '1g', inPlaceShared: true }),
  id: 'gmem-1g-rfc',
  label: 'RFC: guest_memfd 1G hugetlb',
  summary: '1G hugetlb private folios (2M RMP entries), in-place conversion that splits to 4K.',
  gmemMapLabel: 'guest_memfd (1G folios)',
  beforeRmpUpdate: adjustDirectMap,
};
