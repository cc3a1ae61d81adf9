/**
 * The events the engine applies, one per step. The scenario compiler (src/scenario) turns a
 * validated scenario into this list; the engine never parses text. Addresses are bytes, sizes are
 * bytes (4096, 2 MiB, 1 GiB or any multiple of 4096).
 */

/** The kernel designs, one per file in kernels/ (registered in kernels/index.ts). */
const DESIGN_NAMES = [
  'rfc-2021',
  'hugetlb-ban-2022',
  'sequester',
  'unmap-2023',
  'upstream-2024',
  'gmem-thp-rfc',
  'gmem-1g-rfc',
  'no-snp',
] as const;

export type KernelDesign = (typeof DESIGN_NAMES)[number];
export const KERNEL_DESIGNS: readonly KernelDesign[] = DESIGN_NAMES;

export type Backing = '4k' | 'thp' | 'hugetlbfs-2m' | 'hugetlbfs-1g';
export const BACKINGS: readonly Backing[] = ['4k', 'thp', 'hugetlbfs-2m', 'hugetlbfs-1g'];

export type Allocator = 'buddy' | 'packed' | 'random';

export interface HostSpec {
  /** Usable physical ranges [start, end) in bytes (an e820 "usable" list). */
  ranges: { start: number; end: number }[];
  /**
   * How the ranges came about: 'e820-typical' when the scenario gave only `ram` (e820.ts lays it
   * out as a typical firmware map), 'ranges' when it gave them. Absent: 'ranges'.
   */
  layout?: 'e820-typical' | 'ranges';
  gbpages: boolean;
  allocator: Allocator;
  /** Bytes the host kernel has allocated at boot (taken from the allocator before step 1). */
  kernelBytes: number;
  /** Seed for the "random" allocator; the engine takes no other randomness. */
  seed: number;
  /**
   * The host kernel version whose rules apply (src/machine/linux.ts); absent means the kernel
   * design's own era (issue 14: compile fills it in from `host.linux`).
   */
  linux?: string;
  /**
   * 5-level paging (LA57): the direct map starts at 0xff11000000000000 instead of
   * 0xffff888000000000 and page tables have a p4d level (arch/x86/include/asm/page_64_types.h,
   * __PAGE_OFFSET_BASE_L5). Absent means 4-level.
   */
  la57?: boolean;
  /**
   * Step 0: "booted" (the splits a booted host has; the scenario default) or "bare" (the t≈0
   * layout; what an absent field means to the engine, so engine tests start from the layout).
   */
  boot?: 'booted' | 'bare';
  /** CONFIG_KFENCE's pool at boot (default on, as distribution kernels ship it). */
  kfence?: boolean;
  /** debug_pagealloc=on: no 2M or 1G direct-map pages at all. */
  debugPagealloc?: boolean;
  /**
   * CPU features the model asks about. hvInUseWrAllowed (CPUID Fn8000_001F, "HvInUseWrAllowed"):
   * host writes to a hypervisor-owned page the CPU is using (a running vCPU's VMCB) are allowed
   * instead of an RMP #PF. Absent means false (Milan/Genoa).
   */
  cpu?: { hvInUseWrAllowed: boolean };
  /**
   * __GFP_UNMAPPED (proposal, causes/gfp-unmapped.ts): memory the host unmaps (secretmem) comes
   * from whole 2 MiB pageblocks taken out of the direct map at once. Absent means off.
   */
  gfpUnmapped?: boolean;
}

export interface GuestSpec {
  name: string;
  memoryBytes: number;
  vcpus: number;
  backing: Backing;
  snp: boolean;
  /**
   * GUEST_MEMFD_FLAG_NO_DIRECT_MAP (proposal, kernels/gmem-no-direct-map.ts): guest RAM in
   * guest_memfd, each folio removed from the direct map. Absent means off; designs refuse it for
   * SNP VMs (kernels/caps.ts).
   */
  gmemNoDirectMap?: boolean;
}

/** Host-cause events (causes/): no guest; `count`/`size` in sizeBytes, `pfn`/`start` in pfn. */
export const HOST_OPS = [
  'bpf-load',
  'bpf-unload',
  'module-load',
  'module-unload',
  'kprobe',
  'secretmem',
  'secretmem-free',
  'hwpoison',
  'unpoison',
  'gpu-wc',
  'gpu-wb',
  'page-cache',
  'page-cache-drop',
  'hot-add',
  'hot-remove',
  'recorded-call',
] as const;
export type HostOp = (typeof HOST_OPS)[number];
const HOST_OP_SET: ReadonlySet<string> = new Set(HOST_OPS);
export const isHostOp = (op: string): op is HostOp => HOST_OP_SET.has(op);

export type EventOp =
  | 'launch'
  | 'accept'
  | 'share'
  | 'unshare'
  | 'hv-write'
  | 'host-write'
  | 'exit'
  | HostOp;

/**
 * One step. `guest` indexes MachineSpec.guests. GPA-based ops use `gpa`; host-write uses `pfn`
 * (a host frame number). `via` only matters for hv-write: through the VMM's user mapping or the
 * kernel's direct map. Host-cause ops (HOST_OPS): `sizeBytes` holds the size in bytes or the count
 * (bpf-load, bpf-unload, kprobe), `pfn` the frame (hwpoison) or first frame (hot-add, hot-remove),
 * `guest` the module's number (module-load, module-unload: names numbered by first appearance)
 * or, for recorded-call, the call's index in RECORDED_CALLS (causes/recorded.ts), `sizeBytes` its
 * page count.
 */
export interface EngineEvent {
  op: EventOp;
  guest: number;
  gpa: number;
  pfn: number;
  sizeBytes: number;
  via: 'user' | 'direct-map';
}

export interface MachineSpec {
  host: HostSpec;
  kernel: KernelDesign;
  guests: GuestSpec[];
}
