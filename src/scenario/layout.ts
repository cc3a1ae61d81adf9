/**
 * Where a booting Linux SNP guest puts the memory it shares (domain.md §5), as sizes and GPAs.
 * Sizes follow the kernel's own arithmetic; placements are seeded stand-ins for memblock and the
 * buddy allocator, which the model does not run inside the guest.
 */
import { GiB, KiB, MiB, PAGE_SIZE, PMD_SIZE, roundDown, roundUp } from '../machine/units';
import type { Prng } from './prng';

export { PAGE_SIZE as PAGE, PMD_SIZE as PMD, roundDown, roundUp };

/** Kernel image at CONFIG_PHYSICAL_START (16 MiB, no KASLR), about 32 MiB long. */
export const KERNEL_START = 16 * MiB;
export const KERNEL_END = 48 * MiB;
/** The PMD-aligned .bss..decrypted section near the end of the image (vmlinux.lds.S). */
export const BSS_DECRYPTED = 46 * MiB;
/**
 * With unaccepted-memory support the firmware accepts only low memory and the guest accepts
 * the rest in 2 MiB units as it allocates (mm/page_alloc.c accept_memory). How much firmware
 * accepts is not fixed by any spec; 256 MiB is the model's choice (unconfirmed).
 */
export const FIRMWARE_ACCEPT_BYTES = 256 * MiB;
/** memblock_alloc_low() allocates below ARCH_LOW_ADDRESS_LIMIT (4 GiB on x86-64). */
const LOW_LIMIT = 4 * GiB;

/**
 * SWIOTLB bounce buffer of an SEV guest: 6% of memory clamped to [64 MiB, 1 GiB]
 * (arch/x86/mm/mem_encrypt.c mem_encrypt_setup_arch, commit e998879d4fb7), then rounded up by
 * swiotlb_adjust_size() to whole segments of 128 × 2 KiB slots (256 KiB). 4 GiB → 246 MiB.
 * The model also caps it at a quarter of a tiny guest's memory so that small demos still boot.
 */
export function swiotlbBytes(memBytes: number): number {
  const sixPercent = Math.floor((memBytes * 6) / 100);
  const clamped = Math.min(Math.max(sixPercent, 64 * MiB), GiB);
  const kernel = roundUp(clamped, 256 * KiB);
  return Math.min(kernel, roundDown(memBytes / 4, PAGE_SIZE));
}

/**
 * One DMA atomic pool (kernel/dma/pool.c dma_atomic_pool_init): 128 KiB per GiB of RAM
 * (totalram_pages / (SZ_1G / SZ_128K) pages), at most MAX_ORDER_NR_PAGES (4 MiB), at least
 * 128 KiB. atomic_pool_expand() allocates 2^get_order(size) pages and decrypts all of them, so
 * the shared block is that power of two. 1 GiB → 128K, 4 GiB → 512K, ≥ 32 GiB → 4M.
 */
export function dmaPoolBytes(memBytes: number): number {
  const pages = Math.min(Math.floor(memBytes / PAGE_SIZE / 8192), 1024);
  const bytes = Math.max(pages * PAGE_SIZE, 128 * KiB);
  let block = PAGE_SIZE;
  while (block < bytes) block *= 2;
  return block;
}

/**
 * Pools: atomic_pool_kernel always, atomic_pool_dma32 (ZONE_DMA32, below 4 GiB) and
 * atomic_pool_dma (ZONE_DMA, below 16 MiB) when those zones have memory: three on x86-64.
 */
export const DMA_POOLS = 3;

/** hv_clock_boot holds 64 pvclock_vsyscall_time_info (64 bytes each) per page: one page per 64 vCPUs. */
export function kvmclockBytes(vcpus: number): number {
  return Math.ceil(vcpus / 64) * PAGE_SIZE;
}

export interface Block {
  start: number;
  size: number;
}

export interface BootLayout {
  /** [0, lowEnd) is accepted at boot. */
  lowEnd: number;
  swiotlb: Block;
  /** Extra range accepted at boot because SWIOTLB sits above lowEnd (lazy acceptance only). */
  swiotlbAccept: Block | null;
  kvmclock: Block;
  pools: Block[];
  /** One GHCB page and one per-CPU paravirt page per vCPU. */
  ghcbs: number[];
  pvPages: number[];
}

const overlaps = (a: Block, list: readonly Block[]) =>
  list.some((b) => a.start < b.start + b.size && b.start < a.start + a.size);

/** A naturally aligned block in [lo, hi) avoiding `taken` when it can; never outside memory. */
export function placeBlock(
  rng: Prng,
  lo: number,
  hi: number,
  size: number,
  memBytes: number,
  taken: readonly Block[],
): Block {
  let start = roundUp(lo, size);
  let slots = Math.floor((hi - start) / size);
  if (slots <= 0) {
    start = 0;
    slots = Math.floor(memBytes / size);
  }
  if (slots <= 0) return { start: 0, size: roundDown(memBytes, PAGE_SIZE) };
  let pick: Block = { start, size };
  for (let attempt = 0; attempt < 16; attempt++) {
    pick = { start: start + rng.below(slots) * size, size };
    if (!overlaps(pick, taken)) break;
  }
  return pick;
}

export function bootLayout(memBytes: number, vcpus: number, lazy: boolean, rng: Prng): BootLayout {
  const lowEnd = lazy ? Math.min(memBytes, FIRMWARE_ACCEPT_BYTES) : memBytes;
  // SWIOTLB: memblock top-down below 4 GiB, so it ends at the top of low memory.
  const swSize = swiotlbBytes(memBytes);
  const top = Math.min(memBytes, LOW_LIMIT);
  const swiotlb = { start: roundDown(top - swSize, PAGE_SIZE), size: swSize };
  let swiotlbAccept: Block | null = null;
  if (swiotlb.start + swiotlb.size > lowEnd) {
    const a = Math.max(roundDown(swiotlb.start, PMD_SIZE), lowEnd);
    swiotlbAccept = { start: a, size: Math.min(roundUp(top, PMD_SIZE), memBytes) - a };
  }
  const kernelImage = { start: KERNEL_START, size: KERNEL_END - KERNEL_START };
  const bss = Math.min(BSS_DECRYPTED, roundDown(memBytes / 2, PMD_SIZE));
  const kvmclock = { start: bss, size: Math.min(kvmclockBytes(vcpus), PMD_SIZE) };
  const taken: Block[] = [kernelImage, swiotlb, kvmclock];
  const poolSize = dmaPoolBytes(memBytes);
  const pools: Block[] = [];
  const normalLo = lowEnd > LOW_LIMIT ? LOW_LIMIT : KERNEL_END;
  for (const [lo, hi] of [
    [normalLo, lowEnd], // atomic_pool_kernel
    [KERNEL_END, Math.min(lowEnd, LOW_LIMIT)], // atomic_pool_dma32
    [MiB, KERNEL_START], // atomic_pool_dma
  ] as const) {
    const pool = placeBlock(rng, lo, Math.min(hi, lowEnd), poolSize, lowEnd, taken);
    pools.push(pool);
    taken.push(pool);
  }
  const ghcbs: number[] = [];
  const pvPages: number[] = [];
  for (let cpu = 0; cpu < vcpus; cpu++) {
    for (const list of [ghcbs, pvPages]) {
      const page = placeBlock(rng, KERNEL_END, lowEnd, PAGE_SIZE, lowEnd, taken);
      list.push(page.start);
      if (taken.length < 256) taken.push(page);
    }
  }
  return { lowEnd, swiotlb, swiotlbAccept, kvmclock, pools, ghcbs, pvPages };
}
