/**
 * The AMD IOMMU on an SNP host (drivers/iommu/amd/init.c): iommu_alloc_4k_pages() splits the
 * direct map to 4K (set_memory_4k) around its command, event and PPR buffers and the
 * completion-wait semaphore, so the RMP can hold them at 4K. IOMMUS per host and the buffer
 * sizes are unconfirmed (one IOMMU per PCIe root complex; 4 on a one-socket EPYC). Before
 * SYSTEM_RUNNING.
 */
import type { HostCause } from './cause';

const IOMMUS = 4;
/** Orders of the buffers each IOMMU allocates: command (8K), event (8K), PPR (8K), cwait (4K). */
const BUFFER_ORDERS = [1, 1, 1, 0];

export const iommu: HostCause = {
  id: 'iommu',
  label: 'IOMMU 4K buffers (SNP)',
  summary: 'On SNP hosts the AMD IOMMU splits the direct map around its buffers at boot.',
  status: 'merged',
  sources: ['drivers/iommu/amd/init.c: iommu_alloc_4k_pages()'],
  calls: ['set_memory_4k'],
  ops: [],
  heals: false,
  boot(m, cx) {
    if (m.rmpTableBytes === 0) return;
    for (let i = 0; i < IOMMUS; i++)
      for (const order of BUFFER_ORDERS) {
        const pfn = cx.allocBlock(order);
        if (pfn >= 0) cx.cpa(pfn, 2 ** order, 'set_memory_4k', 'direct-map', 'boot.iommu');
      }
  },
};
