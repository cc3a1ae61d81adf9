/**
 * The reference model's events, page by page over Maps. The rules are those of domain.md §2–§4
 * as the engine states them (apply.ts, guest-ops.ts); where the engine works on runs and the run
 * boundary is part of the rule (a 2M RMP entry only for a whole aligned run, a 2M folio only for a
 * whole chunk), the same runs are formed here by looking at every page.
 */
import type { EngineEvent } from '../machine/events';
import {
  DM_UNMAPPED,
  frameWord,
  G_BACKED,
  G_GMEM,
  G_PRIVATE,
  G_VALIDATED,
  MAP_4K,
  MAP_HUGETLB_1G,
  MAP_HUGETLB_2M,
  MAP_THP,
  RMP_VALIDATED,
  USE_SEQ,
} from '../machine/frame-bits';
import { PAGE_SIZE, type PageLevel } from '../machine/units';
import {
  allocBacking,
  allocGmem,
  C,
  type G,
  GIG,
  hruns,
  type M,
  mode,
  reclaim,
  release,
  rmpRun,
  runs,
  seqRelease,
  st,
  um,
  upd,
} from './reference-alloc';

import { refLaunchTraffic, refTeardownTraffic } from './reference-host';

export type { RefGuest } from './reference-alloc';

function teardown(m: M, g: G, status: G['status']): void {
  refTeardownTraffic(m, g);
  release(m, g, g.backing, G_BACKED);
  if (m.rules.sequester) {
    runs(g, 0, g.pages, (s, cnt, w) => {
      if (w & G_GMEM) hruns(g.gmem, s, cnt, (_gs, pfn, n) => seqRelease(m, pfn, n));
    });
  } else if (g.gigaFolio.size > 0) {
    const inGiga = (pfn: number) =>
      [...g.gigaFolio.values()].some((b) => pfn >= b && pfn < b + GIG);
    for (const pfn of g.gigaFolio.values()) {
      reclaim(m, pfn, GIG);
      m.freeFrames(pfn, GIG);
    }
    runs(g, 0, g.pages, (s, cnt, w) => {
      if (!(w & G_GMEM)) return;
      hruns(g.gmem, s, cnt, (_gs, pfn, n) => {
        if (inGiga(pfn)) return;
        reclaim(m, pfn, n);
        m.freeFrames(pfn, n);
      });
    });
  } else release(m, g, g.gmem, G_GMEM);
  g.state.clear();
  g.userMap.clear();
  g.gigaFolio.clear();
  g.folio2m.clear();
  g.doubleBacked = 0;
  g.status = status;
}

function kill(m: M, g: G, rule: string): void {
  m.emit('sigbus');
  m.emit('guest-killed');
  teardown(m, g, 'killed');
  g.reason = rule;
}

export function applyReference(m: M, ev: EngineEvent): void {
  m.step++;
  if (ev.op === 'host-write') {
    const inRange = ev.pfn >= 0 && ev.pfn < m.totalPages;
    if (!inRange || (m.isHole(ev.pfn) && ev.pfn >= 256) || m.isRmpTable(ev.pfn))
      return m.emit('ignored');
    return kernelWrite(m, ev.pfn);
  }
  const g = m.guests[ev.guest];
  if (!g) return m.emit('ignored');
  if (ev.op === 'launch') return launch(m, g);
  if (g.status !== 'running') return m.emit('ignored');
  const gfn = Math.floor(ev.gpa / PAGE_SIZE);
  const n = Math.min(Math.max(1, Math.ceil(ev.sizeBytes / PAGE_SIZE)), Math.max(0, g.pages - gfn));
  if (ev.op === 'exit') {
    teardown(m, g, 'exited');
    return m.emit('exit');
  }
  if (n <= 0) return m.emit('ignored');
  if (ev.op === 'accept') accept(m, g, gfn, n);
  else if (ev.op === 'share') share(m, g, gfn, n);
  else if (ev.op === 'unshare') unshare(m, g, gfn, n);
  else if (ev.op === 'hv-write') hvWrite(m, g, gfn, n, ev.via);
}

function launch(m: M, g: G): void {
  if (g.status !== 'created') return m.emit('ignored');
  const md = mode(m, g);
  const refusal = md === 'plain' ? null : m.onRegister(g.spec.backing);
  if (refusal) {
    g.status = 'refused';
    g.reason = refusal;
    return m.emit('launch-refused');
  }
  if (md === 'gmem') upd(g, 0, g.pages, 0, G_PRIVATE);
  if ((md !== 'gmem' && !allocBacking(m, g, 0, g.pages, true)) || !refLaunchTraffic(m, g)) {
    m.emit('oom');
    teardown(m, g, 'failed');
    g.reason = 'out of host memory while pinning guest RAM';
    return;
  }
  g.status = 'running';
  m.emit('launch');
}

