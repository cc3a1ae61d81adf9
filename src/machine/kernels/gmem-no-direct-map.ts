/**
 * A guest whose RAM is guest_memfd with GUEST_MEMFD_FLAG_NO_DIRECT_MAP (proposal, not merged:
 * Patrick Roy / Nikita Kalyazin, "Direct Map Removal Support for guest_memfd", v9 Jan 2026,
 * 20260114134510.1835-1-kalyazin@amazon.com; "KVM: guest_memfd: Add flag to remove from direct
 * map", 20260114134510.1835-8-kalyazin@amazon.com), as Firecracker's secret hiding runs an
 * ordinary (non-CoCo) VM: all of guest memory is guest_memfd, mmap-ed by the VMM
 * (GUEST_MEMFD_FLAG_MMAP), shared, and out of the host kernel's direct map.
 *
 * Rules:
 * - [gmem.no_direct_map] kvm_gmem_folio_zap_direct_map() → folio_zap_direct_map() →
 *   set_direct_map_valid_noflush(folio, nr, false) once per folio, before the folio is mapped
 *   into the guest or userspace (kvm_gmem_get_pfn(), kvm_gmem_fault_user_mapping()). guest_memfd
 *   allocates order-0 folios, so every 4K page is its own call: the first page of a 2 MiB region
 *   splits it (and the 1 GiB block above) exactly as secretmem does. On x86 the call is
 *   __set_pages_np(), set_direct_map_invalid_noflush()'s effect, modelled as that call (as
 *   causes/recorded.ts replays set_direct_map_valid_noflush); the per-folio
 *   flush_tlb_kernel_range() is not counted.
 * - [gmem.no_direct_map.restore] kvm_gmem_free_folio() → folio_restore_direct_map() (valid=true):
 *   only the present bit comes back ("this split would have already happened"); nothing heals.
 * - [gmem.no_direct_map.refused] a VM type the design does not allow it for (an SNP guest under
 *   an SNP design: caps.ts) is refused at registration: KVM_CREATE_GUEST_MEMFD rejects flags
 *   outside kvm_gmem_get_supported_flags().
 *
 * The model preallocates guest RAM at launch as the other plain guests do (-mem-prealloc, here an
 * fallocate of the guest_memfd), so every folio is zapped at launch and restored at exit. The
 * kernel reaching such a page through the direct map takes a not-present fault.
 */
import { causeCtx, gmemNoDirectMapCause } from '../causes';
import type { GuestSpec } from '../events';
import { frameWord, G_GMEM, USE_GMEM } from '../frame-bits';
import type { Guest } from '../guest';
import { hostRuns, releaseFrames, stateRuns } from '../guest-ops';
import type { Machine } from '../machine';
import { PAGES_PER_2M } from '../units';
import type { Design, GuestKernel, Refusal } from './design';
import { PLAIN } from './plain';

/**
 * One set_direct_map_*_noflush call per 4K folio of [pfn, pfn + n): the first page of each 2 MiB
 * piece as its own call (that one splits), then the rest of the piece, which is 4K by then and
 * splits nothing more: the same direct map as n single-page calls, in 2 calls per region.
 */
function perFolio(m: Machine, pfn: number, n: number, zap: boolean): void {
  const cx = causeCtx(m, gmemNoDirectMapCause);
  const call = zap ? 'set_direct_map_invalid_noflush' : 'set_direct_map_default_noflush';
  const rule = zap ? 'gmem.no_direct_map' : 'gmem.no_direct_map.restore';
  let p = pfn;
  const end = pfn + n;
  while (p < end) {
    const q = Math.min(end, (Math.floor(p / PAGES_PER_2M) + 1) * PAGES_PER_2M);
    cx.cpa(p, 1, call, 'direct-map', rule);
    if (q - p > 1) cx.cpa(p + 1, q - p - 1, call, 'direct-map', rule);
    p = q;
  }
}

function eachFolio(m: Machine, g: Guest, zap: boolean): void {
  stateRuns(g, 0, g.pages, (start, count, w) => {
    if (w & G_GMEM) hostRuns(g.gmemMap, start, count, (_gfn, pfn, n) => perFolio(m, pfn, n, zap));
  });
}

export const NO_DIRECT_MAP_GUEST: GuestKernel = {
  ...PLAIN,
  launch(m, g) {
    // kvm_gmem_get_folio(): order-0 folios, GFP_HIGHUSER (frame-bits' USE_GMEM).
    const runs = m.allocFrames(g.pages, frameWord(USE_GMEM, g.index));
    if (!runs) return false;
    let at = 0;
    for (const r of runs) {
      g.gmemMap.set(at, r.count, r.pfn);
      at += r.count;
    }
    g.state.update(0, g.pages, 0, G_GMEM);
    eachFolio(m, g, true);
    return true;
  },
  // The VMM reaches guest memory through its mmap of the guest_memfd (GUEST_MEMFD_FLAG_MMAP).
  writeTarget: (g, gfn, w) => (w & G_GMEM ? g.gmemMap.get(gfn) : -1),
  teardown(m, g) {
    eachFolio(m, g, false);
    releaseFrames(m, g, g.gmemMap, 0, g.pages, G_GMEM);
  },
  frameOf: (g, gfn) => (g.state.get(gfn) & G_GMEM ? g.gmemMap.get(gfn) : -1),
};

/** The hooks of a guest its design refuses NO_DIRECT_MAP for: registration fails. */
export function refusedNoDirectMap(base: GuestKernel, reason: string): GuestKernel {
  const refusal: Refusal = { rule: 'gmem.no_direct_map.refused', reason };
  return { ...base, register: () => refusal };
}

/**
 * The hooks of a guest, by its spec: SNP guests get the design, others its plain hooks; a guest
 * asking for GUEST_MEMFD_FLAG_NO_DIRECT_MAP (proposal) gets guest_memfd without a direct map, or
 * a refused registration where the design says its VM type cannot have it (caps.ts).
 */
export function guestKernel(d: Design, spec: GuestSpec): GuestKernel {
  const base = spec.snp ? d : d.plain;
  if (!spec.gmemNoDirectMap) return base;
  const refusal = spec.snp ? d.caps.gmemNoDirectMapSnp : null;
  return refusal === null ? NO_DIRECT_MAP_GUEST : refusedNoDirectMap(base, refusal);
}
