/**
 * A guest without SNP: an ordinary VM. Its RAM is the VMM's memory (4K, THP or hugetlbfs) and a
 * page state change is only the guest's own bookkeeping: no RMP entry, no conversion, nothing
 * the host's direct map notices. Every design uses these hooks for its non-SNP guests, and the
 * no-snp design for all of them.
 */
import { G_BACKED, G_PRIVATE, G_VALIDATED } from '../frame-bits';
import { allocBacking } from '../guest-ops';
import { type GuestKernel, noHook, registerAll } from './design';
import { splitThpOrSigbus } from './user-fault';

/**
 * Plain hooks; `in2mUnits`: the host places guest RAM in whole 2 MiB units (Dave Hansen's
 * sequestering host does so for every guest it runs).
 */
export function plainKernel(in2mUnits: boolean): GuestKernel {
  return {
    register: registerAll,
    // QEMU allocates and pins guest RAM at start (-mem-prealloc, as the model assumes).
    launch: (m, g) => allocBacking(m, g, 0, g.pages, in2mUnits),
    accept: (_m, g, gfn, n) => g.state.update(gfn, n, 0, G_VALIDATED),
    share: (_m, g, gfn, n) => g.state.update(gfn, n, G_PRIVATE, 0),
    unshare: (_m, g, gfn, n) => g.state.update(gfn, n, 0, G_PRIVATE),
    writeTarget: () => -1,
    userRmpFault: splitThpOrSigbus,
    teardown: noHook,
    frameOf: backingFrameOf,
  };
}

/** The frame of the VMM's backing behind a GPA page, or -1. */
export const backingFrameOf: GuestKernel['frameOf'] = (g, gfn) =>
  g.state.get(gfn) & G_BACKED ? g.backingMap.get(gfn) : -1;

export const PLAIN = plainKernel(false);
