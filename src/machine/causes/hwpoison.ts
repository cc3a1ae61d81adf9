/**
 * Uncorrectable memory errors (arch/x86/kernel/cpu/mce/core.c): memory_failure() →
 * set_mce_nospec(pfn) removes the whole poisoned page from the direct map (set_memory_np, the
 * whole-page form of 20220420020435.90326-4-jane.chu@oracle.com), splitting its 1 GiB and 2 MiB
 * mappings; clear_mce_nospec() maps it back on recovery (unpoison). Never heals. One split chain
 * per error: it adds up over a fleet and a year.
 */
import type { HostCause } from './cause';

export const hwpoison: HostCause = {
  id: 'hwpoison',
  label: 'Memory errors (hwpoison)',
  summary: 'set_mce_nospec() unmaps the poisoned page: one split chain per uncorrectable error.',
  status: 'merged',
  sources: [
    'arch/x86/kernel/cpu/mce/core.c: set_mce_nospec()',
    '20220420020435.90326-4-jane.chu@oracle.com',
  ],
  calls: ['set_mce_nospec', 'clear_mce_nospec'],
  ops: ['hwpoison', 'unpoison'],
  heals: false,
  apply(m, ev, cx) {
    if (!(ev.pfn >= 0 && ev.pfn < m.totalPages) || m.dm.levelOf(ev.pfn) === null)
      return m.emit('ignored', 'hwpoison.nospec', ev.pfn, 0);
    if (ev.op === 'hwpoison') cx.cpa(ev.pfn, 1, 'set_mce_nospec', 'direct-map', 'hwpoison.nospec');
    else cx.cpa(ev.pfn, 1, 'clear_mce_nospec', 'direct-map', 'hwpoison.clear');
  },
};
