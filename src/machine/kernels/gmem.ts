/**
 * Private memory from guest_memfd (virt/kvm/guest_memfd.c), separate from the VMM's shared
 * memory: what unmap-2023, upstream-2024 and the two large-folio RFCs share. A design picks the
 * largest folio guest_memfd allocates (order-0 upstream, 2M THP, 1G hugetlb) and whether shared
 * pages are converted in place inside guest_memfd (the 1G RFC) or live in the VMM's memory.
 */
import {
  frameWord,
  G_BACKED,
  G_GMEM,
  G_PRIVATE,
  G_VALIDATED,
  RMP_VALIDATED,
  USE_GMEM,
} from '../frame-bits';
import type { Guest } from '../guest';
import {
  allocBacking,
  discardShared,
  hostRuns,
  reclaimRmp,
  releaseFrames,
  rmpUpdateRun,
  stateRuns,
} from '../guest-ops';
import type { Machine } from '../machine';
import type { GuestKernel } from './design';
import { registerAll } from './design';
import { splitThpOrSigbus } from './user-fault';

const CHUNK = 512;
const GIG = 512 * 512;

export interface GmemPolicy {
  /** Largest guest_memfd folio. */
  folio: '4k' | '2m' | '1g';
  /** Shared pages are converted in place inside guest_memfd: no separate shared copy. */
  inPlaceShared: boolean;
}

/**
 * kvm_gmem_get_folio(): guest_memfd frames for [gfn, gfn + n) by folio policy ([gmem.alloc]);
 * false when the host is out of memory.
 */
export function allocGmem(
  m: Machine,
  g: Guest,
  gfn: number,
  n: number,
  folio: GmemPolicy['folio'],
): boolean {
  const word = frameWord(USE_GMEM, g.index);
  let p = gfn;
  const end = gfn + n;
  while (p < end) {
    if (folio === '1g') {
      const gs = Math.floor(p / GIG) * GIG;
      const ge = Math.min(gs + GIG, g.pages);
      if (!g.gigaFolio.has(gs)) {
        const pfn = m.allocBlock(18, frameWord(USE_GMEM, g.index));
        if (pfn >= 0) {
          g.gigaFolio.set(gs, pfn);
          g.gmemMap.set(gs, ge - gs, pfn);
        }
      }
      if (g.gigaFolio.has(gs)) {
        const q = Math.min(end, ge);
        g.state.update(p, q - p, 0, G_GMEM);
        p = q;
        continue;
      }
    }
    const chunkEnd = Math.min((Math.floor(p / CHUNK) + 1) * CHUNK, end);
    if (folio !== '4k' && p % CHUNK === 0 && chunkEnd - p === CHUNK) {
      const pfn = m.allocBlock(9, word);
      if (pfn >= 0) {
        g.gmemMap.set(p, CHUNK, pfn);
        g.state.update(p, CHUNK, 0, G_GMEM);
        p = chunkEnd;
        continue;
      }
    }
    // Order-0 folios (upstream kvm_gmem_get_folio): the rest of this request in one bulk call.
    const q = folio === '4k' ? end : chunkEnd;
    const runs = m.allocFrames(q - p, word);
    if (!runs) return false;
    let at = p;
    for (const r of runs) {
      g.gmemMap.set(at, r.count, r.pfn);
      at += r.count;
    }
    g.state.update(p, q - p, 0, G_GMEM);
    p = q;
  }
  return true;
}

/** [gmem.folio_split] A conversion inside a large private folio splits it. */
function noteFolioSplit(
  m: Machine,
  g: Guest,
  gfn: number,
  pfn: number,
  count: number,
  folio: GmemPolicy['folio'],
): void {
  if (folio === '1g') {
    const block = Math.floor(gfn / GIG);
    if (g.gigaFolio.has(block * GIG) && !g.gigaSplit.has(block)) {
      g.gigaSplit.add(block);
      m.emit(
        'folio-split',
        'gmem.folio_split',
        g.gigaFolio.get(block * GIG)!,
        18,
        block * GIG * 4096,
      );
    }
  } else if (m.rmp2m[Math.floor(pfn / CHUNK)] === 1 && count < CHUNK) {
    m.emit('folio-split', 'gmem.folio_split', Math.floor(pfn / CHUNK) * CHUNK, 9, gfn * 4096);
  }
}

/** kvm_gmem_release(): reclaim and free every guest_memfd frame, gigantic folios whole. */
function releaseGmem(m: Machine, g: Guest): void {
  if (g.gigaFolio.size > 0) {
    for (const pfn of g.gigaFolio.values()) {
      reclaimRmp(m, pfn, GIG);
      m.freeFrames(pfn, GIG);
    }
    stateRuns(g, 0, g.pages, (s, cnt, w) => {
      if (!(w & G_GMEM)) return;
      hostRuns(g.gmemMap, s, cnt, (_gs, pfn, n) => {
        if (!g.isInGiga(pfn)) {
          reclaimRmp(m, pfn, n);
          m.freeFrames(pfn, n);
        }
      });
    });
  } else releaseFrames(m, g, g.gmemMap, 0, g.pages, G_GMEM);
  g.gigaFolio.clear();
}