function accept(m: M, g: G, gfn: number, n: number): void {
  const md = mode(m, g);
  if (md === 'plain') return upd(g, gfn, n, 0, G_VALIDATED);
  runs(g, gfn, n, (start, count, w) => {
    if (!(w & G_PRIVATE) || (m.rules.sequester && w & G_GMEM))
      return toPrivate(m, g, start, count, w);
    if (md === 'gmem' && !(w & G_GMEM)) {
      if (!allocGmem(m, g, start, count)) return m.emit('oom');
      hruns(g.gmem, start, count, (gs, pfn, cnt) => {
        if (m.rules.gmemFolio === '4k') return rmpRun(m, gs, pfn, cnt, true, false);
        prepare(m, g, gs, pfn, cnt);
      });
      if (w & G_BACKED) g.doubleBacked += count;
      return upd(g, start, count, 0, G_VALIDATED | G_GMEM);
    }
    if (!(w & G_VALIDATED)) {
      const map = md === 'gmem' ? g.gmem : g.backing;
      if (md === 'gmem') hruns(map, start, count, (_gs, pfn, cnt) => pvalidate(m, pfn, cnt));
      else
        for (let p = start; p < start + count; p++)
          m.updateWord(map.get(p)!, 1, RMP_VALIDATED, RMP_VALIDATED);
      upd(g, start, count, 0, G_VALIDATED);
    }
  });
}

/** sev_gmem_prepare(): one 2M RMP entry for an unassigned region of a huge folio, else 4K. */
function prepare(m: M, g: G, gfn: number, pfn: number, cnt: number): void {
  const r = Math.floor(pfn / C);
  if (m.rmp2m.has(r)) return pvalidate(m, pfn, cnt);
  const block = Math.floor(gfn / GIG);
  const huge =
    g.folio2m.has(Math.floor(gfn / C)) ||
    (m.rules.gmemFolio === '1g' && g.gigaFolio.has(block * GIG) && !g.gigaSplit.has(block));
  if (huge && m.assignedInRegion(r) === 0) {
    m.rmpUpdate(r * C, C, true, '2M', false);
    return pvalidate(m, pfn, cnt);
  }
  rmpRun(m, gfn, pfn, cnt, true, false);
}

/** PVALIDATE: a 4K one inside a 2M RMP entry is a SIZEM #NPF that KVM resolves with PSMASH. */
function pvalidate(m: M, pfn: number, cnt: number): void {
  const r = Math.floor(pfn / C);
  if (m.rmp2m.has(r) && cnt < C) m.psmash(r);
  m.updateWord(pfn, cnt, RMP_VALIDATED, RMP_VALIDATED);
}

function toPrivate(m: M, g: G, start: number, count: number, w: number): void {
  if (mode(m, g) === 'backing') {
    if (m.rules.sequester && w & G_GMEM) {
      hruns(g.gmem, start, count, (_gs, pfn, cnt) => seqRelease(m, pfn, cnt));
      hruns(g.backing, start, count, (gs, pfn, cnt) => {
        if (m.assigned(pfn)) m.updateWord(pfn, cnt, RMP_VALIDATED, RMP_VALIDATED);
        else rmpRun(m, gs, pfn, cnt, true, false);
      });
      g.doubleBacked -= count;
      return upd(g, start, count, G_GMEM, G_PRIVATE | G_VALIDATED);
    }
    hruns(g.backing, start, count, (gs, pfn, cnt) =>
      rmpRun(m, gs, pfn, cnt, true, um(g, Math.floor(gs / C)) !== MAP_4K),
    );
    return upd(g, start, count, 0, G_PRIVATE | G_VALIDATED);
  }
  const inPlace = m.rules.inPlaceShared && w & G_GMEM;
  if (!inPlace && !allocGmem(m, g, start, count)) return m.emit('oom');
  const allow2m = m.rules.gmemFolio !== '4k' && !inPlace;
  hruns(g.gmem, start, count, (gs, pfn, cnt) => rmpRun(m, gs, pfn, cnt, true, allow2m));
  upd(g, start, count, 0, G_PRIVATE | G_VALIDATED | G_GMEM);
  if (!inPlace && w & G_BACKED) g.doubleBacked += count;
  if (w & G_BACKED && !m.rules.inPlaceShared) discardShared(m, g, start, count);
}

function discardShared(m: M, g: G, start: number, count: number): void {
  runs(g, start, count, (s, cnt, w) => {
    if (!(w & G_BACKED)) return;
    const c = Math.floor(s / C);
    const kind = um(g, c);
    if (kind === MAP_HUGETLB_2M || kind === MAP_HUGETLB_1G) {
      return m.emit('double-backed');
    }
    if (kind === MAP_THP) {
      g.userMap.set(c, MAP_4K);
      m.emit('thp-split');
    }
    hruns(g.backing, s, cnt, (_gs, pfn, n) => m.freeFrames(pfn, n));
    g.doubleBacked -= w & G_GMEM ? cnt : 0;
    upd(g, s, cnt, G_BACKED, 0);
  });
}

