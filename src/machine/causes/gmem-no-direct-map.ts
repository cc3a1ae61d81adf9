/**
 * guest_memfd NO_DIRECT_MAP (proposal, not merged; labelled as such wherever it appears): Patrick
 * Roy / Nikita Kalyazin, "Direct Map Removal Support for guest_memfd" (v9 Jan 2026,
 * 20260114134510.1835-1-kalyazin@amazon.com; reposted Apr 2026), Firecracker secret hiding (KVM
 * Forum 2025). Each guest folio leaves the direct map (4K each) before it is mapped and comes back
 * on free; not for SNP and TDX VMs. The guest side is kernels/gmem-no-direct-map.ts (a guest
 * field, `gmemNoDirectMap`, not a host event); this entry is its provenance for the by-cause
 * view, the legend and the inspector.
 */
import type { HostCause } from './cause';

export const gmemNoDirectMapCause: HostCause = {
  id: 'gmem-no-direct-map',
  label: 'guest_memfd NO_DIRECT_MAP (proposal)',
  summary: 'Proposal: guest folios leave the direct map (4K each); not for SNP/TDX VMs.',
  status: 'proposal',
  sources: [
    'GUEST_MEMFD_FLAG_NO_DIRECT_MAP v9: 20260114134510.1835-8-kalyazin@amazon.com',
    'kvm_arch_gmem_supports_no_direct_map(): 20260114134510.1835-6-kalyazin@amazon.com',
  ],
  // Only the zap splits; the restore (set_direct_map_default_noflush's effect) changes bits only.
  calls: ['set_direct_map_invalid_noflush'],
  ops: [],
  heals: false,
};
