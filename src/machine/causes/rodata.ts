/**
 * The kernel image at boot (arch/x86/mm/init_64.c): mark_rodata_ro() makes text and rodata
 * read-only through cpa_process_alias(), so the direct-map alias of the image takes the RO too;
 * the image is 2 MiB aligned at CONFIG_PHYSICAL_START but its read-only part ends inside a 2 MiB
 * region (ro_after_init; TEXT_RODATA below, unconfirmed), which splits. Before SYSTEM_RUNNING.
 * Early userspace then loads modules (udev): BOOT_MODULES below, after SYSTEM_RUNNING, so they
 * count in vmstat — calibrated to a 10 GiB QEMU guest's 1–3 PUD and 9–44 PMD splits after boot
 * (v5.17 and v6.1, Aaron Lu's bpf thread).
 */
import { MiB } from '../units';
import type { HostCause } from './cause';

/** CONFIG_PHYSICAL_START and the image's read-only part (text + rodata; unconfirmed). */
const IMAGE_START = 16 * MiB;
const TEXT_RODATA = 26 * MiB + 0x9000;

export const kernelImage: HostCause = {
  id: 'kernel',
  label: 'Kernel text/rodata',
  summary:
    'mark_rodata_ro(): the direct-map alias of the kernel image splits where its RO part ends.',
  status: 'merged',
  sources: ['arch/x86/mm/init_64.c: mark_rodata_ro()'],
  calls: ['set_memory_ro'],
  ops: [],
  heals: false,
  boot(m, cx) {
    const start = IMAGE_START / 4096;
    const n = Math.floor(Math.min(TEXT_RODATA, m.spec.host.kernelBytes) / 4096);
    if (m.dm.levelOf(start) === null || n <= 0) return;
    cx.cpa(start, n, 'set_memory_ro', 'vmalloc', 'boot.rodata');
  },
};
