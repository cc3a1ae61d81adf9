/**
 * guest_memfd with 2M THP folios (Michael Roth's RFC, Dec 2024), a what-if: a 2 MiB-aligned
 * accept gets one order-9 folio and one 2M RMP entry, which adjust_direct_map() never splits for.
 * Sharing a page inside it PSMASHes the entry, splits the folio and then splits on demand as
 * upstream does.
 */
import type { Design } from './design';
import { adjustDirectMap } from './upstream-2024';

export const gmemThpRfc: Design = {
  id: 'gmem-thp-rfc',
  label: 'RFC: guest_memfd 2M folios',
  summary: '2M private folios with 2M RMP entries: no split until a page inside is shared.',
  snp: true,
  privateMemory: 'gmem',
  gmemFolio: '2m',
  inPlaceShared: false,
  sequester: false,
  onRegister: () => null,
  beforeRmpUpdate: adjustDirectMap,
  afterRmpUpdate: () => {},
};