function share(m: M, g: G, gfn: number, n: number): void {
  const md = mode(m, g);
  if (md === 'plain') return upd(g, gfn, n, G_PRIVATE, 0);
  runs(g, gfn, n, (start, count, w) => {
    if (!(w & G_PRIVATE)) return;
    if (md === 'backing' && m.rules.sequester) {
      seqAlloc(m, g, start, count);
      for (let p = start; p < start + count; p++)
        m.updateWord(g.backing.get(p)!, 1, RMP_VALIDATED, 0);
      g.doubleBacked += count;
      upd(g, start, count, G_PRIVATE | G_VALIDATED, G_GMEM);
      return m.emit('double-backed');
    }
    if (md === 'backing') {
      hruns(g.backing, start, count, (gs, pfn, cnt) => rmpRun(m, gs, pfn, cnt, false, true));
      return upd(g, start, count, G_PRIVATE | G_VALIDATED, 0);
    }
    if (w & G_GMEM) {
      hruns(g.gmem, start, count, (gs, pfn, cnt) => {
        folioSplit(m, g, gs, pfn, cnt);
        rmpRun(m, gs, pfn, cnt, false, true);
        if (!m.rules.inPlaceShared) {
          m.freeFrames(pfn, cnt);
          g.folio2m.delete(Math.floor(gs / C));
        }
      });
      if (!m.rules.inPlaceShared) {
        upd(g, start, count, G_GMEM, 0);
        if (w & G_BACKED) g.doubleBacked -= count;
      }
    } else if (m.rules.inPlaceShared && !allocGmem(m, g, start, count)) return m.emit('oom');
    upd(g, start, count, G_PRIVATE | G_VALIDATED, 0);
    if (!m.rules.inPlaceShared && !allocBacking(m, g, start, count, false)) m.emit('oom');
  });
}

function folioSplit(m: M, g: G, gfn: number, pfn: number, count: number): void {
  if (m.rules.gmemFolio === '1g') {
    const block = Math.floor(gfn / GIG);
    if (g.gigaFolio.has(block * GIG) && !g.gigaSplit.has(block)) {
      g.gigaSplit.add(block);
      m.emit('folio-split');
    }
  } else if (m.rmp2m.has(Math.floor(pfn / C)) && count < C) m.emit('folio-split');
}

function seqAlloc(m: M, g: G, start: number, count: number): void {
  for (let i = 0; i < count; i++) {
    if (m.seqFree.length === 0) {
      const block = m.allocBlock(9, frameWord(USE_SEQ));
      if (block < 0) return m.emit('oom');
      for (let k = C - 1; k >= 0; k--) m.seqFree.push(block + k);
    }
    const pfn = m.seqFree.pop()!;
    m.setWord(pfn, 1, frameWord(USE_SEQ, g.index));
    g.gmem.set(start + i, pfn);
  }
}

function unshare(m: M, g: G, gfn: number, n: number): void {
  if (mode(m, g) === 'plain') return upd(g, gfn, n, 0, G_PRIVATE);
  runs(g, gfn, n, (start, count, w) => {
    if (!(w & G_PRIVATE)) toPrivate(m, g, start, count, w);
  });
}

function hvWrite(m: M, g: G, gfn: number, n: number, via: 'user' | 'direct-map'): void {
  const md = mode(m, g);
  for (let p = gfn; p < gfn + n && g.status === 'running'; p++) {
    let w = st(g, p);
    const c = Math.floor(p / C);
    const privateFrame = md === 'gmem' && w & G_GMEM && (w & G_PRIVATE || m.rules.inPlaceShared);
    let pfn: number;
    let level: PageLevel = '4K';
    if (
      (via === 'direct-map' && privateFrame) ||
      (m.rules.sequester && w & G_GMEM) ||
      (m.rules.inPlaceShared && w & G_GMEM)
    )
      pfn = g.gmem.get(p)!;
    else {
      if (!(w & G_BACKED)) {
        if (!allocBacking(m, g, p, 1, false)) return m.emit('oom');
        w = st(g, p);
      }
      pfn = g.backing.get(p)!;
      const k = um(g, c);
      level = k === MAP_THP || k === MAP_HUGETLB_2M ? '2M' : k === MAP_HUGETLB_1G ? '1G' : '4K';
    }
    if (via === 'direct-map') {
      kernelWrite(m, pfn);
      continue;
    }
    if (!m.writeFaults(pfn, level)) continue;
    m.emit('rmp-fault');
    const kind = um(g, c);
    if (kind === MAP_THP && level !== '4K') {
      g.userMap.set(c, MAP_4K);
      m.emit('thp-split');
      if (m.writeFaults(pfn, '4K')) kill(m, g, 'rmp.user_private');
      continue;
    }
    kill(
      m,
      g,
      kind === MAP_HUGETLB_2M || kind === MAP_HUGETLB_1G
        ? 'rfc.hugetlb_sigbus'
        : 'rmp.user_private',
    );
  }
}

function kernelWrite(m: M, pfn: number): void {
  const level = m.levelOf(pfn);
  if (level === null || m.word(pfn) & DM_UNMAPPED) return m.emit('host-oops');
  if (!m.writeFaults(pfn, level) && !m.inUseFaults(pfn)) return;
  m.emit('rmp-fault');
  m.emit('host-oops');
}
