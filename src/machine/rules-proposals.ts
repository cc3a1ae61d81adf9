/**
 * The rules of the proposals (never merged; each says so in its title and has status
 * "proposal"): guest_memfd NO_DIRECT_MAP and __GFP_UNMAPPED. rules-causes.ts registers them: the
 * first two where they always stood in the table, the rest at its end (an outcome log stores a rule's
 * index in the table, so new rules only ever go last).
 */
import { LORE, type RuleText } from './rule-text';

const NDM_V9 = '20260114134510.1835-8-kalyazin@amazon.com';
const RPPT_RFC = '20230308094106.227365-1-rppt@kernel.org';
const ASI = '20260225-page_alloc-unmapped-v1-0-e8808a03cd66@google.com';
const PROPOSAL = 'proposal (not merged)';

export const PROPOSAL_RULES = {
  'gmem.no_direct_map': {
    title: 'guest_memfd folio removed from the direct map (proposal)',
    source: `kvm_gmem_folio_zap_direct_map() → folio_zap_direct_map() → set_direct_map_valid_noflush(folio, nr, false) in virt/kvm/guest_memfd.c, GUEST_MEMFD_FLAG_NO_DIRECT_MAP v9 (lore ${NDM_V9}; Patrick Roy, Nikita Kalyazin)`,
    url: `${LORE}${NDM_V9}/`,
    explain:
      'Proposal: each guest_memfd folio (order 0: one 4K page) is made not-present in the direct map before it is mapped into the guest or the VMM, splitting its 2 MiB region (and the 1 GiB block above) as secretmem does. Offered only for VMs that are not SNP or TDX.',
    kernels: PROPOSAL,
    status: 'proposal',
  },
  'gfp.unmapped': {
    title: 'Whole 2 MiB block taken out of the direct map (__GFP_UNMAPPED, proposal)',
    source: `unmapped_pages_alloc() in mm/unmapped-alloc.c (RFC ${RPPT_RFC}, 1/5); FREETYPE_UNMAPPED pageblocks (${ASI})`,
    url: `${LORE}${RPPT_RFC}/`,
    explain:
      'Proposal: an unmapped allocation with no free unmapped page takes a whole 2 MiB block from the allocator and makes it not-present in one call: the 2M entry keeps its size, at most the 1 GiB block above splits to 2M; its pages are handed out already unmapped.',
    kernels: PROPOSAL,
    status: 'proposal',
  },
} as const satisfies Record<string, RuleText>;

export const PROPOSAL_RULES_LATER = {
  'gmem.no_direct_map.restore': {
    title: 'guest_memfd folio back in the direct map (proposal)',
    source: `kvm_gmem_free_folio() → folio_restore_direct_map() → set_direct_map_valid_noflush(folio, nr, true) (lore ${NDM_V9})`,
    url: `${LORE}${NDM_V9}/`,
    explain:
      'Proposal: a freed folio is mapped again; only the present bit changes ("this split would have already happened"), so no region heals.',
    kernels: PROPOSAL,
    status: 'proposal',
  },
  'gmem.no_direct_map.refused': {
    title: 'NO_DIRECT_MAP refused for an SNP/TDX VM (proposal)',
    source:
      'kvm_arch_gmem_supports_no_direct_map() in arch/x86/kvm/x86.c: can_set_direct_map() && vm_type != KVM_X86_TDX_VM && vm_type != KVM_X86_SNP_VM (v9 05/13, lore 20260114134510.1835-6-kalyazin@amazon.com)',
    url: `${LORE}20260114134510.1835-6-kalyazin@amazon.com/`,
    explain:
      'Proposal: KVM_CREATE_GUEST_MEMFD refuses the flag for SNP and TDX VMs, whose private memory the RMP or the TDX module protects: the guest does not start.',
    kernels: PROPOSAL,
    status: 'proposal',
  },
  'gfp.unmapped.release': {
    title: 'Free unmapped block mapped again (__GFP_UNMAPPED, proposal)',
    source: `unmapped pageblock converted back to mapped (${ASI}; the model does it as soon as the block is wholly free, unconfirmed)`,
    url: `${LORE}${ASI}/`,
    explain:
      'Proposal: when every page of an unmapped 2 MiB block is free again, the block is made present in one call and returned to the allocator; its 2M entry never split, so it needs no healing.',
    kernels: PROPOSAL,
    status: 'proposal',
  },
} as const satisfies Record<string, RuleText>;
