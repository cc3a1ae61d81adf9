/**
 * Loadable modules under STRICT_MODULE_RWX (kernel/module/strict_rwx.c): text set ROX, rodata
 * RO, data RW+NX; each vmalloc page's direct-map alias takes the RO, so every 2 MiB region a
 * scattered text or rodata page lands in splits. With the execmem ROX cache (mm/execmem.c,
 * 20241023162711.2579610-1-rppt@kernel.org) text comes from 2 MiB huge pages filled with traps and
 * set ROX once: the alias stays a whole 2M. Gates (ROX_CACHE below, easy to change): added 6.13,
 * disabled again in Jan 2025 (a9bbe3413331, so off in 6.14), back in 6.15 (64f6a4e10c05,
 * 925f42645118 keeps it in the direct map), where set_memory_rox also collapses (41d88484c71c).
 * Unload: vfree() with VM_FLUSH_RESET_PERMS resets each alias to default; splits stay.
 */

import { linuxAtLeast, linuxOrder } from '../linux';
import type { Machine } from '../machine';
import type { CauseCtx, HostCause } from './cause';

/** Share of a module's size that is text / rodata (the rest is data; unconfirmed). */
const TEXT_SHARE = 0.5;
const RODATA_SHARE = 0.25;
const CACHE_PAGES = 512;

/** Whether the execmem ROX cache serves module text on this kernel. */
export function roxCache(linux: string): boolean {
  const o = linuxOrder(linux);
  return o === linuxOrder('6.13') || linuxAtLeast(linux, '6.15');
}

/** Take text pages from the ROX cache, populating a 2 MiB huge page when it runs out. */
function cacheAlloc(cx: CauseCtx, pages: number): void {
  const cache = cx.held.list('rox-cache');
  let free = cache.length > 0 ? cache[cache.length - 1]! : 0;
  let left = pages;
  while (left > 0) {
    if (free === 0) {
      const base = cx.allocBlock(9);
      if (base < 0) return;
      // execmem_cache_populate(): fill with traps, then set_memory_rox() on the whole 2 MiB.
      cx.cpa(base, CACHE_PAGES, 'set_memory_rox', 'vmalloc', 'module.rox_cache');
      cx.held.list('rox-blocks').push(base);
      free = CACHE_PAGES;
    }
    const take = Math.min(left, free);
    free -= take;
    left -= take;
  }
  if (cache.length === 0) cache.push(free);
  else cache[cache.length - 1] = free;
}

function section(
  cx: CauseCtx,
  key: string,
  pages: number,
  call: 'set_memory_rox' | 'set_memory_ro' | null,
): boolean {
  const p = cx.allocPages(pages);
  if (!p) return false;
  const list = cx.held.list(key);
  // One set_memory_ro/rox() on the section's vmalloc range: each page's alias, one cpa_flush().
  if (call) cx.cpaPages(p, call, 'vmalloc', 'module.rwx');
  for (const pfn of p) list.push(pfn);
  return true;
}

function load(_m: Machine, cx: CauseCtx, id: number, sizeBytes: number): void {
  const pages = Math.max(1, Math.ceil(sizeBytes / 4096));
  const text = Math.max(1, Math.round(pages * TEXT_SHARE));
  const rodata = Math.max(0, Math.round(pages * RODATA_SHARE));
  const data = Math.max(0, pages - text - rodata);
  const key = `m${id}`;
  if (cx.held.list(`${key}:loaded`).length > 0) return;
  cx.held.list(`${key}:loaded`).push(text);
  if (roxCache(cx.linux)) cacheAlloc(cx, text);
  else if (
    !section(
      cx,
      `${key}:text`,
      text,
      linuxAtLeast(cx.linux, '6.2') ? 'set_memory_rox' : 'set_memory_ro',
    )
  )
    return;
  section(cx, `${key}:rodata`, rodata, 'set_memory_ro');
  section(cx, `${key}:data`, data, null);
}

function unload(cx: CauseCtx, id: number): void {
  const key = `m${id}`;
  const loaded = cx.held.list(`${key}:loaded`);
  if (loaded.length === 0) return;
  loaded.length = 0;
  for (const part of ['text', 'rodata', 'data']) {
    const list = cx.held.list(`${key}:${part}`);
    for (const pfn of list) {
      if (part !== 'data') {
        cx.cpa(pfn, 1, 'set_direct_map_invalid_noflush', 'direct-map', 'module.unload');
        cx.cpa(pfn, 1, 'set_direct_map_default_noflush', 'direct-map', 'module.unload');
      }
      cx.free(pfn, 1);
    }
    list.length = 0;
  }
  // Text from the ROX cache goes back to the cache (execmem_cache_free): the 2 MiB stays ROX.
}

/**
 * Modules udev loads while a guest or host boots (sizes in KiB: a small QEMU guest's set;
 * unconfirmed), with the early-userspace memory (page cache of the .ko files, processes) taken
 * between two loads. Calibrated to 9–44 PMD splits on a 10 GiB guest.
 */
const BOOT_MODULE_KIB = [
  96, 160, 64, 420, 88, 128, 256, 72, 180, 64, 96, 540, 120, 64, 200, 80, 148, 64, 312, 104, 72,
  132, 64, 380, 96, 116, 224, 64, 168, 88, 100, 460, 112, 64, 188, 76, 140, 64, 296, 92,
];
const BOOT_GAP_PAGES = 450;
/** Module numbers of the boot set (scenario modules are numbered from 0). */
export const BOOT_MODULE_BASE = 1_000_000;

export const modules: HostCause = {
  id: 'module',
  label: 'Modules (STRICT_MODULE_RWX, execmem)',
  summary:
    'Module text/rodata set RO(X) page by page; the execmem ROX cache (6.13, 6.15+) uses whole 2 MiB pages.',
  status: 'merged',
  sources: [
    'kernel/module/strict_rwx.c',
    'mm/execmem.c',
    '20241023162711.2579610-1-rppt@kernel.org',
    'a9bbe3413331',
    '925f42645118',
  ],
  calls: ['set_memory_rox', 'set_memory_ro', 'set_direct_map_invalid_noflush'],
  ops: ['module-load', 'module-unload'],
  heals: true,
  userspace(m, cx) {
    const gap = cx.held.list('boot-gap');
    BOOT_MODULE_KIB.forEach((kib, i) => {
      load(m, cx, BOOT_MODULE_BASE + i, kib * 1024);
      for (const pfn of cx.allocPages(BOOT_GAP_PAGES) ?? []) gap.push(pfn);
    });
  },
  apply(m, ev, cx) {
    if (ev.op === 'module-load') load(m, cx, ev.guest, ev.sizeBytes);
    else unload(cx, ev.guest);
  },
};
