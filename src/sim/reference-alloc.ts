/**
 * The reference model's guest memory helpers: page-state runs, host-frame runs, KVM's RMPUPDATE
 * of a run, the VMM's backing and guest_memfd allocation, and reclaim. Page by page over Maps.
 */
import type { Backing, GuestSpec } from '../machine/events';
import {
  frameWord,
  G_BACKED,
  G_GMEM,
  G_PRIVATE,
  MAP_4K,
  MAP_HUGETLB_1G,
  MAP_HUGETLB_2M,
  MAP_NONE,
  MAP_THP,
  USE_GMEM,
  USE_SEQ,
  USE_VMM,
} from '../machine/frame-bits';
import { PAGES_PER_1G, PAGES_PER_2M } from '../machine/units';
import type { ReferenceMachine } from './reference';

export const C = PAGES_PER_2M;
export const GIG = PAGES_PER_1G;

export interface RefGuest {
  index: number;
  spec: GuestSpec;
  pages: number;
  status: 'created' | 'running' | 'refused' | 'killed' | 'exited' | 'failed';
  reason: string;
  /** gfn → G_* word (absent: 0). */
  state: Map<number, number>;
  /** gfn → host frame of the VMM's backing / of guest_memfd or the sequestered area. */
  backing: Map<number, number>;
  gmem: Map<number, number>;
  /** 2 MiB GPA chunk → VMM user mapping (MAP_*; absent: none). */
  userMap: Map<number, number>;
  doubleBacked: number;
  gigaFolio: Map<number, number>;
  gigaSplit: Set<number>;
  /** Chunks whose guest_memfd frames are one order-9 folio. */
  folio2m: Set<number>;
}

export type M = ReferenceMachine;
export type G = RefGuest;

export const st = (g: G, p: number) => g.state.get(p) ?? 0;
export const upd = (g: G, p: number, n: number, clear: number, set: number) => {
  for (let i = p; i < p + n; i++) g.state.set(i, (st(g, i) & ~clear) | set);
};
export const um = (g: G, c: number) => g.userMap.get(c) ?? MAP_NONE;
export const mode = (m: M, g: G) => (!m.rules.snp || !g.spec.snp ? 'plain' : m.rules.privateMemory);

/** Runs of equal state word, never crossing a 2 MiB chunk. */
export function runs(
  g: G,
  gfn: number,
  n: number,
  fn: (s: number, cnt: number, w: number) => void,
) {
  const end = Math.min(gfn + n, g.pages);
  for (let p = gfn; p < end; ) {
    const ce = Math.min((Math.floor(p / C) + 1) * C, end);
    const w = st(g, p);
    let q = p + 1;
    while (q < ce && st(g, q) === w) q++;
    fn(p, q - p, w);
    p = q;
  }
}

/** Runs of consecutive host frames, never crossing a chunk. */
export function hruns(
  map: Map<number, number>,
  gfn: number,
  n: number,
  fn: (gs: number, pfn: number, cnt: number) => void,
) {
  for (let p = gfn; p < gfn + n; ) {
    const ce = Math.min((Math.floor(p / C) + 1) * C, gfn + n);
    const pfn = map.get(p)!;
    let q = p + 1;
    while (q < ce && map.get(q) === pfn + (q - p)) q++;
    fn(p, pfn, q - p);
    p = q;
  }
}

export function setMap(map: Map<number, number>, gfn: number, n: number, pfn: number) {
  for (let i = 0; i < n; i++) map.set(gfn + i, pfn + i);
}

/** KVM's RMPUPDATE of a run: 2M entries for whole aligned chunks (if allowed), else 4K. */
export function rmpRun(
  m: M,
  gfn: number,
  pfn: number,
  count: number,
  assigned: boolean,
  allow2m: boolean,
) {
  let done = 0;
  while (done < count) {
    const p = pfn + done;
    const left = count - done;
    if (allow2m && p % C === 0 && (gfn + done) % C === 0 && left >= C) {
      const n = Math.floor(left / C) * C;
      m.rmpUpdate(p, n, assigned, '2M', true);
      done += n;
      continue;
    }
    const n = Math.min(left, C - (p % C));
    const r = Math.floor(p / C);
    if (m.rmp2m.has(r)) {
      if (!assigned && n === C) {
        m.rmpUpdate(p, n, false, '2M', false);
        done += n;
        continue;
      }
      m.psmash(r);
    }
    m.rmpUpdate(p, n, assigned, '4K', true);
    done += n;
  }
}

export const kindOf = (b: Backing) =>
  b === 'thp'
    ? MAP_THP
    : b === 'hugetlbfs-2m'
      ? MAP_HUGETLB_2M
      : b === 'hugetlbfs-1g'
        ? MAP_HUGETLB_1G
        : MAP_4K;

