/**
 * Every hardware and kernel rule the engine applies, with its source. Outcomes carry a rule id
 * so the UI can explain what fired and link to the code or the manual. RuleId is derived from
 * this table, and every emit site takes a RuleId, so an unregistered id does not compile. New
 * rules go at the end: an outcome log stores a rule's index in this table.
 */

export interface RuleText {
  title: string;
  /** Kernel function (with file) or AMD instruction the rule models. */
  source: string;
  url: string;
  explain: string;
  /** Kernel versions the rule holds for (e.g. '6.15+'); absent: every version modelled. */
  kernels?: string;
  /** A proposal's rule, never merged (rules-proposals.ts); absent: merged behaviour. */
  status?: 'proposal';
}

export type RuleId = keyof typeof TABLE;

export interface Rule extends RuleText {
  id: RuleId;
}

import { PROPOSAL_RULES, PROPOSAL_RULES_LATER } from './rules-proposals';

const ELIXIR = 'https://elixir.bootlin.com/linux/v6.12/source/';
const LORE = 'https://lore.kernel.org/all/';

const TABLE = {
  'dm.boot': {
    title: 'Boot-time direct map layout',
    source: 'split_mem_range(), init_memory_mapping() in arch/x86/mm/init.c',
    url: `${ELIXIR}arch/x86/mm/init.c`,
    explain:
      'RAM is mapped with 1G pages where aligned (2M without gbpages), 4K at unaligned edges; the first 2 MiB is 4K.',
  },
  'dm.split.pud': {
    title: 'Direct map 1G → 2M split',
    source: '__split_large_page() in arch/x86/mm/pat/set_memory.c',
    url: `${ELIXIR}arch/x86/mm/pat/set_memory.c`,
    explain:
      'A 1 GiB mapping becomes 512 × 2M: one page-table page, a global TLB flush, direct_map_level3_splits + 1.',
  },
  'dm.split.pmd': {
    title: 'Direct map 2M → 4K split',
    source: '__split_large_page() in arch/x86/mm/pat/set_memory.c',
    url: `${ELIXIR}arch/x86/mm/pat/set_memory.c`,
    explain:
      'A 2 MiB mapping becomes 512 × 4K: one page-table page, a global TLB flush, direct_map_level2_splits + 1. It never collapses again.',
  },
  'rfc.presplit': {
    title: 'Pre-split before RMPUPDATE (RFC 2021)',
    source: 'set_memory_4k() before rmpupdate(), RFC Part2 04/30',
    url: `${LORE}20210324170436.31843-5-brijesh.singh@amd.com/`,
    explain:
      'Every page added to the RMP is first forced to a 4K direct mapping, so host writes next to it cannot fault.',
  },
  'upstream.adjust_direct_map': {
    title: 'Split on demand (adjust_direct_map)',
    source:
      'adjust_direct_map() in arch/x86/virt/svm/sev.c (x86 side merged in 6.9; KVM SNP host support in 6.11)',
    url: `${LORE}20240126041126.1927228-12-michael.roth@amd.com/`,
    explain:
      'Each 4K RMPUPDATE splits the direct mapping that covers the page down to 4K; a 2M RMPUPDATE never splits.',
    kernels: '6.9+ (x86), used by KVM from 6.11',
  },
  'unmap.invalidate': {
    title: 'Private page removed from the direct map',
    source:
      'invalidate_direct_map() → set_direct_map_invalid_noflush(), restore_direct_map() → set_direct_map_default_noflush() in rmpupdate() (SNP host Part 2 v5/v6 and v8–v10; v10 12/50)',
    url: `${LORE}20231016132819.1002933-13-michael.roth@amd.com/`,
    explain:
      'An assigned page is made not-present in the direct map (splitting any large mapping over it) and made present again when it is reclaimed. The _noflush calls flush only to split (v10: 2 flushes for a 4K page inside a 1G mapping); v7 used set_memory_np()/set_memory_p(), one more flush per call. A kernel write to the page then takes a not-present fault.',
    kernels: 'SNP host series v5/v6 (hugetlb-ban-2022) and v8–v10 (unmap-2023), never merged',
  },
  'rmp.check.write': {
    title: 'RMP check on a host write',
    source: 'AMD APM vol. 2 §15.36.10; adjust_direct_map() comment in arch/x86/virt/svm/sev.c',
    url: `${ELIXIR}arch/x86/virt/svm/sev.c`,
    explain:
      'Through a 4K mapping a write faults iff that page is assigned; through a 2M or 1G mapping iff any page of the 2 MiB region hit is assigned.',
  },
  'rmp.rmpupdate': {
    title: 'RMPUPDATE',
    source: 'RMPUPDATE instruction; rmpupdate() in arch/x86/virt/svm/sev.c',
    url: `${ELIXIR}arch/x86/virt/svm/sev.c`,
    explain:
      'Writes an RMP entry. A 2M entry needs a 2M-aligned PFN with all 512 entries unassigned (else FAIL_OVERLAP).',
  },
  'rmp.psmash': {
    title: 'PSMASH',
    source: 'PSMASH instruction; psmash() in arch/x86/virt/svm/sev.c',
    url: `${ELIXIR}arch/x86/virt/svm/sev.c`,
    explain:
      'Splits one 2M RMP entry into 512 4K entries with the same validated state, so one page can change.',
  },
  'rmp.npf.sizem': {
    title: 'NPT/RMP size mismatch',
    source: 'sev_handle_rmp_fault() in arch/x86/kvm/svm/sev.c (PFERR_GUEST_SIZEM)',
    url: `${ELIXIR}arch/x86/kvm/svm/sev.c`,
    explain:
      'A 4K guest access or PVALIDATE inside a 2M RMP entry exits to KVM, which PSMASHes the entry.',
  },
  'rfc.thp_split': {
    title: 'THP split on a user RMP fault',
    source: 'handle_user_rmp_page_fault() → split_huge_pmd(), RFC Part2 07/30',
    url: `${LORE}20210324170436.31843-8-brijesh.singh@amd.com/`,
    explain:
      'The VMM wrote through a 2M THP mapping that covers a private page: the PMD is split to 4K and the write retried.',
  },
  'rfc.hugetlb_sigbus': {
    title: 'hugetlbfs cannot split: SIGBUS',
    source: 'RFC Part2 07/30; Dave Hansen, 25 Mar 2021',
    url: `${LORE}0edd1350-4865-dd71-5c14-3d57c784d62d@intel.com/`,
    explain:
      'A hugetlbfs mapping cannot be split, so the RMP fault cannot be resolved: the VMM gets SIGBUS and the guest dies. That is the stated intent of 07/30 and what is shown; the posted code refaults forever instead, because it asks for the split with FAULT_FLAG_PAGE_SPLIT, which hugetlb_fault() ignores, so the write is retried on the same huge mapping without end.',
  },
  'rmp.user_private': {
    title: 'VMM wrote a private page',
    source: 'handle_user_rmp_page_fault(), RFC Part2 07/30',
    url: `${LORE}20210324170436.31843-8-brijesh.singh@amd.com/`,
    explain: 'A 4K user mapping of an assigned page faults and cannot be fixed: SIGBUS.',
  },
  'rmp.kernel_oops': {
    title: 'RMP violation on a kernel address',
    source: 'show_fault_oops() / dump_rmpentry() in arch/x86/mm/fault.c, arch/x86/virt/svm/sev.c',
    url: `${LORE}20231230161954.569267-10-michael.roth@amd.com/`,
    explain:
      'The kernel wrote through its direct map into a region with an assigned page: the host oopses after dumping the RMP entries.',
  },
  'ban.hugetlb': {
    title: 'hugetlbfs refused at registration',
    source: 'SNP host Part 2 v6 (Jun 2022): fail KVM_MEMORY_ENCRYPT_REG_REGION for hugetlb',
    url: `${LORE}b32e0daab8af130a1bda76eb06ecd2546e8478bb.1655761627.git.ashish.kalra@amd.com/`,
    explain:
      'Memory that cannot be split is refused when the VMM registers it: the VM fails to start instead of dying later.',
  },
  'seq.move': {
    title: 'Sequestered sharing',
    source: "Dave Hansen's proposed contract in the RFC v1 review, 2021 (never merged)",
    url: `${LORE}f8bf7e26-26dc-e19a-007c-40b26e0a0a45@intel.com/`,
    explain:
      'The guest announces a share; the host backs that GPA with a page from one dedicated shared area, so guest regions never mix.',
  },
  'gmem.alloc': {
    title: 'guest_memfd allocation',
    source: 'kvm_gmem_get_folio() in virt/kvm/guest_memfd.c',
    url: `${ELIXIR}virt/kvm/guest_memfd.c`,
    explain:
      'Private memory comes from guest_memfd; upstream allocates order-0 folios from the buddy allocator, unmovable.',
  },
  'gmem.folio_split': {
    title: 'guest_memfd large folio split',
    source:
      'gmem THP RFC (Roth, Dec 2024, 20241212063635.712877-1-michael.roth@amd.com) / gmem 1G hugetlb RFC v2 (Tng, May 2025, cover.1747264138.git.ackerleytng@google.com)',
    url: `${LORE}cover.1747264138.git.ackerleytng@google.com/`,
    explain:
      'Converting part of a large private folio to shared splits the folio (and PSMASHes its 2M RMP entry).',
  },
  'qemu.double_backing': {
    title: 'Shared copy kept after conversion',
    source: 'kvm_convert_memory() → ram_block_discard_range() in QEMU accel/kvm/kvm-all.c',
    url: 'https://gitlab.com/qemu-project/qemu/-/blob/master/accel/kvm/kvm-all.c',
    explain:
      'hugetlbfs cannot discard 4K inside a huge page, so after shared→private the shared page stays allocated: the GPA is backed twice.',
  },
  'vmm.thp_discard': {
    title: 'THP split on discard',
    source: 'madvise(MADV_DONTNEED) → split_huge_pmd(); ram_block_discard_range() in QEMU',
    url: 'https://gitlab.com/qemu-project/qemu/-/blob/master/accel/kvm/kvm-all.c',
    explain: 'Discarding a 4K shared page inside a THP splits the huge mapping.',
  },
  'guest.not_running': {
    title: 'Guest is not running',
    source: 'scenario semantics',
    url: '',
    explain:
      'The event names a guest that has not launched, was refused, was killed or has exited; nothing happens.',
  },
  'host.oom': {
    title: 'Out of host memory',
    source: '__alloc_pages() failure',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain: 'The allocator had no free block of the needed order.',
  },
  'guest.exit': {
    title: 'Guest exit',
    source: 'sev_free_vcpu()/kvm_gmem_release(): pages reclaimed (RMPUPDATE to shared) and freed',
    url: `${ELIXIR}arch/x86/kvm/svm/sev.c`,
    explain:
      'The guest exits: its pages return to the host and the allocator; direct-map splits remain.',
  },
  'guest.launch': {
    title: 'Guest launch',
    source: 'KVM_SEV_SNP_LAUNCH_START / KVM_MEMORY_ENCRYPT_REG_REGION',
    url: `${ELIXIR}arch/x86/kvm/svm/sev.c`,
    explain: 'The VMM registers guest memory with KVM.',
  },
  'dm.no-collapse': {
    title: 'Direct-map splits never collapse',
    source:
      'set_memory_4k() marks PTEs _PAGE_KERNEL_4K; CPA_COLLAPSE is only for set_memory_rox() (v6.15, 41d88484c71c) in arch/x86/mm/pat/set_memory.c',
    url: 'https://elixir.bootlin.com/linux/v6.15/source/arch/x86/mm/pat/set_memory.c',
    explain:
      'A 2M or 1G mapping split by set_memory_4k() or set_direct_map_*_noflush() stays split, even after the guest exits.',
  },
  'buddy.boot': {
    title: 'Free memory handed to the buddy allocator at boot',
    source:
      'memblock_free_all() → __free_pages_core() (FPI_TO_TAIL) in mm/memblock.c, mm/page_alloc.c',
    url: `${ELIXIR}mm/memblock.c`,
    explain:
      'Every free range goes to the buddy in ascending address order as maximal aligned blocks, lowest address first on each list.',
  },
  'buddy.alloc': {
    title: 'Buddy allocation',
    source: '__rmqueue_smallest() and expand() in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'Take the head of the smallest non-empty free list of the order asked or above; split it, keeping the lower half.',
  },
  'buddy.free': {
    title: 'Buddy free and merge',
    source: '__free_one_page() in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'A freed block merges with its buddy (pfn ^ (1 << order)) while the buddy is free at the same order.',
  },
  'buddy.pcp': {
    title: 'Per-cpu page lists',
    source: 'rmqueue_pcplist(), rmqueue_bulk(), free_pcppages_bulk() in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'Orders 0–3 and the THP order are freed to and allocated from per-cpu lists, one per migratetype and order (last freed, first reused), refilled with nr_pcp_alloc() blocks and drained in batches of 63.',
    kernels: '5.14+ (THP lists 5.13+, one per migratetype 6.0+)',
  },
  'zone.layout': {
    title: 'Memory zones',
    source: 'zone_sizes_init() in arch/x86/mm/init.c; MAX_DMA_PFN, MAX_DMA32_PFN',
    url: `${ELIXIR}arch/x86/mm/init.c`,
    explain:
      'ZONE_DMA is the first 16 MiB, ZONE_DMA32 up to 4 GiB, ZONE_NORMAL above; a host without RAM above 4 GiB has no Normal zone.',
  },
  'zone.zonelist': {
    title: 'Zone fallback order',
    source: 'get_page_from_freelist(), alloc_flags_nofragment() in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'GFP_KERNEL, GFP_HIGHUSER and GFP_HIGHUSER_MOVABLE try Normal, then DMA32, then DMA, each only while it is above its low watermark; the first pass avoids splitting pageblocks of another migratetype (ALLOC_NOFRAGMENT).',
  },
  'zone.watermark': {
    title: 'Zone watermarks',
    source: '__setup_per_zone_wmarks(), calculate_min_free_kbytes() in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'min_free_kbytes = sqrt(16 × lowmem kB), shared out by zone size; low = min + max(min / 4, 0.1% of the zone).',
  },
  'zone.lowmem_reserve': {
    title: 'Lowmem reserve',
    source: 'setup_per_zone_lowmem_reserve(), sysctl_lowmem_reserve_ratio in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'A lower zone keeps back 1/256 of the zones above it from allocations that could have used them: on a big host the first 16 MiB are used last.',
  },
  'zone.drain': {
    title: 'Drain the per-cpu lists when nothing else is left',
    source: 'drain_all_pages() from __alloc_pages_direct_reclaim() in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'An allocation that finds no page drains every per-cpu list back to the buddy and tries once more.',
  },
  'pcp.high': {
    title: 'Per-cpu list size (pcp->high, pcp->batch)',
    source: 'zone_highsize(), zone_batchsize(), nr_pcp_alloc(), nr_pcp_free() in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'batch is 63 on any zone of 1 GiB or more; high is the low watermark split across the CPUs (at least 4 × batch). Since 6.7 high is tuned between that and 1/8 of the zone at run time; the model keeps the value it decays back to.',
    kernels: '5.14+',
  },
  'buddy.fallback': {
    title: 'Migratetype fallback (pageblock stealing)',
    source:
      '__rmqueue_fallback(), find_suitable_fallback(), steal_suitable_fallback() in mm/page_alloc.c',
    url: `${ELIXIR}mm/page_alloc.c`,
    explain:
      'With no free page of its migratetype, an allocation takes the largest block of the other type and claims its whole 2 MiB pageblock when it is at least half free (unmovable requests, or blocks of order 4+); otherwise it takes that block alone.',
    kernels: '6.10+ (freelists follow the pageblock type)',
  },
  'e820.typical': {
    title: 'Typical firmware memory map',
    source:
      'e820__memory_setup() in arch/x86/kernel/e820.c; pc_q35_init() in QEMU hw/i386/pc_q35.c',
    url: `${ELIXIR}arch/x86/kernel/e820.c`,
    explain:
      'A host given as "ram: X" gets a typical e820: 639 KiB usable, the legacy hole up to 1 MiB, RAM to 2 GiB below the PCI hole (all of it below 2.75 GiB), the rest remapped above 4 GiB.',
  },
  'dm.cpa_flush': {
    title: 'set_memory_4k() flushes once more (6.15+)',
    source:
      'set_memory_4k() → change_page_attr_set_clr(…, __pgprot(_PAGE_KERNEL_4K), …) → cpa_flush() in arch/x86/mm/pat/set_memory.c (commit 41d88484c71c series)',
    url: 'https://elixir.bootlin.com/linux/v6.15/source/arch/x86/mm/pat/set_memory.c',
    explain:
      "From 6.15 set_memory_4k() sets _PAGE_KERNEL_4K on the PTE it was given, so the call changes a PTE and ends in one cpa_flush() IPI broadcast on top of the flush of each split. The engine counts it once per 2M → 4K split made by set_memory_4k() (adjust_direct_map() calls it for one 4K page, only when its mapping is 2M or 1G), and for a host cause once per call that sets the bit where it was not set yet (KFENCE's pool: one); one counter (DirectMap.cpaFlush), and no call is counted by both paths. The region is marked _PAGE_KERNEL_4K, so it never collapses.",
    kernels: '6.15+ (and 6.12-rhel10)',
  },
  'dm.collapse_counters': {
    title: 'vmstat counts direct-map collapses (6.15+)',
    source:
      'DIRECT_MAP_LEVEL2_COLLAPSE, DIRECT_MAP_LEVEL3_COLLAPSE in include/linux/vm_event_item.h; collapse_large_pages() in arch/x86/mm/pat/set_memory.c',
    url: 'https://elixir.bootlin.com/linux/v6.15/source/include/linux/vm_event_item.h',
    explain:
      '/proc/vmstat prints direct_map_level2_collapses and direct_map_level3_collapses after the split counters. They stay 0 for SNP splits: only set_memory_rox() collapses, and a table holding a _PAGE_KERNEL_4K PTE never does.',
    kernels: '6.15+ (and 6.12-rhel10)',
  },
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

export const RULES: readonly Rule[] = Object.entries(TABLE).map(([id, r]) => ({
  id: id as RuleId,
  ...r,
}));

export const RULE_INDEX: ReadonlyMap<string, number> = new Map(RULES.map((r, i) => [r.id, i]));

export function ruleIndex(id: RuleId): number {
  const i = RULE_INDEX.get(id);
  if (i === undefined) throw new Error(`unknown rule ${id}`);
  return i;
}
