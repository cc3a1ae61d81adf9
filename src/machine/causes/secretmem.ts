/**
 * memfd_secret (mm/secretmem.c): each page is removed from the direct map on fault
 * (set_direct_map_invalid_noflush, splitting its region) and mapped back on free
 * (set_direct_map_default_noflush); nothing heals. Since 5.14; off by default until 6.5
 * (b758fe6df50d, 20230515083400.3563974-1-rppt@kernel.org: secretmem.enable=1 is needed before).
 * Bounded by RLIMIT_MEMLOCK in the kernel (not modelled: a scenario says how much).
 */
import { linuxAtLeast } from '../linux';
import type { HostCause } from './cause';

export const secretmem: HostCause = {
  id: 'secretmem',
  label: 'secretmem (memfd_secret)',
  summary: 'Pages leave the direct map one 4K at a time; on by default from 6.5.',
  status: 'merged',
  sources: ['mm/secretmem.c', 'b758fe6df50d', '20230515083400.3563974-1-rppt@kernel.org'],
  calls: ['set_direct_map_invalid_noflush'],
  ops: ['secretmem', 'secretmem-free'],
  heals: false,
  apply(m, ev, cx) {
    const pages = Math.ceil(ev.sizeBytes / 4096);
    const held = cx.held.list('pages');
    // With __GFP_UNMAPPED (proposal; the RFC's 2/5, 20230308094106.227365-3-rppt@kernel.org)
    // secretmem takes pages already unmapped and gives them back unmapped: no call of its own.
    const unmapped = cx.unmapped();
    if (ev.op === 'secretmem') {
      if (!linuxAtLeast(cx.linux, '6.5')) return m.emit('ignored', 'secretmem.fault', -1, pages);
      if (unmapped) {
        for (let i = 0; i < pages; i++) {
          const pfn = unmapped.alloc();
          if (pfn < 0) return m.emit('oom', 'host.oom', -1, pages - i);
          held.push(pfn);
        }
        return;
      }
      for (let i = 0; i < pages; i++) {
        const p = cx.allocPages(1);
        if (!p) return m.emit('oom', 'host.oom', -1, pages - i);
        cx.cpa(p[0]!, 1, 'set_direct_map_invalid_noflush', 'direct-map', 'secretmem.fault');
        held.push(p[0]!);
      }
      return;
    }
    for (let i = 0; i < pages && held.length > 0; i++) {
      const pfn = held.pop()!;
      if (unmapped) {
        unmapped.free(pfn);
        continue;
      }
      cx.cpa(pfn, 1, 'set_direct_map_default_noflush', 'direct-map', 'secretmem.free');
      cx.free(pfn, 1);
    }
  },
};
