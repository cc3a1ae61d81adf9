/**
 * Host kernel versions (`host.linux` in a scenario, "6.11", "6.15", "6.12-rhel10"): the engine's
 * rules are gated by them. A version compares by major.minor; anything after (".3", "-rc2", a
 * distribution suffix) does not change the order but may select a named variant's refinements.
 * Addresses are not involved, so plain numbers suffice.
 */
import type { KernelDesign } from './events';

/** major.minor as one comparable number: 6.15 → 6015. */
export function linuxOrder(v: string): number {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : 0;
}

/** Whether kernel `v` is `min` or newer ("6.15" ≥ "6.15", "6.9" < "6.15"). */
export function linuxAtLeast(v: string, min: string): boolean {
  return linuxOrder(v) >= linuxOrder(min);
}

/**
 * Each design's era: the kernel that was current when its series was posted (or, for upstream,
 * the release that merged it). A scenario without `host.linux` runs its design's era.
 *
 * - rfc-2021: SNP host RFC Part 2 v1, posted 24 Mar 2021 during v5.12-rc4
 *   (20210324170436.31843-1-brijesh.singh@amd.com).
 * - hugetlb-ban-2022: SNP host Part 2 v6, posted 20 Jun 2022 during v5.19-rc3
 *   (b32e0daab8af130a1bda76eb06ecd2546e8478bb.1655761627.git.ashish.kalra@amd.com is its patch).
 * - sequester: Dave Hansen's contract in the RFC v1 thread (f8bf7e26-26dc-e19a-007c-40b26e0a0a45@intel.com),
 *   the RFC's kernel.
 * - unmap-2023: SNP host v10, posted 16 Oct 2023 during v6.6-rc6
 *   (20231016132819.1002933-1-michael.roth@amd.com).
 * - upstream-2024: the x86 side (adjust_direct_map, tip 661b1c6169e2) merged in 6.9, KVM's SNP
 *   host support (sev_gmem_prepare, KVM_SEV_SNP_LAUNCH_*) in 6.11.
 * - gmem-thp-rfc: Roth's RFC, posted 12 Dec 2024 during v6.13-rc2
 *   (20241212063635.712877-1-michael.roth@amd.com).
 * - gmem-1g-rfc: Ackerley Tng's RFC v2, posted 14 May 2025 during v6.15-rc6, on kvm/next.
 * - no-snp: the baseline runs today's upstream kernel of the SNP era, 6.11.
 */
export const DESIGN_LINUX: Readonly<Record<KernelDesign, string>> = {
  'rfc-2021': '5.12',
  'hugetlb-ban-2022': '5.19',
  sequester: '5.12',
  'unmap-2023': '6.6',
  'upstream-2024': '6.11',
  'gmem-thp-rfc': '6.13',
  'gmem-1g-rfc': '6.15',
  'no-snp': '6.11',
};

/** What the direct-map code of one host kernel does differently (arch/x86/mm/pat/set_memory.c). */
export interface LinuxRules {
  /** The version the rules are for, as given. */
  version: string;
  /**
   * 6.15 (commit 41d88484c71c's series): set_memory_4k() sets _PAGE_KERNEL_4K on the PTEs it
   * was given (cpa->set_mask), so each call ends in one more cpa_flush() IPI broadcast on top of
   * the per-split flush_tlb_all(); and /proc/vmstat prints direct_map_level2_collapses and
   * direct_map_level3_collapses. RHEL 10's 6.12 ("6.12-rhel10") carries the backport.
   */
  kernel4k: boolean;
  /** /proc/vmstat prints direct_map_level{2,3}_collapses (same series, 6.15). */
  collapseCounters: boolean;
}

/** Distribution kernels that carry a later kernel's direct-map rules. */
const BACKPORTS: Readonly<Record<string, string>> = { rhel10: '6.15' };

/** The version whose direct-map rules `v` follows ("6.12-rhel10" → "6.15"). */
export function effectiveLinux(v: string): string {
  const suffix = /^\d+\.\d+(?:\.\d+)?-([a-z0-9]+)/i.exec(v)?.[1]?.toLowerCase();
  const to = suffix !== undefined ? BACKPORTS[suffix] : undefined;
  return to !== undefined && linuxOrder(to) > linuxOrder(v) ? to : v;
}

/** The rules of host kernel `v` ([dm.cpa_flush], [dm.collapse_counters]). */
export function linuxRules(v: string): LinuxRules {
  const from615 = linuxAtLeast(effectiveLinux(v), '6.15');
  return { version: v, kernel4k: from615, collapseCounters: from615 };
}
