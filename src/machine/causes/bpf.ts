/**
 * BPF JIT images. Before bpf_prog_pack (5.18) every program's image is one vmalloc page made
 * RO+X (bpf_jit_binary_lock_ro(): set_memory_ro() then set_memory_x()); the RO reaches the
 * direct-map alias and splits its 2 MiB region. From 5.18 programs share 2 MiB packs
 * (bpf_prog_pack_alloc() in kernel/bpf/core.c, 20220204185742.271030-1-song@kernel.org) made RO+X
 * once: the alias of a whole aligned 2 MiB changes in place. Unload frees with
 * VM_FLUSH_RESET_PERMS (set_direct_map_invalid_noflush + _default_noflush per page). Aaron Lu's
 * 8 GB VM: v5.17, 2048 sockex1 programs → DirectMap4k 87,900 → 1,654,620 kB; v6.1 no split.
 */
import { linuxAtLeast } from '../linux';
import type { CauseCtx, HostCause } from './cause';

/** Programs one 2 MiB pack holds (sockex1-sized images, 512 B each; unconfirmed). */
export const PROGS_PER_PACK = 4096;
const PACK_PAGES = 512;

function load(cx: CauseCtx, count: number): void {
  const progs = cx.held.list('progs');
  if (!linuxAtLeast(cx.linux, '5.18')) {
    for (let i = 0; i < count; i++) {
      const p = cx.allocPages(1);
      if (!p) return;
      cx.cpa(p[0]!, 1, 'set_memory_ro', 'vmalloc', 'bpf.jit');
      cx.cpa(p[0]!, 1, 'set_memory_x', 'vmalloc', 'bpf.jit');
      progs.push(p[0]!);
    }
    return;
  }
  const packs = cx.held.list('packs');
  for (let i = 0; i < count; i++) {
    if (progs.length % PROGS_PER_PACK === 0) {
      const base = cx.allocBlock(9);
      if (base < 0) return;
      const rox = linuxAtLeast(cx.linux, '6.2') ? 'set_memory_rox' : 'set_memory_ro';
      cx.cpa(base, PACK_PAGES, rox, 'vmalloc', 'bpf.pack');
      packs.push(base);
    }
    progs.push(packs[packs.length - 1]!);
  }
}

function unload(cx: CauseCtx, count: number): void {
  const progs = cx.held.list('progs');
  const packed = linuxAtLeast(cx.linux, '5.18');
  for (let i = 0; i < count && progs.length > 0; i++) {
    const pfn = progs.pop()!;
    if (packed && progs.length % PROGS_PER_PACK !== 0) continue;
    const n = packed ? PACK_PAGES : 1;
    if (packed) cx.held.list('packs').pop();
    cx.cpa(pfn, n, 'set_direct_map_invalid_noflush', 'direct-map', packed ? 'bpf.pack' : 'bpf.jit');
    cx.cpa(pfn, n, 'set_direct_map_default_noflush', 'direct-map', packed ? 'bpf.pack' : 'bpf.jit');
    cx.free(pfn, n);
  }
}

export const bpf: HostCause = {
  id: 'bpf',
  label: 'BPF JIT',
  summary: 'One RO+X page per program before bpf_prog_pack (5.18); 2 MiB packs after.',
  status: 'merged',
  sources: [
    'kernel/bpf/core.c: bpf_prog_pack_alloc()',
    '20220204185742.271030-1-song@kernel.org',
    'Y2ioTodn+mBXdIqp@ziqianlu-desk2',
  ],
  calls: ['set_memory_ro', 'set_memory_rox', 'set_direct_map_invalid_noflush'],
  ops: ['bpf-load', 'bpf-unload'],
  heals: true,
  apply(_m, ev, cx) {
    if (ev.op === 'bpf-load') load(cx, ev.sizeBytes);
    else unload(cx, ev.sizeBytes);
  },
};
