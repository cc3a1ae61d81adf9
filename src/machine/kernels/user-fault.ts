/**
 * The user RMP fault handler of the 2021 RFC (Part2 07/30, handle_user_rmp_page_fault(), lore
 * 20210324170436.31843-8-brijesh.singh@amd.com): a VMM write through a huge mapping that covers
 * an assigned page splits a THP mapping (split_huge_pmd()) and retries at 4K; a hugetlbfs
 * mapping cannot be split, so the VMM gets SIGBUS. Every design models user RMP faults this way.
 */
import { MAP_4K, MAP_HUGETLB_1G, MAP_HUGETLB_2M, MAP_THP } from '../frame-bits';
import type { GuestKernel } from './design';

const CHUNK = 512;

export const splitThpOrSigbus: GuestKernel['userRmpFault'] = (m, g, gfn, pfn, level) => {
  const c = Math.floor(gfn / CHUNK);
  const kind = g.userMap[c];
  if (kind === MAP_THP && level !== '4K') {
    g.userMap[c] = MAP_4K;
    m.emit('thp-split', 'rfc.thp_split', g.backingMap.get(c * CHUNK), c, c * CHUNK * 4096);
    return m.writeFaults(pfn, '4K') ? 'rmp.user_private' : null;
  }
  return kind === MAP_HUGETLB_2M || kind === MAP_HUGETLB_1G
    ? 'rfc.hugetlb_sigbus'
    : 'rmp.user_private';
};
