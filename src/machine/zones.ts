/**
 * Host memory zones, migratetypes and the numbers the page allocator derives from them
 * (mm/page_alloc.c, mm/mmzone.c, include/linux/gfp_types.h; x86-64, one NUMA node).
 *
 * Rules (ids in rules.ts):
 * - [zone.layout] ZONE_DMA is [0, 16 MiB) (MAX_DMA_PFN), ZONE_DMA32 [16 MiB, 4 GiB)
 *   (MAX_DMA32_PFN), ZONE_NORMAL everything above; a zone with no RAM is not populated, so a host
 *   without RAM above 4 GiB has no ZONE_NORMAL. Zone boundaries are multiples of 2^MAX_PAGE_ORDER
 *   pages, so no buddy block crosses one.
 * - [zone.zonelist] GFP_KERNEL, GFP_HIGHUSER and GFP_HIGHUSER_MOVABLE all name ZONE_NORMAL (or
 *   ZONE_MOVABLE, empty here) as their highest zone; get_page_from_freelist() walks the zonelist
 *   from there down: Normal, DMA32, DMA.
 * - [zone.watermark] __setup_per_zone_wmarks(): min_free_kbytes = int_sqrt(lowmem_kbytes × 16)
 *   clamped to [128, 262144] (calculate_min_free_kbytes), shared out by managed pages; low = min +
 *   max(min / 4, managed × watermark_scale_factor (10) / 10000). The fast path takes a zone only
 *   while free − 2^order ≥ low + lowmem_reserve (zone_watermark_fast, ALLOC_WMARK_LOW).
 * - [zone.lowmem_reserve] setup_per_zone_lowmem_reserve(): a lower zone keeps back the managed
 *   pages of the zones above it divided by sysctl_lowmem_reserve_ratio (256 for DMA and DMA32)
 *   from allocations that could have used those upper zones. On a big host DMA's reserve exceeds
 *   its size: the first 16 MiB are used only once every zone is below its watermark.
 * - [pcp.high] zone_batchsize(): batch = rounddown_pow_of_two(b + b / 2) − 1 with b =
 *   min(managed / 1024, 256) / 4, so 63 on any zone of 1 GiB or more. zone_highsize() (5.14+):
 *   high = low watermark / CPUs of the node, at least 4 × batch. Since 6.7 pcp->high is tuned at
 *   run time between that (high_min) and managed / 8 / CPUs (high_max) and decays back to high_min
 *   every second (decay_pcp_high from vmstat_update); the model has no clock, so it keeps high_min,
 *   the value an idle host settles at, and it refills with batch >> order pages (nr_pcp_alloc
 *   without the 6.7 alloc_factor doubling) and frees batch pages at a time (nr_pcp_free without
 *   free_count scaling).
 * The model's own assumption: HOST_CPUS online CPUs (the scenario has no host CPU count).
 */
import { USE_GMEM, USE_VMM } from './frame-bits';

export const ZONE_DMA = 0;
export const ZONE_DMA32 = 1;
export const ZONE_NORMAL = 2;
export const NR_ZONES = 3;
export type ZoneId = 0 | 1 | 2;
export const ZONE_NAMES = ['DMA', 'DMA32', 'Normal'] as const;

/** MAX_DMA_PFN (16 MiB) and MAX_DMA32_PFN (4 GiB) in 4K frames (arch/x86/include/asm/dma.h). */
export const MAX_DMA_PFN = 4096;
export const MAX_DMA32_PFN = 0x100000;

export function zoneOfPfn(pfn: number): ZoneId {
  return pfn < MAX_DMA_PFN ? ZONE_DMA : pfn < MAX_DMA32_PFN ? ZONE_DMA32 : ZONE_NORMAL;
}

/** enum migratetype: the two the model allocates (no RECLAIMABLE, HIGHATOMIC, CMA, ISOLATE). */
export const MIGRATE_UNMOVABLE = 0;
export const MIGRATE_MOVABLE = 1;
export type Migratetype = 0 | 1;
export const MIGRATETYPE_NAMES = ['Unmovable', 'Movable'] as const;

/** pageblock_order = HPAGE_PMD_ORDER on x86-64: 2 MiB pageblocks. */
export const PAGEBLOCK_ORDER = 9;
export const PAGEBLOCK_PAGES = 512;
export const PAGE_ALLOC_COSTLY_ORDER = 3;

/** pcp_allowed_order(): orders up to PAGE_ALLOC_COSTLY_ORDER and the THP order use the pcp. */
export function pcpAllowedOrder(order: number): boolean {
  return order <= PAGE_ALLOC_COSTLY_ORDER || order === PAGEBLOCK_ORDER;
}

