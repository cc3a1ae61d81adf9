/**
 * The rule table, first part: the direct map, the RMP, the kernel designs, guests and host
 * placement (rules.ts joins the parts in order: an outcome log stores a rule's index).
 */
import { ELIXIR, LORE, type RuleText } from './rule-text';

export const CORE_RULES = {
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
} as const satisfies Record<string, RuleText>;
