/**
 * The page cache filling RAM (mm/filemap.c, mm/vmscan.c): file pages take free memory as
 * order-0 pages; reclaim frees them in LRU order, which on a long-running host is no address
 * order at all (modelled as a seeded random choice), so freed pages lie scattered and later small
 * allocations — vmalloc'd module and BPF pages — land all over RAM as on an aged host. Each fill is
 * one file set; a drop frees pages of the newest set first (a set read, then deleted or dropped),
 * then older ones (unconfirmed as a reclaim order; it is the knob the presets are calibrated by).
 * No direct-map change of its own.
 */
import type { HostCause } from './cause';

export const pageCache: HostCause = {
  id: 'page-cache',
  label: 'Page cache',
  summary: 'Fills RAM and is reclaimed out of address order: later small allocations scatter.',
  status: 'merged',
  sources: ['mm/filemap.c: filemap_add_folio()', 'mm/vmscan.c: shrink_folio_list()'],
  calls: [],
  ops: ['page-cache', 'page-cache-drop'],
  heals: false,
  apply(m, ev, cx) {
    const pages = Math.ceil(ev.sizeBytes / 4096);
    const sets = cx.held.list('sets');
    if (ev.op === 'page-cache') {
      const got = cx.allocPages(pages);
      if (!got) return m.emit('oom', 'host.oom', -1, pages);
      const cache = cx.held.list(`set:${sets.length}`);
      sets.push(sets.length);
      for (const pfn of got) cache.push(pfn);
      return;
    }
    for (let i = 0; i < pages && sets.length > 0; i++) {
      const cache = cx.held.list(`set:${sets[sets.length - 1]}`);
      if (cache.length === 0) {
        sets.pop();
        i--;
        continue;
      }
      const j = cx.held.random(cache.length);
      const pfn = cache[j]!;
      cache[j] = cache[cache.length - 1]!;
      cache.pop();
      cx.free(pfn, 1);
    }
  },
};
