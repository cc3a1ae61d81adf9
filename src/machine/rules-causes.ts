/**
 * The rule table, second part: the CPA rules every host cause shares, the causes, the SNP
 * host's own traffic and later additions (rules.ts joins the parts in order: new rules go
 * at the end of this part).
 */
import { ELIXIR, LORE, type RuleText } from './rule-text';
import { PROPOSAL_RULES, PROPOSAL_RULES_LATER } from './rules-proposals';

export const CAUSE_RULES = {
  'cpa.alias': {
    title: 'Alias propagation to the direct map',
    source: 'cpa_process_alias() in arch/x86/mm/pat/set_memory.c',
    url: `${ELIXIR}arch/x86/mm/pat/set_memory.c`,
    explain:
      'A change on a vmalloc or module address is applied to the direct-map alias of the same page for ro/rw, np/p, cache mode and encryption, not for x/nx.',
  },
  'cpa.preserve': {
    title: 'Large page preserved',
    source: 'try_preserve_large_page() in arch/x86/mm/pat/set_memory.c',
    url: `${ELIXIR}arch/x86/mm/pat/set_memory.c`,
    explain:
      'A 2M or 1G mapping keeps its size when the change leaves its attributes unchanged or covers the whole large page; otherwise it splits 1G→2M→4K.',
  },
  'cpa.kernel_4k': {
    title: 'set_memory_4k marks the PTEs _PAGE_KERNEL_4K',
    source: 'set_memory_4k() in arch/x86/mm/pat/set_memory.c (v6.15, 41d88484c71c)',
    url: 'https://elixir.bootlin.com/linux/v6.15/source/arch/x86/mm/pat/set_memory.c',
    explain:
      'A region split by set_memory_4k() carries _PAGE_KERNEL_4K and never collapses, even when its 512 PTEs agree.',
    kernels: '6.15+',
  },
  'cpa.collapse.pmd': {
    title: 'Direct map 4K → 2M collapse',
    source:
      'cpa_collapse_large_pages() → collapse_pmd_page() in arch/x86/mm/pat/set_memory.c (41d88484c71c)',
    url: 'https://elixir.bootlin.com/linux/v6.15/source/arch/x86/mm/pat/set_memory.c',
    explain:
      'After set_memory_rox(), a split 2 MiB region whose 512 PTEs are present, contiguous and equal in flags becomes one 2M leaf again: direct_map_level2_collapses + 1.',
    kernels: '6.15+',
  },
  'cpa.collapse.pud': {
    title: 'Direct map 2M → 1G collapse',
    source: 'collapse_pud_page() in arch/x86/mm/pat/set_memory.c (41d88484c71c)',
    url: 'https://elixir.bootlin.com/linux/v6.15/source/arch/x86/mm/pat/set_memory.c',
    explain:
      'After a 2M collapse, with gbpages, a 1 GiB block whose 512 PMDs are leaves with equal flags becomes one 1G leaf: direct_map_level3_collapses + 1.',
    kernels: '6.15+',
  },
  'cpa.vmstat.running': {
    title: 'vmstat counts only after SYSTEM_RUNNING',
    source:
      'split_page_count() in arch/x86/mm/pat/set_memory.c; Saravanan D, 20210218235744.1040634-1-saravanand@fb.com',
    url: `${LORE}20210218235744.1040634-1-saravanand@fb.com/`,
    explain:
      'Splits made while booting move DirectMap* in /proc/meminfo but not direct_map_level{2,3}_splits in /proc/vmstat.',
  },
  'boot.rodata': {
    title: 'Kernel text and rodata protection',
    source: 'mark_rodata_ro() and free_kernel_image_pages() in arch/x86/mm/init_64.c',
    url: `${ELIXIR}arch/x86/mm/init_64.c`,
    explain:
      'Before SYSTEM_RUNNING the kernel makes its text and rodata read-only and frees the gaps; the direct-map alias splits at the unaligned edges.',
  },
  'boot.iommu': {
    title: 'IOMMU 4K buffers on an SNP host',
    source:
      'iommu_snp_enable() / amd_iommu: snp_make_page_shared() on the event, PPR and completion-wait buffers (drivers/iommu/amd/init.c)',
    url: `${ELIXIR}drivers/iommu/amd/init.c`,
    explain:
      'With SNP enabled the AMD IOMMU driver splits the direct map to 4K around its buffers before they are shared with the RMP.',
  },
  'boot.debug_pagealloc': {
    title: 'debug_pagealloc: no large direct-map pages',
    source: 'probe_page_size_mask() in arch/x86/mm/init.c',
    url: `${ELIXIR}arch/x86/mm/init.c`,
    explain:
      'With debug_pagealloc the kernel enables neither 2M nor 1G pages: the whole direct map is 4K from boot, and no split event ever happens.',
  },
  'kfence.pool': {
    title: 'KFENCE pool split to 4K',
    source:
      'kfence_init_pool() → arch_kfence_init_pool() → set_memory_4k() (arch/x86/include/asm/kfence.h, mm/kfence/core.c)',
    url: `${ELIXIR}arch/x86/include/asm/kfence.h`,
    explain:
      'KFENCE maps its pool (2 MiB by default) with 4K pages so it can protect single pages; the pool is set up before SYSTEM_RUNNING and never heals.',
  },
  'module.rwx': {
    title: 'Module text and rodata made read-only',
    source: 'module_enable_rodata_ro() / module_enable_text_rox() in kernel/module/strict_rwx.c',
    url: `${ELIXIR}kernel/module/strict_rwx.c`,
    explain:
      "STRICT_MODULE_RWX: set_memory_ro/rox on every page of a module's text and rodata; the direct-map alias of each scattered 4K page splits its 2 MiB region.",
  },
  'module.rox_cache': {
    title: 'execmem ROX cache',
    source:
      'execmem_cache_populate() in mm/execmem.c (20241023162711.2579610-1-rppt@kernel.org; 6.13, off in a9bbe3413331, back in 6.15)',
    url: `${LORE}20241023162711.2579610-1-rppt@kernel.org/`,
    explain:
      'Module text comes from 2 MiB huge pages filled with traps and set ROX once: the alias stays a whole 2M (at most a 1G→2M split) and heals by CPA_COLLAPSE.',
    kernels: '6.13, 6.15+',
  },
  'module.unload': {
    title: 'Module memory freed with VM_FLUSH_RESET_PERMS',
    source: 'vfree() → vm_reset_perms() → set_area_direct_map() in mm/vmalloc.c',
    url: `${ELIXIR}mm/vmalloc.c`,
    explain:
      'The direct-map alias of each page is reset to default (RW, present); the splits stay, since nothing collapses without set_memory_rox.',
  },
  'bpf.jit': {
    title: 'BPF JIT image read-only and executable',
    source: 'bpf_jit_binary_lock_ro() in include/linux/filter.h (before bpf_prog_pack, 5.18)',
    url: `${ELIXIR}include/linux/filter.h`,
    explain:
      "Each program's JIT image is one vmalloc page made RO+X: the RO reaches the direct-map alias and splits its 2 MiB region (and 1 GiB block).",
    kernels: '≤5.17',
  },
  'bpf.pack': {
    title: 'bpf_prog_pack',
    source: 'bpf_prog_pack_alloc() in kernel/bpf/core.c (20220204185742.271030-1-song@kernel.org)',
    url: `${LORE}20220204185742.271030-1-song@kernel.org/`,
    explain:
      'Programs share 2 MiB packs made RO+X once: the alias of a whole 2 MiB changes in place, so loading programs splits about nothing.',
    kernels: '5.18+',
  },
  'kprobe.insn': {
    title: 'kprobe / ftrace trampoline page',
    source:
      'alloc_insn_page() → execmem_alloc(EXECMEM_KPROBES) + set_memory_rox() in arch/x86/kernel/kprobes/core.c',
    url: `${ELIXIR}arch/x86/kernel/kprobes/core.c`,
    explain:
      'Each kprobe instruction slot page is a vmalloc page set ROX (its alias splits); from 6.17 (unconfirmed) kprobes and ftrace take the execmem ROX cache.',
  },
  'secretmem.fault': {
    title: 'secretmem page removed from the direct map',
    source: 'secretmem_fault() → set_direct_map_invalid_noflush() in mm/secretmem.c',
    url: `${ELIXIR}mm/secretmem.c`,
    explain:
      'memfd_secret memory leaves the direct map one 4K page at a time, splitting its region; on by default since 6.5 (b758fe6df50d).',
  },
  'secretmem.free': {
    title: 'secretmem page back in the direct map',
    source: 'secretmem_free_folio() → set_direct_map_default_noflush() in mm/secretmem.c',
    url: `${ELIXIR}mm/secretmem.c`,
    explain:
      'The page is mapped again on free; the split stays (no collapse without set_memory_rox).',
  },
  'hwpoison.nospec': {
    title: 'Poisoned page unmapped',
    source:
      'set_mce_nospec() → set_memory_np() in arch/x86/kernel/cpu/mce/core.c (20220420020435.90326-4-jane.chu@oracle.com)',
    url: `${LORE}20220420020435.90326-4-jane.chu@oracle.com/`,
    explain:
      'An uncorrectable memory error removes the whole page from the direct map so speculation cannot touch it: one split chain per error.',
  },
  'hwpoison.clear': {
    title: 'Poisoned page restored',
    source: 'clear_mce_nospec() → set_memory_p() (unpoison)',
    url: `${ELIXIR}arch/x86/kernel/cpu/mce/core.c`,
    explain: 'On recovery the page is mapped again; the split stays.',
  },
  'ttm.caching': {
    title: 'GPU buffer caching change',
    source:
      'ttm_pool_alloc() → set_pages_array_wc()/uc(), ttm_pool_free() → set_pages_array_wb() in drivers/gpu/drm/ttm/ttm_pool.c',
    url: `${ELIXIR}drivers/gpu/drm/ttm/ttm_pool.c`,
    explain:
      'Write-combined or uncached buffers in system RAM change the cache mode of their direct-map pages, splitting where a buffer does not cover a whole 2 MiB.',
  },
  'hotplug.add': {
    title: 'Memory hot-add',
    source: 'arch_add_memory() → init_memory_mapping() in arch/x86/mm/init_64.c',
    url: `${ELIXIR}arch/x86/mm/init_64.c`,
    explain:
      'A hot-added block is mapped at 2M/1G by alignment, like boot memory: DirectMap* grows, nothing splits.',
  },
  'hotplug.remove': {
    title: 'Memory hot-remove',
    source: 'arch_remove_memory() → remove_pagetable() in arch/x86/mm/init_64.c',
    url: `${ELIXIR}arch/x86/mm/init_64.c`,
    explain: 'Removing a block clears its direct-map leaves: DirectMap* shrinks, nothing splits.',
  },
  'pagecache.fill': {
    title: 'Page cache fills RAM',
    source: 'filemap_add_folio() / shrink_page_list() in mm/filemap.c, mm/vmscan.c',
    url: `${ELIXIR}mm/vmscan.c`,
    explain:
      'File pages take free memory; reclaim frees them in LRU order, leaving free pages scattered, so later small allocations land all over RAM as on an aged host.',
  },
  'gmem.no_direct_map': PROPOSAL_RULES['gmem.no_direct_map'],
  'gfp.unmapped': PROPOSAL_RULES['gfp.unmapped'],
  'snp.rmp_table': {
    title: 'RMP table reserved in the e820 map',
    source:
      'snp_probe_rmptable_info(), __snp_fixup_e820_tables(), snp_rmptable_init() in arch/x86/virt/svm/sev.c',
    url: `${ELIXIR}arch/x86/virt/svm/sev.c`,
    explain:
      'The BIOS reserves 16 bytes per 4K page plus 16 KiB for the RMP; the kernel widens an unaligned end to 2 MiB. Reserved memory is never in the direct map.',
    kernels: '6.9+',
  },
  'snp.tmr': {
    title: 'Legacy TMR made firmware-owned',
    source:
      '__sev_snp_init_locked() (SNP_TMR_SIZE), sev_fw_alloc(), rmp_mark_pages_firmware() in drivers/crypto/ccp/sev-dev.c',
    url: `${ELIXIR}drivers/crypto/ccp/sev-dev.c`,
    explain:
      'When ccp and kvm_amd load, a 2 MiB TMR is allocated and made firmware-owned with 512 4K immutable RMPUPDATEs; each splits the direct map on demand.',
    kernels: '6.9+',
  },
  'snp.fw_page': {
    title: 'Firmware page (snp_alloc_firmware_page)',
    source:
      'snp_alloc_firmware_page() in drivers/crypto/ccp/sev-dev.c; snp_context_create(), snp_guest_req_init() in arch/x86/kvm/svm/sev.c',
    url: `${ELIXIR}drivers/crypto/ccp/sev-dev.c`,
    explain:
      'One page made firmware-owned by a 4K immutable RMPUPDATE: the platform-status page at load, and per guest the context page and the guest-request response page.',
    kernels: '6.11+',
  },
  'snp.safe_alloc': {
    title: 'SNP-safe page (erratum workaround)',
    source: 'snp_safe_alloc_page_node() in arch/x86/kvm/svm/sev.c',
    url: `${ELIXIR}arch/x86/kvm/svm/sev.c`,
    explain:
      'VMCB, VMSA and APIC backing pages: allocate two pages, keep the one that is not 2 MiB aligned, free the other (a 2MB-aligned one can raise a false RMP #PF).',
    kernels: '6.11+',
  },
  'snp.launch_update': {
    title: 'Launch image measured (SNP_LAUNCH_UPDATE)',
    source:
      'snp_launch_update() → kvm_gmem_populate() → sev_gmem_post_populate() in arch/x86/kvm/svm/sev.c',
    url: `${ELIXIR}arch/x86/kvm/svm/sev.c`,
    explain:
      'Each page of the launch image (OVMF) becomes guest-owned by a 4K immutable RMPUPDATE, then guest-valid: 4K updates that split the direct map on demand.',
    kernels: '6.11+',
  },
  'snp.vmsa': {
    title: 'VMSA made private at launch finish',
    source:
      'snp_launch_update_vmsa(): rmp_make_private(pfn, INITIAL_VMSA_GPA, PG_LEVEL_4K, asid, true) in arch/x86/kvm/svm/sev.c',
    url: `${ELIXIR}arch/x86/kvm/svm/sev.c`,
    explain:
      "At SNP_LAUNCH_FINISH each vCPU's VMSA page is assigned to the guest with a 4K RMPUPDATE (the VMSA bit set by the firmware): one split on demand per region.",
    kernels: '6.11+',
  },
  'rmp.check.inuse': {
    title: 'Write to an in-use page',
    source:
      'AMD APM vol. 2 "RMP and VMPL access checks"; HvInUseWrAllowed, lore 20241104075845.7583-1-suravee.suthikulpanit@amd.com',
    url: `${LORE}20241104075845.7583-1-suravee.suthikulpanit@amd.com/`,
    explain:
      'A host write to a hypervisor-owned page the CPU is using (a running VMCB, an AVIC backing page) faults unless the CPU has HvInUseWrAllowed; without it KVM turns AVIC off on SNP hosts.',
    kernels: '6.13+ (AVIC policy); the check is hardware',
  },
  'gmem.huge_folio': {
    title: 'guest_memfd huge folio by file index',
    source:
      'kvm_gmem_get_huge_folio(…, PMD_ORDER), gmem THP RFC (lore 20241212063635.712877-1-michael.roth@amd.com); sev_gmem_prepare() in arch/x86/kvm/svm/sev.c',
    url: `${LORE}20241212063635.712877-1-michael.roth@amd.com/`,
    explain:
      'The first touch of a 2 MiB file range allocates its whole folio; preparation writes one 2M RMP entry (no direct-map split). A 4K PVALIDATE then PSMASHes it.',
    kernels: 'RFC (Dec 2024, May 2025)',
  },
  'recorded.call': {
    title: 'Recorded call replayed',
    source:
      'the call a fracture-record.sh --trace line names (set_memory_ro/rox/np/4k/uc/wc/wb, set_direct_map_*_noflush, set_mce_nospec), through change_page_attr_set_clr() in arch/x86/mm/pat/set_memory.c',
    url: `${ELIXIR}arch/x86/mm/pat/set_memory.c`,
    explain:
      'A call recorded on a real host, replayed on its direct-map frames: it splits and collapses by the same CPA rules and version gates as a modelled cause.',
    kernels: 'every version modelled (the CPA rules it goes through carry their own gates)',
  },
  ...PROPOSAL_RULES_LATER,
} as const satisfies Record<string, RuleText>;
