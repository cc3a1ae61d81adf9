/**
 * Proposals, not merged (labelled as such wherever they appear):
 * - guest_memfd NO_DIRECT_MAP (v9 Jan 2026, reposted Apr 2026; Firecracker secret hiding, KVM
 *   Forum 2025): prepared guest folios are zapped from the direct map (4K each) and restored on
 *   free; not offered for SNP and TDX VMs, whose private memory the RMP/TDX module protects.
 * - __GFP_UNMAPPED / "mermap" (RFC 20230308094106.227365-1-rppt@kernel.org; revived for ASI,
 *   LSFMM+BPF 2026): to-be-unmapped pages are grouped into 2 MiB MIGRATE_UNMAPPED blocks, so
 *   splits go from "several tens" to "a single digit number" (v0 cover letter).
 * Their hooks arrive with the events that exercise them; the entries name them for the by-cause
 * view and the legend.
 */
import type { HostCause } from './cause';

export const gmemNoDirectMap: HostCause = {
  id: 'gmem-no-direct-map',
  label: 'guest_memfd NO_DIRECT_MAP (proposal)',
  summary: 'Proposal: guest folios leave the direct map (4K each); not for SNP/TDX VMs.',
  status: 'proposal',
  sources: ['GUEST_MEMFD_FLAG_NO_DIRECT_MAP v9 (Jan 2026)'],
  calls: ['set_direct_map_invalid_noflush'],
  ops: [],
  heals: false,
};

export const gfpUnmapped: HostCause = {
  id: 'gfp-unmapped',
  label: '__GFP_UNMAPPED (proposal)',
  summary: 'Proposal: unmapped pages grouped into 2 MiB blocks (MIGRATE_UNMAPPED).',
  status: 'proposal',
  sources: ['20230308094106.227365-1-rppt@kernel.org'],
  calls: ['set_direct_map_invalid_noflush'],
  ops: [],
  heals: false,
};