/** NR_PCP_LISTS for two migratetypes: 4 low orders × 2, plus THP unmovable and movable. */
export const NR_PCP_LISTS = 10;

/** order_to_pindex(): (MIGRATE_PCPTYPES' index) × order + migratetype; THP lists last. */
export function orderToPindex(mt: Migratetype, order: number): number {
  return order > PAGE_ALLOC_COSTLY_ORDER ? 8 + mt : 2 * order + mt;
}

export function pindexToOrder(pindex: number): number {
  return pindex >= 8 ? PAGEBLOCK_ORDER : pindex >> 1;
}

/** An allocation's gfp flags, as far as placement reads them (gfp_migratetype, gfp_zone). */
export interface Gfp {
  readonly name: 'GFP_KERNEL' | 'GFP_HIGHUSER' | 'GFP_HIGHUSER_MOVABLE';
  readonly migratetype: Migratetype;
}

export const GFP_KERNEL: Gfp = { name: 'GFP_KERNEL', migratetype: MIGRATE_UNMOVABLE };
/** guest_memfd: mapping_set_gfp_mask(GFP_HIGHUSER) and mapping_set_unmovable (virt/kvm/guest_memfd.c). */
export const GFP_HIGHUSER: Gfp = { name: 'GFP_HIGHUSER', migratetype: MIGRATE_UNMOVABLE };
/** The VMM's anonymous memory, THP (GFP_TRANSHUGE) and 2M hugetlb (htlb_alloc_mask). */
export const GFP_HIGHUSER_MOVABLE: Gfp = {
  name: 'GFP_HIGHUSER_MOVABLE',
  migratetype: MIGRATE_MOVABLE,
};

/** What a host frame's use says about how it was allocated (frame-bits.ts USE_*). */
export function gfpForUse(use: number): Gfp {
  if (use === USE_VMM) return GFP_HIGHUSER_MOVABLE;
  return use === USE_GMEM ? GFP_HIGHUSER : GFP_KERNEL;
}

/** Online CPUs of the host (one node); the pcp high limit is split across them. */
export const HOST_CPUS = 64;
/** sysctl_lowmem_reserve_ratio for DMA, DMA32 (Normal's applies to no zone above it here). */
export const LOWMEM_RESERVE_RATIO = [256, 256, 32] as const;
export const WATERMARK_SCALE_FACTOR = 10;

export interface ZoneParams {
  managed: number;
  wmarkMin: number;
  wmarkLow: number;
  /** lowmem_reserve[ZONE_NORMAL] of this zone (ZONE_MOVABLE's is the same: it is empty). */
  lowmemReserve: number;
  batch: number;
  /** pcp->high (high_min). */
  pcpHigh: number;
}

function roundDownPow2(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** zone_batchsize() with the max(1, …) of zone_set_pageset_high_and_batch(). */
export function zoneBatchsize(managed: number): number {
  let b = Math.floor(Math.min(Math.floor(managed / 1024), 256) / 4);
  if (b < 1) b = 1;
  return Math.max(1, roundDownPow2(b + Math.floor(b / 2)) - 1);
}

/** calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), clamped to [128, 262144]. */
export function minFreeKbytes(lowmemPages: number): number {
  return Math.min(Math.max(Math.floor(Math.sqrt(lowmemPages * 4 * 16)), 128), 262144);
}

/** Watermarks, lowmem reserves and pcp sizes of the three zones from their managed pages. */
export function zoneParams(managed: readonly number[], cpus = HOST_CPUS): ZoneParams[] {
  const lowmem = managed.reduce((s, n) => s + n, 0);
  const pagesMin = Math.floor(minFreeKbytes(lowmem) / 4);
  return managed.map((n, z) => {
    const wmarkMin = lowmem > 0 ? Math.floor((pagesMin * n) / lowmem) : 0;
    const wmarkLow =
      wmarkMin +
      Math.max(Math.floor(wmarkMin / 4), Math.floor((n * WATERMARK_SCALE_FACTOR) / 10000));
    let above = 0;
    for (let u = z + 1; u < NR_ZONES; u++) above += managed[u]!;
    const lowmemReserve = n > 0 ? Math.floor(above / LOWMEM_RESERVE_RATIO[z]!) : 0;
    const batch = zoneBatchsize(n);
    const pcpHigh = Math.max(Math.floor(wmarkLow / cpus), batch * 4);
    return { managed: n, wmarkMin, wmarkLow, lowmemReserve, batch, pcpHigh };
  });
}

/** nr_pcp_alloc() without alloc_factor: batch pages for order 0, max(batch >> order, 2) above. */
export function nrPcpAlloc(batch: number, order: number): number {
  return batch > 1 ? Math.max(Math.floor(batch / 2 ** order), 2) : 1;
}
