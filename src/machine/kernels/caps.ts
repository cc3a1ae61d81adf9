/**
 * What a kernel design supports that a scenario's validation must know before any engine code
 * runs (src/scenario reads this table; the engine reads the same entry from the design, whose
 * `caps` field must be this one: plugin.test.ts checks it). Kept free of engine code, like
 * KERNEL_DESIGNS in ../events.ts and DESIGN_LINUX in ../linux.ts.
 *
 * gmemNoDirectMapSnp: whether a guest the design runs as an SEV-SNP VM may ask for
 * GUEST_MEMFD_FLAG_NO_DIRECT_MAP (proposal: Patrick Roy / Nikita Kalyazin, "KVM: guest_memfd: Add
 * flag to remove from direct map", v9 20260114134510.1835-8-kalyazin@amazon.com). The series'
 * kvm_arch_gmem_supports_no_direct_map() (arch/x86/kvm/x86.c, v9 05/13,
 * 20260114134510.1835-6-kalyazin@amazon.com) is can_set_direct_map() && vm_type is neither
 * KVM_X86_TDX_VM nor KVM_X86_SNP_VM: null when allowed, else the reason shown. A guest without SNP
 * (an ordinary VM) may always ask for it.
 */
import type { KernelDesign } from '../events';

export interface DesignCaps {
  gmemNoDirectMapSnp: string | null;
}

/** Every SEV-SNP design: its SNP guests are KVM_X86_SNP_VM. */
export const SNP_VM_CAPS: DesignCaps = {
  gmemNoDirectMapSnp:
    'false for an SNP guest: kvm_arch_gmem_supports_no_direct_map() is false for KVM_X86_SNP_VM and KVM_X86_TDX_VM (their private memory is protected by the RMP / TDX module); set "snp": false, or leave gmemNoDirectMap out',
};

/** No RMP: every guest is an ordinary VM, whatever its `snp` says. */
export const NO_RMP_CAPS: DesignCaps = { gmemNoDirectMapSnp: null };

export const DESIGN_CAPS: Readonly<Record<KernelDesign, DesignCaps>> = {
  'rfc-2021': SNP_VM_CAPS,
  'hugetlb-ban-2022': SNP_VM_CAPS,
  sequester: SNP_VM_CAPS,
  'unmap-2023': SNP_VM_CAPS,
  'upstream-2024': SNP_VM_CAPS,
  'gmem-thp-rfc': SNP_VM_CAPS,
  'gmem-1g-rfc': SNP_VM_CAPS,
  'no-snp': NO_RMP_CAPS,
};

/** Why a guest (SNP or not) may not have gmemNoDirectMap under `kernel`, or null. */
export function noDirectMapRefusal(kernel: KernelDesign, snp: boolean): string | null {
  return snp ? DESIGN_CAPS[kernel].gmemNoDirectMapSnp : null;
}
