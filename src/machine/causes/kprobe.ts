/**
 * kprobe instruction slots (and ftrace trampolines): alloc_insn_page() takes a vmalloc page per
 * KPROBE_SLOTS probes and sets it ROX (arch/x86/kernel/kprobes/core.c), splitting its alias. From
 * 6.17 (36de1e4238c1, 5d79c2be5081; unconfirmed) they come from the execmem ROX cache instead.
 */
import { linuxAtLeast } from '../linux';
import type { HostCause } from './cause';

/** Slots per instruction page: PAGE_SIZE / MAX_INSN_SIZE (16). */
const KPROBE_SLOTS = 256;

export const kprobes: HostCause = {
  id: 'kprobe',
  label: 'kprobes / ftrace trampolines',
  summary: 'One ROX instruction page per 256 kprobes; from the ROX cache from 6.17 (unconfirmed).',
  status: 'merged',
  sources: ['arch/x86/kernel/kprobes/core.c: alloc_insn_page()', '36de1e4238c1', '5d79c2be5081'],
  calls: ['set_memory_rox'],
  ops: ['kprobe'],
  heals: true,
  apply(_m, ev, cx) {
    const probes = cx.held.list('probes');
    for (let i = 0; i < ev.sizeBytes; i++) {
      if (probes.length % KPROBE_SLOTS === 0) {
        if (linuxAtLeast(cx.linux, '6.17')) {
          const base = probes.length % (KPROBE_SLOTS * 512) === 0 ? cx.allocBlock(9) : -2;
          if (base >= 0) cx.cpa(base, 512, 'set_memory_rox', 'vmalloc', 'kprobe.insn');
        } else {
          const p = cx.allocPages(1);
          if (!p) return;
          const call = linuxAtLeast(cx.linux, '6.2') ? 'set_memory_rox' : 'set_memory_ro';
          cx.cpa(p[0]!, 1, call, 'vmalloc', 'kprobe.insn');
        }
      }
      probes.push(1);
    }
  },
};
