/**
 * Private memory is the VMM's own memory, converted in place (the 2021–22 host series): the RMP
 * entry of the backing frame flips between hypervisor-owned and guest-owned, and the VMM's user
 * mapping of guest RAM stays. Shared by rfc-2021, hugetlb-ban-2022 and (for pages it does not
 * sequester) the sequester design.
 */
import { G_PRIVATE, G_VALIDATED, MAP_4K, RMP_VALIDATED } from '../frame-bits';
import type { Guest } from '../guest';
import { allocBacking, hostRuns, rmpUpdateRun, stateRuns } from '../guest-ops';
import type { Machine } from '../machine';
import type { GuestKernel } from './design';
import { noHook, registerAll } from './design';
import { backingFrameOf } from './plain';
import { splitThpOrSigbus } from './user-fault';

const CHUNK = 512;

/**
 * rmp_make_private() on the backing frames of a shared run. A whole-chunk accept over a huge
 * user mapping gets a 2M RMP entry (RFC: the NPT level is 2M).
 */
export function backingToPrivate(m: Machine, g: Guest, start: number, count: number): void {
  hostRuns(g.backingMap, start, count, (gs, pfn, cnt) =>
    rmpUpdateRun(m, gs, pfn, cnt, true, g.userMap[Math.floor(gs / CHUNK)] !== MAP_4K),
  );
  g.state.update(start, count, 0, G_PRIVATE | G_VALIDATED);
}

/** PVALIDATE of private pages that are not validated yet (a second accept of the same pages). */
export function backingValidate(m: Machine, g: Guest, start: number, count: number): void {
  hostRuns(g.backingMap, start, count, (_gs, pfn, cnt) =>
    m.frames.update(pfn, cnt, RMP_VALIDATED, RMP_VALIDATED),
  );
  g.state.update(start, count, 0, G_VALIDATED);
}

export const IN_PLACE: GuestKernel = {
  register: registerAll,
  // The VMM pins all guest RAM at registration (KVM_MEMORY_ENCRYPT_REG_REGION pins the pages).
  launch: (m, g) => allocBacking(m, g, 0, g.pages, false),
  accept(m, g, gfn, n) {
    stateRuns(g, gfn, n, (start, count, w) => {
      if (!(w & G_PRIVATE)) backingToPrivate(m, g, start, count);
      else if (!(w & G_VALIDATED)) backingValidate(m, g, start, count);
    });
  },
  share(m, g, gfn, n) {
    stateRuns(g, gfn, n, (start, count, w) => {
      if (!(w & G_PRIVATE)) return;
      hostRuns(g.backingMap, start, count, (gs, pfn, cnt) =>
        rmpUpdateRun(m, gs, pfn, cnt, false, true),
      );
      g.state.update(start, count, G_PRIVATE | G_VALIDATED, 0);
    });
  },
  unshare(m, g, gfn, n) {
    stateRuns(g, gfn, n, (start, count, w) => {
      if (!(w & G_PRIVATE)) backingToPrivate(m, g, start, count);
    });
  },
  writeTarget: () => -1,
  userRmpFault: splitThpOrSigbus,
  teardown: noHook,
  frameOf: backingFrameOf,
};