export function allocBacking(m: M, g: G, gfn: number, n: number, whole: boolean): boolean {
  const word = frameWord(USE_VMM, g.index);
  const kind = kindOf(g.spec.backing);
  let ok = true;
  runs(g, gfn, n, (start, count, w) => {
    if (!ok || w & G_BACKED) return;
    for (let p = start; p < start + count && ok; ) {
      const c = Math.floor(p / C);
      const cs = c * C;
      const ce = Math.min(cs + C, g.pages);
      const untouched = um(g, c) === MAP_NONE;
      const gs = Math.floor(p / GIG) * GIG;
      if (kind === MAP_HUGETLB_1G && untouched && gs + GIG <= g.pages) {
        const pfn = m.allocBlock(18, word);
        if (pfn < 0) {
          ok = false;
          return;
        }
        setMap(g.backing, gs, GIG, pfn);
        backed(g, gs, GIG);
        for (let k = gs / C; k < (gs + GIG) / C; k++) g.userMap.set(k, MAP_HUGETLB_1G);
        p = gs + GIG;
        continue;
      }
      const hugetlb = kind === MAP_HUGETLB_2M || kind === MAP_HUGETLB_1G;
      const huge = hugetlb || kind === MAP_THP || (m.rules.sequester && whole);
      if (huge && untouched && ce - cs === C) {
        const pfn = m.allocBlock(9, word);
        if (pfn >= 0) {
          setMap(g.backing, cs, C, pfn);
          backed(g, cs, C);
          g.userMap.set(c, hugetlb ? MAP_HUGETLB_2M : kind === MAP_THP ? MAP_THP : MAP_4K);
          p = ce;
          continue;
        }
        if (hugetlb) {
          ok = false;
          return;
        }
      }
      const q = Math.min(start + count, ce);
      const got = m.allocFrames(q - p, word);
      if (!got) {
        ok = false;
        return;
      }
      let at = p;
      for (const r of got) {
        setMap(g.backing, at, r.count, r.pfn);
        at += r.count;
      }
      backed(g, p, q - p);
      if (um(g, c) === MAP_NONE) g.userMap.set(c, MAP_4K);
      p = q;
    }
  });
  return ok;
}

/** G_BACKED on [gfn, gfn + n); a page that already has a private frame is now backed twice. */
function backed(g: G, gfn: number, n: number): void {
  runs(g, gfn, n, (_s, count, w) => {
    if (w & G_GMEM && !(w & G_BACKED)) g.doubleBacked += count;
  });
  upd(g, gfn, n, 0, G_BACKED);
}

export function allocGmem(m: M, g: G, gfn: number, n: number): boolean {
  const word = frameWord(USE_GMEM, g.index);
  const folio = m.rules.gmemFolio;
  for (let p = gfn; p < gfn + n; ) {
    if (folio === '1g') {
      const gs = Math.floor(p / GIG) * GIG;
      const ge = Math.min(gs + GIG, g.pages);
      if (!g.gigaFolio.has(gs)) {
        const pfn = m.allocBlock(18, word);
        if (pfn >= 0) {
          g.gigaFolio.set(gs, pfn);
          setMap(g.gmem, gs, ge - gs, pfn);
        }
      }
      if (g.gigaFolio.has(gs)) {
        const q = Math.min(gfn + n, ge);
        upd(g, p, q - p, 0, G_GMEM);
        p = q;
        continue;
      }
    }
    const c = Math.floor(p / C);
    const chunkEnd = Math.min((c + 1) * C, gfn + n);
    // A whole chunk asked for, or the first touch of a chunk whose 512 pages are all private.
    let fresh = (c + 1) * C <= g.pages;
    for (let i = c * C; i < (c + 1) * C && fresh; i++)
      fresh = st(g, i) === st(g, c * C) && (st(g, i) & G_PRIVATE) !== 0 && !(st(g, i) & G_GMEM);
    if (folio !== '4k' && ((p % C === 0 && chunkEnd - p === C) || fresh)) {
      const pfn = m.allocBlock(9, word);
      if (pfn >= 0) {
        setMap(g.gmem, c * C, C, pfn);
        upd(g, c * C, C, 0, G_GMEM);
        g.folio2m.add(c);
        p = chunkEnd;
        continue;
      }
    }
    const q = folio === '4k' ? gfn + n : chunkEnd;
    const got = m.allocFrames(q - p, word);
    if (!got) return false;
    let at = p;
    for (const r of got) {
      setMap(g.gmem, at, r.count, r.pfn);
      at += r.count;
    }
    upd(g, p, q - p, 0, G_GMEM);
    p = q;
  }
  return true;
}

export function reclaim(m: M, pfn: number, count: number): void {
  for (let p = pfn; p < pfn + count; ) {
    const r = Math.floor(p / C);
    const q = Math.min((r + 1) * C, pfn + count);
    if (m.rmp2m.has(r) && q - p === C) m.rmpUpdate(p, C, false, '2M', false);
    else if (m.assignedInRegion(r) > 0) {
      if (m.rmp2m.has(r)) m.psmash(r);
      for (let s = p; s < q; ) {
        const a = m.assigned(s);
        let e = s + 1;
        while (e < q && m.assigned(e) === a) e++;
        if (a) m.rmpUpdate(s, e - s, false, '4K', false);
        s = e;
      }
    }
    p = q;
  }
}

export function release(m: M, g: G, map: Map<number, number>, mask: number): void {
  runs(g, 0, g.pages, (s, cnt, w) => {
    if (!(w & mask)) return;
    hruns(map, s, cnt, (_gs, pfn, n) => {
      reclaim(m, pfn, n);
      m.freeFrames(pfn, n);
    });
  });
}

export function seqRelease(m: M, pfn: number, count: number): void {
  for (let k = count - 1; k >= 0; k--) {
    m.setWord(pfn + k, 1, frameWord(USE_SEQ));
    m.seqFree.push(pfn + k);
  }
}
