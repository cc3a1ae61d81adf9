/**
 * KFENCE (mm/kfence/core.c, arch/x86/include/asm/kfence.h): the pool (2 MiB by default) is
 * allocated from memblock at boot — top-down, page-aligned, so it usually straddles two 2 MiB
 * regions — and arch_kfence_init_pool() calls set_memory_4k() on every page: never heals
 * (_PAGE_KERNEL_4K from 6.15). Since 5.12 (unconfirmed); the pool is set up before
 * SYSTEM_RUNNING, so its splits are in DirectMap* but not /proc/vmstat (unconfirmed).
 */
import { linuxAtLeast } from '../linux';
import type { HostCause } from './cause';

export const KFENCE_POOL_PAGES = 512;
/** How far below the top of RAM memblock's earlier top-down allocations leave it (unconfirmed). */
export const KFENCE_BELOW_TOP_PAGES = 0x2345;

export const kfence: HostCause = {
  id: 'kfence',
  label: 'KFENCE pool',
  summary: 'set_memory_4k on its 2 MiB pool at boot; never heals.',
  status: 'merged',
  sources: ['mm/kfence/core.c: kfence_init_pool()', 'arch/x86/include/asm/kfence.h'],
  calls: ['set_memory_4k'],
  ops: [],
  heals: false,
  boot(m, cx) {
    if (m.spec.host.kfence === false || !linuxAtLeast(cx.linux, '5.12')) return;
    const ranges = m.spec.host.ranges;
    const top = ranges.length > 0 ? ranges[ranges.length - 1]!.end / 4096 : 0;
    const pfn = Math.max(256, top - KFENCE_BELOW_TOP_PAGES - KFENCE_POOL_PAGES);
    if (pfn + KFENCE_POOL_PAGES > top) return;
    cx.cpa(pfn, KFENCE_POOL_PAGES, 'set_memory_4k', 'direct-map', 'kfence.pool');
  },
};
