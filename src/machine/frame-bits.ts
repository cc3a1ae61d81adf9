/**
 * Bit layouts of the per-page words (stored in RegionWords; all below 2^31).
 *
 * Host frame word: the frame's RMP entry bits (RMP_*), whether the kernel has removed it from the
 * direct map, what the frame is used for (USE_*) and which guest owns it. The RMP's ASID comes
 * from the owner (guest index + 1) and its GPA from the frame → gfn map. Which RMP entry size
 * holds a frame is the region's `rmp2m` flag, exactly as the hardware takes the page size from
 * the entry of the 2M-aligned PFN.
 */

/** struct rmpentry: assigned. */
export const RMP_ASSIGNED = 1;
/** struct rmpentry: validated (set by the guest's PVALIDATE). */
export const RMP_VALIDATED = 2;
/** struct rmpentry: immutable (firmware pages). */
export const RMP_IMMUTABLE = 4;
/** struct rmpentry: VMSA page. */
export const RMP_VMSA = 8;
/** The frame's direct-map PTE is not present (set_direct_map_invalid_noflush). */
export const DM_UNMAPPED = 16;
/**
 * Not an RMP field: the CPU is using this hypervisor-owned page (a running vCPU's VMCB, an AVIC
 * backing page), the "in use" state of APM vol. 2 "RMP and VMPL access checks" ([rmp.check.inuse]).
 */
export const RMP_INUSE = 32;

export const USE_SHIFT = 8;
export const USE_MASK = 0xf << USE_SHIFT;
export const USE_HOLE = 0;
export const USE_FREE = 1;
export const USE_KERNEL = 2;
export const USE_PAGETABLE = 3;
/** The VMM's memory for guest RAM (the only backing before guest_memfd; the shared side after). */
export const USE_VMM = 4;
/** guest_memfd private memory. */
export const USE_GMEM = 5;
/** A page of the sequestered shared area. */
export const USE_SEQ = 6;
export const USE_FIRMWARE = 7;
/** The RMP table: reserved in the e820 map by the BIOS, never in the direct map ([snp.rmp_table]). */
export const USE_RMPTABLE = 8;
/** Kernel memory a host cause holds (module text, BPF images, secretmem, page cache…): owner = cause slot. */
export const USE_CAUSE = 9;
export const USE_NAMES = [
  'hole',
  'free',
  'kernel',
  'page-table',
  'vmm',
  'gmem',
  'sequestered',
  'firmware',
  'rmp-table',
  'host cause',
] as const;

/**
 * The direct-map PTE attributes the CPA rules compare (cpa.ts; bits 24–27, above the owner): a
 * large mapping is uniform in them, and a split region collapses only when its 512 PTEs agree.
 */
export const DM_RO = 1 << 24;
export const DM_WC = 1 << 25;
export const DM_UC = 1 << 26;
export const DM_DECRYPTED = 1 << 27;
export const DM_ATTRS = DM_UNMAPPED | DM_RO | DM_WC | DM_UC | DM_DECRYPTED;

export const OWNER_SHIFT = 12;
export const OWNER_MASK = 0x3ff << OWNER_SHIFT;

export function frameWord(use: number, owner = 0, flags = 0): number {
  return (use << USE_SHIFT) | (owner << OWNER_SHIFT) | flags;
}
export const frameUse = (w: number): number => (w & USE_MASK) >> USE_SHIFT;
export const ownerOf = (w: number): number => (w & OWNER_MASK) >> OWNER_SHIFT;

/** Guest page word (one per GPA page of one guest). */
/** KVM memory attribute private (the guest's last page state change). */
export const G_PRIVATE = 1;
/** The guest has PVALIDATEd the page. */
export const G_VALIDATED = 2;
/** The page has a frame in the VMM's backing (backingMap is meaningful). */
export const G_BACKED = 4;
/** The page has a guest_memfd frame (gmem designs) or a sequestered shared frame (gmemMap). */
export const G_GMEM = 8;

/** VMM user mapping of a 2 MiB GPA chunk. */
export const MAP_NONE = 0;
export const MAP_4K = 1;
export const MAP_THP = 2;
export const MAP_HUGETLB_2M = 3;
export const MAP_HUGETLB_1G = 4;
export const MAP_NAMES = ['none', '4K', 'THP 2M', 'hugetlbfs 2M', 'hugetlbfs 1G'] as const;

/** x86 #PF error code bits (arch/x86/include/asm/trap_pf.h). */
export const PF_PROT = 1;
export const PF_WRITE = 2;
export const PF_USER = 4;
/** X86_PF_RMP is bit 31: kept as a plain number, never or-ed with JS bitwise operators. */
export const PF_RMP = 0x80000000;
