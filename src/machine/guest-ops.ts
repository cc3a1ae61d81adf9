/**
 * The mechanics guest events share, whatever the kernel design: walking a guest's pages by runs
 * (a 2 MiB chunk at a time when it is uniform, so a 960 GiB guest accepting memory in 2 MiB
 * requests costs O(1) per request), RMPUPDATE of a run, reclaim, and the VMM's (QEMU's) backing
 * of guest RAM. What a design does with them is in kernels/.
 */
import type { Backing } from './events';
import {
  frameWord,
  G_BACKED,
  G_GMEM,
  MAP_4K,
  MAP_HUGETLB_1G,
  MAP_HUGETLB_2M,
  MAP_NONE,
  MAP_THP,
  RMP_ASSIGNED,
  USE_VMM,
} from './frame-bits';
import type { Guest } from './guest';
import type { LinearMap } from './linear-map';
import type { Machine } from './machine';

const CHUNK = 512;
const GIG = 512 * 512;

/** Calls fn for maximal runs of pages in [gfn, gfn + n) with one state word. */
export function stateRuns(
  g: Guest,
  gfn: number,
  n: number,
  fn: (gfn: number, count: number, word: number) => void,
): void {
  const end = Math.min(gfn + n, g.pages);
  let p = gfn;
  while (p < end) {
    const c = Math.floor(p / CHUNK);
    const ce = Math.min((c + 1) * CHUNK, end);
    const u = g.state.uniformWord(c);
    if (u >= 0) {
      fn(p, ce - p, u);
      p = ce;
      continue;
    }
    // Each run is read after fn has seen the one before: fn may change pages past its run (a
    // huge backing page marks its whole chunk backed), and the next run must see that.
    while (p < ce) {
      const w = g.state.get(p);
      const q = g.state.runEnd(p, ce);
      fn(p, q - p, w);
      p = q;
    }
  }
}

/** Calls fn for maximal runs of [gfn, gfn + n) that map to consecutive host frames. */
export function hostRuns(
  map: LinearMap,
  gfn: number,
  n: number,
  fn: (gfn: number, pfn: number, count: number) => void,
): void {
  let p = gfn;
  const end = gfn + n;
  while (p < end) {
    const c = Math.floor(p / CHUNK);
    const ce = Math.min((c + 1) * CHUNK, end);
    const base = map.linearBase(c);
    if (!Number.isNaN(base)) {
      fn(p, base + (p - c * CHUNK), ce - p);
      p = ce;
      continue;
    }
    while (p < ce) {
      const pfn = map.get(p);
      const q = map.linearEnd(p, ce);
      fn(p, pfn, q - p);
      p = q;
    }
  }
}

/**
 * RMPUPDATE a host run for pages of one guest, with 2M entries wherever a whole aligned region
 * maps a whole aligned 2 MiB GPA chunk (the only case KVM uses a 2M entry), else 4K entries.
 */
