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
    const c = Math.floor(p / CHUNK);
    const chunkEnd = Math.min((c + 1) * CHUNK, end);
    // [gmem.huge_folio] kvm_gmem_get_huge_folio(…, PMD_ORDER) by file index: a whole chunk asked
    // for at once, or the first touch of a chunk that is uniformly private (the RFC clamps the
    // order to a homogeneous KVM_MEMORY_ATTRIBUTE_PRIVATE range).
    const whole = p % CHUNK === 0 && chunkEnd - p === CHUNK;
    const fresh = (c + 1) * CHUNK <= g.pages && untouchedPrivate(g, c);
    if (folio !== '4k' && (whole || fresh)) {
      const pfn = m.allocBlock(9, word);
      if (pfn >= 0) {
        g.gmemMap.set(c * CHUNK, CHUNK, pfn);
        g.state.update(c * CHUNK, CHUNK, 0, G_GMEM);
        g.folio2m[c] = 1;
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

/** No page of GPA chunk c has a guest_memfd frame yet and all are private. */
function untouchedPrivate(g: Guest, c: number): boolean {
  const u = g.state.uniformWord(c);
  return u >= 0 && (u & G_PRIVATE) !== 0 && (u & G_GMEM) === 0;
}

/**
 * kvm_gmem_get_pfn() → sev_gmem_prepare() for the first touch of [gfn, gfn + n) in one chunk,
 * then the guest's PVALIDATE. A huge folio whose 2 MiB range is unassigned gets one 2M RMP entry,
 * which adjust_direct_map() never splits for (is_large_rmp_possible()); anything else gets 4K
 * entries as upstream does.
 */
function prepareAndValidate(m: Machine, g: Guest, gfn: number, n: number, huge: boolean): void {
  const pfn = g.gmemMap.get(gfn);
  const r = Math.floor(pfn / CHUNK);
  if (m.rmp2m[r] === 1) return pvalidate(m, pfn, n);
  if (huge && m.frames.counts[r] === 0) {
    m.rmpUpdate(r * CHUNK, CHUNK, true, '2M', false);
    return pvalidate(m, pfn, n);
  }
  rmpUpdateRun(m, gfn, pfn, n, true, false);
}

/**
 * The guest's PVALIDATE of assigned frames [pfn, pfn + n) within one 2 MiB region: a 4K
 * PVALIDATE inside a 2M RMP entry is a #NPF with PFERR_GUEST_SIZEM, which sev_handle_rmp_fault()
 * resolves with PSMASH ([rmp.npf.sizem]) without touching the direct map.
 */
function pvalidate(m: Machine, pfn: number, n: number): void {
  const r = Math.floor(pfn / CHUNK);
  if (m.rmp2m[r] === 1 && n < CHUNK) m.psmash(r, 'rmp.npf.sizem');
  m.frames.update(pfn, n, RMP_VALIDATED, RMP_VALIDATED);
}

/** Is the guest_memfd folio behind gfn huge (and not split by a conversion)? */
function hugeFolioAt(g: Guest, gfn: number, folio: GmemPolicy['folio']): boolean {
  // An order-9 folio: the THP design's, or the 1G design's fallback when no 1 GiB block is free.
  if (g.folio2m[Math.floor(gfn / CHUNK)] === 1) return true;
  const block = Math.floor(gfn / GIG);
  return folio === '1g' && g.gigaFolio.has(block * GIG) && !g.gigaSplit.has(block);
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
  g.folio2m.fill(0);
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
          if (folio === '4k')
            hostRuns(g.gmemMap, start, count, (gs, pfn, cnt) =>
              rmpUpdateRun(m, gs, pfn, cnt, true, false),
            );
          else
            hostRuns(g.gmemMap, start, count, (gs, _pfn, cnt) =>
              prepareAndValidate(m, g, gs, cnt, hugeFolioAt(g, gs, folio)),
            );
          if (w & G_BACKED) g.doubleBacked += count;
          g.state.update(start, count, 0, G_VALIDATED | G_GMEM);
          return;
        }
        if (!(w & G_VALIDATED)) {
          hostRuns(g.gmemMap, start, count, (_gs, pfn, cnt) => pvalidate(m, pfn, cnt));
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
            if (!inPlaceShared) {
              m.freeFrames(pfn, cnt);
              g.folio2m[Math.floor(gs / CHUNK)] = 0;
            }
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
