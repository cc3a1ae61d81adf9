/**
 * guest_memfd with 2M THP folios (Michael Roth's RFC, Dec 2024), a what-if: a 2 MiB-aligned
 * accept gets one order-9 folio and one 2M RMP entry, which adjust_direct_map() never splits for.
 * Sharing a page inside it PSMASHes the entry, splits the folio and then splits on demand as
 * upstream does.
 */
import type { Design } from './design';
import { gmemKernel } from './gmem';
import { SNP_HOST } from './snp';
import { adjustDirectMap } from './upstream-2024';

export const gmemThpRfc: Design = {
  ...SNP_HOST,
  ...gmemKernel({ folio: '2m', inPlaceShared: false }),
  id: 'gmem-thp-rfc',
  label: 'RFC: guest_memfd 2M folios',
  summary: '2M private folios with 2M RMP entries: no split until a page inside is shared.',
  gmemMapLabel: 'guest_memfd (2M folios)',
  beforeRmpUpdate: adjustDirectMap,
};