/** The guest hooks of a guest_memfd design with the given folio policy. */
export function gmemKernel({ folio, inPlaceShared }: GmemPolicy): GuestKernel {
  /** Shared → private for one run with state word w (kvm_gmem_get_pfn, rmp_make_private). */
  function toPrivate(m: Machine, g: Guest, start: number, count: number, w: number): void {
    const inPlace = inPlaceShared && w & G_GMEM;
    if (!inPlace && !allocGmem(m, g, start, count, folio))
      return m.emit('oom', 'host.oom', -1, count, start * 4096);
    // gmem-thp-rfc: a whole 2 MiB chunk made private again gets a 2M folio and a 2M entry.
    const allow2m = folio !== '4k' && !inPlace;
    hostRuns(g.gmemMap, start, count, (gs, pfn, cnt) =>
      rmpUpdateRun(m, gs, pfn, cnt, true, allow2m),
    );
    g.state.update(start, count, 0, G_PRIVATE | G_VALIDATED | G_GMEM);
    // A new private frame next to the shared copy: backed twice until the copy is discarded.
    if (!inPlace && w & G_BACKED) g.doubleBacked += count;
    if (w & G_BACKED && !inPlaceShared) discardShared(m, g, start, count);
  }

  return {
    register: registerAll,
    launch(_m, g) {
      // QEMU marks all of a confidential guest's RAM private at start; frames come on demand.
      g.state.update(0, g.pages, 0, G_PRIVATE);
      return true;
    },
    accept(m, g, gfn, n) {
      stateRuns(g, gfn, n, (start, count, w) => {
        if (!(w & G_PRIVATE)) return toPrivate(m, g, start, count, w);
        if (!(w & G_GMEM)) {
          if (!allocGmem(m, g, start, count, folio))
            return m.emit('oom', 'host.oom', -1, count, start * 4096);
          hostRuns(g.gmemMap, start, count, (gs, pfn, cnt) =>
            rmpUpdateRun(m, gs, pfn, cnt, true, folio !== '4k'),
          );
          if (w & G_BACKED) g.doubleBacked += count;
          g.state.update(start, count, 0, G_VALIDATED | G_GMEM);
          return;
        }
        if (!(w & G_VALIDATED)) {
          hostRuns(g.gmemMap, start, count, (_gs, pfn, cnt) =>
            m.frames.update(pfn, cnt, RMP_VALIDATED, RMP_VALIDATED),
          );
          g.state.update(start, count, 0, G_VALIDATED);
        }
      });
    },
    share(m, g, gfn, n) {
      stateRuns(g, gfn, n, (start, count, w) => {
        if (!(w & G_PRIVATE)) return;
        if (w & G_GMEM) {
          hostRuns(g.gmemMap, start, count, (gs, pfn, cnt) => {
            noteFolioSplit(m, g, gs, pfn, cnt, folio);
            rmpUpdateRun(m, gs, pfn, cnt, false, true);
            if (!inPlaceShared) m.freeFrames(pfn, cnt);
          });
          if (!inPlaceShared) {
            g.state.update(start, count, G_GMEM, 0);
            if (w & G_BACKED) g.doubleBacked -= count;
          }
        } else if (inPlaceShared && !allocGmem(m, g, start, count, folio)) {
          return m.emit('oom', 'host.oom', -1, count, start * 4096);
        }
        g.state.update(start, count, G_PRIVATE | G_VALIDATED, 0);
        if (!inPlaceShared && !allocBacking(m, g, start, count, false))
          m.emit('oom', 'host.oom', -1, count, start * 4096);
      });
    },
    unshare(m, g, gfn, n) {
      stateRuns(g, gfn, n, (start, count, w) => {
        if (!(w & G_PRIVATE)) toPrivate(m, g, start, count, w);
      });
    },
    writeTarget(g, gfn, w, via) {
      if (!(w & G_GMEM)) return -1;
      // The kernel reaches a private frame through the direct map; the VMM maps guest_memfd
      // pages only where they are shared in place.
      if (inPlaceShared || (via === 'direct-map' && w & G_PRIVATE)) return g.gmemMap.get(gfn);
      return -1;
    },
    userRmpFault: splitThpOrSigbus,
    teardown: releaseGmem,
    frameOf(g, gfn) {
      const w = g.state.get(gfn);
      if (w & G_GMEM && (w & G_PRIVATE || inPlaceShared)) return g.gmemMap.get(gfn);
      return w & G_BACKED ? g.backingMap.get(gfn) : -1;
    },
  };
}