export function rmpUpdateRun(
  m: Machine,
  gfn: number,
  pfn: number,
  count: number,
  assigned: boolean,
  allow2m: boolean,
): void {
  let done = 0;
  while (done < count) {
    const p = pfn + done;
    const left = count - done;
    const whole = p % CHUNK === 0 && (gfn + done) % CHUNK === 0 && left >= CHUNK;
    if (allow2m && whole) {
      let n = CHUNK;
      while (n + CHUNK <= left) n += CHUNK;
      m.rmpUpdate(p, n, assigned, '2M', true);
      done += n;
      continue;
    }
    const n = Math.min(left, CHUNK - (p % CHUNK));
    const r = Math.floor(p / CHUNK);
    if (m.rmp2m[r] === 1) {
      if (!assigned && n === CHUNK) {
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

// ---- backing allocation ---------------------------------------------------------------

function mapKind(backing: Backing): number {
  if (backing === 'thp') return MAP_THP;
  if (backing === 'hugetlbfs-2m') return MAP_HUGETLB_2M;
  if (backing === 'hugetlbfs-1g') return MAP_HUGETLB_1G;
  return MAP_4K;
}

/**
 * Give pages [gfn, gfn + n) frames in the VMM's backing, by backing type: hugetlbfs takes whole
 * huge pages (2M, or 1G gigantic), THP takes an order-9 page for an untouched chunk and falls back
 * to 4K, 4K takes order-0 pages; `in2mUnits` takes order-9 pages for whole untouched chunks
 * whatever the backing (a host that places guest RAM in 2 MiB units). Returns false when the
 * host runs out of memory.
 */
export function allocBacking(
  m: Machine,
  g: Guest,
  gfn: number,
  n: number,
  in2mUnits: boolean,
): boolean {
  const word = frameWord(USE_VMM, g.index);
  const kind = mapKind(g.spec.backing);
  let ok = true;
  stateRuns(g, gfn, n, (start, count, w) => {
    if (!ok || w & G_BACKED) return;
    let p = start;
    const end = start + count;
    while (p < end && ok) {
      const c = Math.floor(p / CHUNK);
      const cs = c * CHUNK;
      const ce = Math.min(cs + CHUNK, g.pages);
      const untouched = g.userMap[c] === MAP_NONE;
      const gs = Math.floor(p / GIG) * GIG;
      // Huge pages only where the guest covers the whole page: a partial one would be pinned
      // by the VMM but never freed by the model (QEMU rounds RAM to the page size instead).
      if (kind === MAP_HUGETLB_1G && untouched && gs + GIG <= g.pages) {
        const pfn = m.allocBlock(18, word);
        if (pfn < 0) {
          ok = false;
          return;
        }
        g.backingMap.set(gs, GIG, pfn);
        markBacked(g, gs, GIG);
        g.userMap.fill(MAP_HUGETLB_1G, gs / CHUNK, (gs + GIG) / CHUNK);
        p = gs + GIG;
        continue;
      }
      const hugetlb = kind === MAP_HUGETLB_2M || kind === MAP_HUGETLB_1G;
      const huge = (hugetlb || kind === MAP_THP || in2mUnits) && untouched;
      if (huge && ce - cs === CHUNK) {
        const pfn = m.allocBlock(9, word);
        if (pfn >= 0) {
          g.backingMap.set(cs, CHUNK, pfn);
          markBacked(g, cs, CHUNK);
          g.userMap[c] = hugetlb ? MAP_HUGETLB_2M : kind === MAP_THP ? MAP_THP : MAP_4K;
          p = ce;
          continue;
        }
        if (hugetlb) {
          ok = false;
          return;
        }
      }
      const q = Math.min(end, ce);
      const runs = m.allocFrames(q - p, word);
      if (!runs) {
        ok = false;
        return;
      }
      let at = p;
      for (const r of runs) {
        g.backingMap.set(at, r.count, r.pfn);
        at += r.count;
      }
      markBacked(g, p, q - p);
      if (g.userMap[c] === MAP_NONE) g.userMap[c] = MAP_4K;
      p = q;
    }
  });
  return ok;
}

/** Set G_BACKED on [gfn, gfn + n), counting pages that already hold a private frame. */
function markBacked(g: Guest, gfn: number, n: number): void {
  stateRuns(g, gfn, n, (_s, count, w) => {
    if (w & G_GMEM && !(w & G_BACKED)) g.doubleBacked += count;
  });
  g.state.update(gfn, n, 0, G_BACKED);
}

/** Frees a guest's frames of one map over [gfn, gfn + n), reclaiming RMP entries first. */
export function releaseFrames(
  m: Machine,
  g: Guest,
  map: LinearMap,
  gfn: number,
  n: number,
  mask: number,
): void {
  stateRuns(g, gfn, n, (start, count, w) => {
    if (!(w & mask)) return;
    hostRuns(map, start, count, (_gfn, pfn, cnt) => {
      reclaimRmp(m, pfn, cnt);
      m.freeFrames(pfn, cnt);
    });
  });
}

/** RMPUPDATE back to hypervisor-owned for the assigned frames of a host run. */
export function reclaimRmp(m: Machine, pfn: number, count: number): void {
  let p = pfn;
  const end = pfn + count;
  const words = reclaimScratch;
  while (p < end) {
    const r = Math.floor(p / CHUNK);
    const q = Math.min((r + 1) * CHUNK, end);
    if (m.rmp2m[r] === 1 && q - p === CHUNK) m.rmpUpdate(p, CHUNK, false, '2M', false);
    else if (m.frames.counts[r]! > 0) {
      if (m.rmp2m[r] === 1) m.psmash(r);
      // Only the assigned sub-runs need an RMPUPDATE (a 4K update of an unassigned frame would
      // still make adjust_direct_map split).
      m.frames.readRegion(r, words);
      const base = r * CHUNK;
      let s = p;
      while (s < q) {
        const a = (words[s - base]! & RMP_ASSIGNED) !== 0;
        let e = s + 1;
        while (e < q && ((words[e - base]! & RMP_ASSIGNED) !== 0) === a) e++;
        if (a) m.rmpUpdate(s, e - s, false, '4K', false);
        s = e;
      }
    }
    p = q;
  }
}
const reclaimScratch = new Uint32Array(CHUNK);

/**
 * QEMU's ram_block_discard_range() on the shared copy after a conversion to private
 * (kvm_convert_memory() in accel/kvm/kvm-all.c): hugetlbfs cannot discard 4K inside a huge page
 * ([qemu.double_backing]); discarding inside a THP splits its mapping ([vmm.thp_discard]).
 */
export function discardShared(m: Machine, g: Guest, start: number, count: number): void {
  stateRuns(g, start, count, (s, cnt, w) => {
    if (!(w & G_BACKED)) return;
    const c = Math.floor(s / CHUNK);
    const kind = g.userMap[c];
    if (kind === MAP_HUGETLB_2M || kind === MAP_HUGETLB_1G) {
      return m.emit('double-backed', 'qemu.double_backing', g.backingMap.get(s), cnt, s * 4096);
    }
    if (kind === MAP_THP) {
      g.userMap[c] = MAP_4K;
      m.emit('thp-split', 'vmm.thp_discard', g.backingMap.get(c * CHUNK), c, c * CHUNK * 4096);
    }
    hostRuns(g.backingMap, s, cnt, (_gs, pfn, n) => m.freeFrames(pfn, n));
    g.doubleBacked -= w & G_GMEM ? cnt : 0;
    g.state.update(s, cnt, G_BACKED, 0);
  });
}
