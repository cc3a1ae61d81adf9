/**
 * GPU buffers in system RAM (drivers/gpu/drm/ttm/ttm_pool.c): ttm_pool_alloc() takes the largest
 * blocks it can (order ≤ MAX_PAGE_ORDER; here ≤ 9) and, for write-combined or uncached buffers,
 * set_pages_array_wc()/_uc() changes their cache mode in the direct map; ttm_pool_free() sets
 * them back with set_pages_array_wb(). A block covering a whole 2 MiB keeps its 2M mapping; smaller
 * ones split it. Nothing heals. An Aug 2025 RFC would skip this on AMD CPUs (status unknown).
 */
import type { HostCause } from './cause';

export const ttm: HostCause = {
  id: 'ttm',
  label: 'GPU TTM caching',
  summary:
    "Write-combined/uncached GPU buffers change their pages' cache mode; splits at buffer edges.",
  status: 'merged',
  sources: ['drivers/gpu/drm/ttm/ttm_pool.c: ttm_pool_alloc(), ttm_pool_free()'],
  calls: ['set_pages_array_wc', 'set_pages_array_wb'],
  ops: ['gpu-wc', 'gpu-wb'],
  heals: false,
  apply(m, ev, cx) {
    const blocks = cx.held.list('blocks');
    let pages = Math.ceil(ev.sizeBytes / 4096);
    if (ev.op === 'gpu-wc') {
      while (pages > 0) {
        let order = Math.min(9, Math.floor(Math.log2(pages)));
        let pfn = -1;
        for (; order >= 0 && pfn < 0; order--) pfn = cx.allocBlock(order);
        if (pfn < 0) return m.emit('oom', 'host.oom', -1, pages);
        const n = 2 ** (order + 1);
        cx.cpa(pfn, n, 'set_pages_array_wc', 'direct-map', 'ttm.caching');
        blocks.push(pfn, n);
        pages -= n;
      }
      return;
    }
    while (pages > 0 && blocks.length > 0) {
      const n = blocks.pop()!;
      const pfn = blocks.pop()!;
      cx.cpa(pfn, n, 'set_pages_array_wb', 'direct-map', 'ttm.caching');
      cx.free(pfn, n);
      pages -= n;
    }
  },
};
