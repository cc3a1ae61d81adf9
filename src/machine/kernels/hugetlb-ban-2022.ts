/**
 * SNP host Part 2 v6 (June 2022; v5, Aug 2021, did the same), Dave Hansen's minimum from the
 * 2021 review: memory that cannot be split (hugetlbfs) is refused when the VMM registers it, so
 * the VM fails to start instead of dying later. Guest RAM is still the VMM's memory converted in
 * place, as in RFC v1, but the direct map is no longer pre-split: rmpupdate() invalidates a page
 * in the direct map when it is assigned (invalidate_direct_map() → set_direct_map_invalid_noflush(),
 * splitting any large mapping over it) and restores it when it is reclaimed (restore_direct_map()
 * → set_direct_map_default_noflush()); neither flushes beyond the splits. Sources: lore
 * 243778c282cd55a554af9c11d2ecd3ff9ea6820f.1655761627.git.ashish.kalra@amd.com (v6 07/49),
 * 20210820155918.7518-7-brijesh.singh@amd.com (v5 06/45),
 * b32e0daab8af130a1bda76eb06ecd2546e8478bb.1655761627.git.ashish.kalra@amd.com (the ban).
 */
import type { Design } from './design';
import { rfc2021 } from './rfc-2021';
import { invalidateDirectMap, restoreDirectMap } from './unmap-2023';

export const hugetlbBan2022: Design = {
  ...rfc2021,
  id: 'hugetlb-ban-2022',
  label: '2022: refuse hugetlbfs, invalidate private pages',
  summary:
    'Guest RAM converted in place; private pages are invalidated in the direct map (splitting it); hugetlbfs memory is refused at registration: the VM fails to start.',
  beforeRmpUpdate: invalidateDirectMap,
  afterRmpUpdate: restoreDirectMap,
  register(backing) {
    if (backing === 'hugetlbfs-2m' || backing === 'hugetlbfs-1g')
      return {
        rule: 'ban.hugetlb',
        reason: 'hugetlbfs memory cannot be split: refused by KVM_MEMORY_ENCRYPT_REG_REGION',
      };
    return null;
  },
};
