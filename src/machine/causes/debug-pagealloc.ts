/**
 * debug_pagealloc=on (arch/x86/mm/init.c): probe_page_size_mask() enables neither 2M nor 1G
 * pages, so the whole direct map is 4K from boot and no split event ever happens. The layout is
 * the machine's (Machine maps every boot piece at 4K when host.debugPagealloc is set); this entry
 * names the cause for the by-cause view.
 */
import type { HostCause } from './cause';

export const debugPagealloc: HostCause = {
  id: 'debug_pagealloc',
  label: 'debug_pagealloc',
  summary: 'The whole direct map is 4K from boot; no split events.',
  status: 'merged',
  sources: ['arch/x86/mm/init.c: probe_page_size_mask()'],
  calls: [],
  ops: [],
  heals: false,
};
