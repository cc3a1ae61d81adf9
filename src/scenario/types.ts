/**
 * The scenario format, version 2, as the rest of the app sees it after parseScenario(): every
 * default filled in, sizes in canonical kernel form ("64G", "2M", "4K", or plain bytes), addresses
 * as hex strings. A parsed scenario is itself a valid input, and parsing it again gives it back
 * unchanged (the URL round-trip relies on that).
 *
 * Compatibility contract: the meaning of a version-n scenario never changes. A new default or a
 * renamed field is a new version plus a migration in migrate.ts, so old share links replay exactly.
 */
import {
  type Allocator,
  type Backing,
  type EventOp,
  HOST_OPS,
  type KernelDesign,
} from '../machine/events';
import { GiB, MiB, TiB } from '../machine/units';

export const SCENARIO_VERSION = 2;

export type ProfileName =
  | 'linux-boot'
  | 'virtio-io'
  | 'lazy-accept'
  | 'uniform'
  | 'bpf-host'
  | 'gpu-host'
  | 'fleet-errors';
export const PROFILE_NAMES: readonly ProfileName[] = [
  'linux-boot',
  'virtio-io',
  'lazy-accept',
  'uniform',
  'bpf-host',
  'gpu-host',
  'fleet-errors',
];
export const ALLOCATORS: readonly Allocator[] = ['buddy', 'packed', 'random'];
export const EVENT_OPS: readonly EventOp[] = [
  'launch',
  'accept',
  'share',
  'unshare',
  'hv-write',
  'host-write',
  'exit',
  ...HOST_OPS,
];
export type Via = 'user' | 'direct-map';
export const VIAS: readonly Via[] = ['user', 'direct-map'];

export interface ScenarioHost {
  /** Exactly one of `ram` (one usable range [0, ram)) and `ranges` is present. */
  ram?: string;
  /** Usable physical ranges [start, end) as hex strings, like e820 "usable" lines. */
  ranges?: [string, string][];
  gbpages: boolean;
  allocator: Allocator;
  /** Host kernel memory in use at boot; absent means defaultKernelBytes(ram). */
  kernelMemory?: string;
  /** Seed of the "random" allocator; absent means the workload seed (or 0). */
  seed?: number;
  /**
   * The host kernel version whose rules apply ("6.11", "6.15", "6.12-rhel10"); parse fills in
   * the kernel design's era (DESIGN_LINUX in src/machine/linux.ts). Version 2.
   */
  linux: string;
  /** 5-level paging (LA57): the direct map at 0xff11000000000000, a p4d level. Version 2. */
  la57: boolean;
  /**
   * Step 0: "booted" (the splits of boot and early userspace; what absent means) or "bare" (the
   * layout). Defaults are left out of a parsed scenario, so links stay short.
   */
  boot?: 'booted' | 'bare';
  /** CONFIG_KFENCE's 2 MiB pool at boot (absent: true). */
  kfence?: boolean;
  /** debug_pagealloc=on: the direct map is all 4K (absent: false). */
  debug_pagealloc?: boolean;
  /** CPU features; absent means none (hvInUseWrAllowed false). */
  cpu?: { hvInUseWrAllowed: boolean };
  /**
   * __GFP_UNMAPPED (proposal): secretmem pages come from whole 2 MiB blocks taken out of the
   * direct map at once (absent: false). Version 2, additive.
   */
  gfpUnmapped?: boolean;
}

export interface ScenarioGuest {
  name: string;
  memory: string;
  vcpus: number;
  backing: Backing;
  snp: boolean;
  /**
   * GUEST_MEMFD_FLAG_NO_DIRECT_MAP (proposal): guest RAM is guest_memfd, each 4K folio removed
   * from the direct map; refused for SNP guests of an SNP design (absent: false). Version 2, additive.
   */
  gmemNoDirectMap?: boolean;
}

export interface WorkloadProfile {
  profile: ProfileName;
  weight: number;
}

export interface ScenarioWorkload {
  seed: number;
  /** Upper bound on generated events; finite profiles may stop earlier. */
  steps: number;
  profiles: WorkloadProfile[];
}

export interface ScenarioEvent {
  op: EventOp;
  /** Guest name or index into `guests`; absent only for host-write. */
  guest?: string | number;
  gpa?: string;
  pfn?: string;
  /** Canonical size; absent means 4K (launch and exit take no size). */
  size?: string;
  via?: Via;
  /** bpf-load, bpf-unload, kprobe: how many. */
  count?: number;
  /** module-load, module-unload: the module. */
  name?: string;
  /** hot-add, hot-remove: the first physical address. */
  start?: string;
  /** recorded-call: the kernel function (RECORDED_CALLS in src/machine/causes/recorded.ts). */
  call?: string;
  /** recorded-call: the top stack frame as recorded ("bpf_prog_pack_alloc", "fn [kvm]"). */
  caller?: string;
}

export interface Caption {
  step: number;
  text: string;
}

export interface Scenario {
  version: 2;
  title?: string;
  description?: string;
  host: ScenarioHost;
  kernel: KernelDesign;
  guests: ScenarioGuest[];
  workload?: ScenarioWorkload;
  events: ScenarioEvent[];
  captions: Caption[];
}

/** One problem with a scenario: where, what was found, what is allowed. */
export interface ScenarioError {
  /** `guests[1].backing`, `host.ram`, or `fragment` for URL-level problems. */
  path: string;
  /** The value found, shortened for display ("missing" when absent). */
  value: string;
  allowed: string;
  /** One readable line: `guests[1].backing: found "hugetlb"; allowed: one of ...`. */
  message: string;
}

/**
 * Hard limits. They bound what a share link can make the engine allocate: the engine's state is
 * sparse, but 16 TiB is 2^32 frames and 10 million events is already ~200 MB as packed arrays.
 */
export const LIMITS = {
  hostRamBytes: 16 * TiB,
  hostRanges: 1024,
  guests: 1024,
  vcpus: 1024,
  events: 10_000_000,
  captions: 10_000,
  captionChars: 2_000,
  titleChars: 200,
  descriptionChars: 5_000,
  nameChars: 64,
  minHostRamBytes: 16 * MiB,
  minGuestBytes: 2 * MiB,
  weight: 1_000_000,
} as const;

export const DEFAULTS = {
  gbpages: true,
  allocator: 'buddy' as Allocator,
  kernel: 'upstream-2024' as KernelDesign,
  snp: true,
  via: 'user' as Via,
  size: '4K',
} as const;

/**
 * Host kernel memory in use at boot when the scenario does not say: the struct page array
 * (64 bytes per 4 KiB frame, i.e. RAM/64, as with CONFIG_SPARSEMEM_VMEMMAP) plus 64 MiB for the
 * kernel image and early allocations, rounded up to 2 MiB, at most a quarter of RAM.
 * 4 GiB → 128 MiB, 64 GiB → 1088 MiB, 1 TiB → 16448 MiB.
 */
export function defaultKernelBytes(ramBytes: number): number {
  const want = Math.ceil((ramBytes / 64 + 64 * MiB) / (2 * MiB)) * 2 * MiB;
  return Math.min(want, Math.floor(ramBytes / 4 / 4096) * 4096);
}

export const SIZE_1G = GiB;
