/**
 * Dave Hansen's minimum (2021), done in the 2022 host series: memory that cannot be split
 * (hugetlbfs) is refused when the VMM registers it, so the VM fails to start instead of dying
 * later. Otherwise as rfc-2021. Source: lore b32e0daab8af…1655761627.git.ashish.kalra@amd.com.
 */
import type { Design } from './design';
import { rfc2021 } from './rfc-2021';

export const hugetlbBan2022: Design = {
  ...rfc2021,
  id: 'hugetlb-ban-2022',
  label: '2022: refuse hugetlbfs at registration',
  summary:
    'As the RFC, but hugetlbfs-backed memory is refused at registration: the VM fails to start.',
  register(backing) {
    if (backing === 'hugetlbfs-2m' || backing === 'hugetlbfs-1g')
      return {
        rule: 'ban.hugetlb',
        reason: 'hugetlbfs memory cannot be split: refused by KVM_MEMORY_ENCRYPT_REG_REGION',
      };
    return null;
  },
};
