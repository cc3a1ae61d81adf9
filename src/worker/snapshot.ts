/**
 * Snapshot builders: the machine at one step → the compact arrays the map draws (one byte per
 * 2 MiB region, 512 bytes per region or GPA chunk asked for). Work is proportional to what is
 * asked: one pass over the regions with the uniform-region fast path for a snapshot, and region
 * reads only for the regions or chunks in view.
 */
import { PMD_LEAF, PMD_TABLE, PUD_LEAF, PUD_TABLE } from '../machine/direct-map';
import {
  DM_UNMAPPED,
  frameUse,
  G_BACKED,
  G_GMEM,
  MAP_4K,
  MAP_HUGETLB_1G,
  MAP_HUGETLB_2M,
  MAP_NONE,
  MAP_THP,
  ownerOf,
  RMP_ASSIGNED,
  RMP_IMMUTABLE,
  USE_FIRMWARE,
  USE_FREE,
  USE_GMEM,
  USE_HOLE,
  USE_KERNEL,
  USE_PAGETABLE,
  USE_RMPTABLE,
  USE_SEQ,
  USE_VMM,
} from '../machine/frame-bits';
import type { Guest } from '../machine/guest';
import type { Machine } from '../machine/machine';
import { PAGES_PER_2M } from '../machine/units';
import { regionCauses } from './by-cause';
import {
  CELL_FIRMWARE,
  CELL_FREE,
  CELL_HOLE,
  CELL_KERNEL,
  CELL_PAGETABLE,
  CELL_PRIVATE,
  CELL_PRIVATE_2M,
  CELL_SEQUESTER,
  CELL_SHARED,
  CELL_UNMAPPED,
  LEVEL_1G,
  LEVEL_2M,
  LEVEL_4K,
  LEVEL_NONE,
  type MapSnapshot,
  RF_ASSIGNED,
  RF_MIXED,
  RF_RMP2M,
  RF_SHARED_AND_PRIVATE,
  RF_SPLIT_AFTER_BOOT,
} from './protocol';

const REGION = PAGES_PER_2M;

/** The cell code of a host frame word (protocol.ts CELL_*, guest colour in the high nibble). */
export function cellCode(w: number, rmp2m: boolean): number {
  return CODES[(w & CODE_BITS) + (rmp2m ? CODE_RMP2M : 0)]!;
}

/**
 * A code depends on the RMP and direct-map bits (0–4), the use (8–11) and the owner's colour
 * (owner % 16: bits 12–15) of a word, and the region's RMP entry size: a 2^17-entry table,
 * filled once, turns the branches into one load (a snapshot codes ~750 k runs on a 128 GiB host).
 */
const CODE_BITS = 0xffff;
const CODE_RMP2M = 0x10000;
const CODES = (() => {
  const t = new Uint8Array(2 * CODE_RMP2M);
  for (let w = 0; w <= CODE_BITS; w++) {
    t[w] = computeCellCode(w, false);
    t[w + CODE_RMP2M] = computeCellCode(w, true);
  }
  return t;
})();

/** cellCode by its definition (the table is built from it; tests compare the two). */
export function computeCellCode(w: number, rmp2m: boolean): number {
  const use = frameUse(w);
  if (w & RMP_IMMUTABLE || use === USE_FIRMWARE || use === USE_RMPTABLE) return CELL_FIRMWARE;
  const hue = (ownerOf(w) % 16) * 16;
  if (w & RMP_ASSIGNED) {
    if (w & DM_UNMAPPED) return CELL_UNMAPPED + hue;
    return (rmp2m ? CELL_PRIVATE_2M : CELL_PRIVATE) + hue;
  }
  switch (use) {
    case USE_FREE:
      return CELL_FREE;
    case USE_KERNEL:
      return CELL_KERNEL;
    case USE_PAGETABLE:
      return CELL_PAGETABLE;
    case USE_VMM:
    case USE_GMEM:
      return CELL_SHARED + hue;
    case USE_SEQ:
      return CELL_SEQUESTER + hue;
    case USE_HOLE:
      return CELL_HOLE;
    default:
      return CELL_HOLE;
  }
}

/** Reusable scratch for region reads (one worker thread, no re-entrancy). */
const runStart = new Uint16Array(REGION + 1);
const runWord = new Uint32Array(REGION + 1);
const codeCount = new Uint16Array(256);
const seenCodes = new Uint8Array(256);
const backStart = new Uint16Array(REGION + 1);
const backOff = new Float64Array(REGION + 1);

/**
 * The first step at which each region was split after boot (dm-split outcomes; a 1G→2M split
 * marks its 512 regions), or Infinity. Built once per run from the final outcome log.
 */
export function splitSteps(m: Machine): Float64Array {
  const out = new Float64Array(m.frames.regions).fill(Number.POSITIVE_INFINITY);
  const log = m.log;
  for (let i = 0; i < log.length; i++) {
    if (log.kindAt(i) !== 'dm-split') continue;
    const o = log.get(i);
    const first = Math.floor(o.pfn / REGION);
    const n = o.detail === 1 ? REGION : 1;
    for (let r = first; r < Math.min(first + n, out.length); r++)
      if (out[r]! > o.step) out[r] = o.step;
  }
  return out;
}

/** Direct-map level of every 2 MiB region (LEVEL_*). */
function directMapLevels(m: Machine, out: Uint8Array): void {
  const { pud, pmd } = m.dm;
  for (let g = 0; g < pud.length; g++) {
    const a = g * REGION;
    const b = Math.min(a + REGION, out.length);
    const p = pud[g];
    if (p === PUD_LEAF) out.fill(LEVEL_1G, a, b);
    else if (p !== PUD_TABLE) out.fill(LEVEL_NONE, a, b);
    else
      for (let r = a; r < b; r++) {
        const l = pmd[r];
        out[r] = l === PMD_LEAF ? LEVEL_2M : l === PMD_TABLE ? LEVEL_4K : LEVEL_NONE;
      }
  }
}

export function userLevelOf(kind: number): number {
  if (kind === MAP_4K) return LEVEL_4K;
  if (kind === MAP_THP || kind === MAP_HUGETLB_2M) return LEVEL_2M;
  if (kind === MAP_HUGETLB_1G) return LEVEL_1G;
  return LEVEL_NONE;
}

/**
 * The VMM user-mapping level of the host regions holding each guest's backing frames. There is
 * no host → GPA reverse map, so walk every guest chunk forward: O(chunks) with the linear fast
 * path, one pass over the backing of scattered chunks.
 */
function userLevels(m: Machine, out: Uint8Array): void {
  for (const g of m.guests) {
    for (let c = 0; c < g.chunks; c++) {
      const kind = g.userMap[c]!;
      if (kind === MAP_NONE) continue;
      const level = userLevelOf(kind);
      const u = g.state.uniformWord(c);
      if (u >= 0 && !(u & G_BACKED)) continue;
      const base = g.backingMap.linearBase(c);
      const first = c * REGION;
      const last = Math.min(first + REGION, g.pages);
      if (!Number.isNaN(base) && u >= 0) {
        markRegions(out, base, base + (last - first) - 1, level);
        continue;
      }
      // Walk the chunk's page-state runs against its backing runs (both ascending): unbacked
      // runs cost nothing, and a backing run maps pages [a, b) onto frames off + a .. off + b - 1.
      const k = g.state.runsOf(c, runStart, runWord);
      const kb = g.backingMap.runsOf(c, backStart, backOff);
      let jb = 0;
      for (let j = 0; j < k; j++) {
        if (!(runWord[j]! & G_BACKED)) continue;
        const a = runStart[j]!;
        const b = Math.min(last - first, j + 1 < k ? runStart[j + 1]! : REGION);
        while (jb + 1 < kb && backStart[jb + 1]! <= a) jb++;
        for (let x = jb; x < kb && backStart[x]! < b; x++) {
          const lo = Math.max(a, backStart[x]!);
          const hi = Math.min(b, x + 1 < kb ? backStart[x + 1]! : REGION);
          if (hi > lo) markRegions(out, backOff[x]! + lo, backOff[x]! + hi - 1, level);
        }
      }
    }
  }
}

/** Raise the level of the host regions holding frames [pfnA, pfnB]. */
function markRegions(out: Uint8Array, pfnA: number, pfnB: number, level: number): void {
  const r0 = Math.floor(pfnA / REGION);
  const r1 = Math.floor(pfnB / REGION);
  for (let r = r0; r <= r1 && r < out.length; r++) if (r >= 0 && out[r]! < level) out[r] = level;
}

/**
 * Region summary: dominant cell code and flags, from the region's runs, packed as
 * code | flags << 8 (a number, not an object: this runs once per region of a 16 TiB host).
 */
function summarize(m: Machine, r: number): number {
  const frames = m.frames;
  const rmp2m = m.rmp2m[r] === 1;
  let flags = (frames.counts[r]! > 0 ? RF_ASSIGNED : 0) | (rmp2m ? RF_RMP2M : 0);
  const u = frames.uniformWord(r);
  if (u >= 0) return cellCode(u, rmp2m) | (flags << 8);
  const k = frames.runsOf(r, runStart, runWord);
  let best = -1;
  let bestN = -1;
  let distinct = 0;
  let shared = false;
  for (let j = 0; j < k; j++) {
    const code = cellCode(runWord[j]!, rmp2m);
    const len = (j + 1 < k ? runStart[j + 1]! : REGION) - runStart[j]!;
    if (codeCount[code] === 0) seenCodes[distinct++] = code;
    const n = codeCount[code]! + len;
    codeCount[code] = n;
    if (n > bestN) {
      bestN = n;
      best = code;
    }
    if ((code & 15) === CELL_SHARED) shared = true;
  }
  for (let i = 0; i < distinct; i++) codeCount[seenCodes[i]!] = 0;
  if (distinct > 1) flags |= RF_MIXED;
  if (shared && flags & RF_ASSIGNED) flags |= RF_SHARED_AND_PRIVATE;
  return best | (flags << 8);
}

export function buildSnapshot(m: Machine, step: number, splitAt: Float64Array): MapSnapshot {
  const regions = m.frames.regions;
  const regionCode = new Uint8Array(regions);
  const regionLevel = new Uint8Array(regions);
  const regionFlags = new Uint8Array(regions);
  const regionUserLevel = new Uint8Array(regions);
  directMapLevels(m, regionLevel);
  userLevels(m, regionUserLevel);
  for (let r = 0; r < regions; r++) {
    const s = summarize(m, r);
    regionCode[r] = s & 0xff;
    regionFlags[r] = (s >> 8) | (splitAt[r]! <= step ? RF_SPLIT_AFTER_BOOT : 0);
  }
  const regionCause = regionCauses(m, regions);
  return { step, regions, regionCode, regionLevel, regionFlags, regionUserLevel, regionCause };
}

/** 512 cell codes per region for the listed regions (out of range → holes). */
export function regionCells(m: Machine, list: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(list.length * REGION);
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    if (!(r >= 0 && r < m.frames.regions)) continue;
    const rmp2m = m.rmp2m[r] === 1;
    const u = m.frames.uniformWord(r);
    if (u >= 0) {
      out.fill(cellCode(u, rmp2m), i * REGION, (i + 1) * REGION);
      continue;
    }
    const k = m.frames.runsOf(r, runStart, runWord);
    for (let j = 0; j < k; j++) {
      const end = j + 1 < k ? runStart[j + 1]! : REGION;
      out.fill(cellCode(runWord[j]!, rmp2m), i * REGION + runStart[j]!, i * REGION + end);
    }
  }
  return out;
}

/** The host frame that holds GPA page p of a guest now, or -1 (unbacked). */
export function frameOfGfn(_m: Machine, g: Guest, p: number): number {
  return g.kernel.frameOf(g, p);
}

/** 512 codes per listed GPA chunk of one guest: the state of the host frame behind each page. */
export function guestChunkCells(m: Machine, g: Guest, list: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(list.length * REGION);
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (!(c >= 0 && c < g.chunks)) continue;
    const first = c * REGION;
    const last = Math.min(first + REGION, g.pages);
    for (let p = first; p < last; p++) {
      const pfn = frameOfGfn(m, g, p);
      if (pfn < 0 || pfn >= m.totalPages) continue;
      out[i * REGION + p - first] = cellCode(
        m.frames.get(pfn),
        m.rmp2m[Math.floor(pfn / REGION)] === 1,
      );
    }
  }
  return out;
}

/**
 * A guest's GPA space summarised like a host snapshot: per 2 MiB GPA chunk the dominant code of
 * its frames (sampled every 32 pages for speed on scattered chunks), the VMM user-mapping level as
 * regionLevel and regionUserLevel, RF_MIXED when the chunk mixes private and shared pages.
 */
export function buildGuestSnapshot(m: Machine, g: Guest, step: number): MapSnapshot {
  const n = g.chunks;
  const regionCode = new Uint8Array(n);
  const regionLevel = new Uint8Array(n);
  const regionFlags = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const level = userLevelOf(g.userMap[c]!);
    regionLevel[c] = level;
    const first = c * REGION;
    const last = Math.min(first + REGION, g.pages);
    const u = g.state.uniformWord(c);
    let code = CELL_HOLE;
    let flags = 0;
    if (u >= 0 && !(u & (G_BACKED | G_GMEM))) {
      regionCode[c] = CELL_HOLE;
      continue;
    }
    // Sample a few pages: exact for linear chunks, a fair summary for scattered ones.
    let prev = -1;
    let bestN = 0;
    const seen: number[] = [];
    for (let p = first; p < last; p += 32) {
      const pfn = frameOfGfn(m, g, p);
      const cc =
        pfn < 0 ? CELL_HOLE : cellCode(m.frames.get(pfn), m.rmp2m[Math.floor(pfn / REGION)] === 1);
      if (prev >= 0 && cc !== prev) flags |= RF_MIXED;
      if (codeCount[cc] === 0) seen.push(cc);
      codeCount[cc]!++;
      if (codeCount[cc]! > bestN) {
        bestN = codeCount[cc]!;
        code = cc;
      }
      prev = cc;
    }
    for (const x of seen) codeCount[x] = 0;
    if (u < 0) flags |= RF_MIXED;
    if (g.state.counts[c]! > 0) flags |= RF_ASSIGNED;
    regionCode[c] = code;
    regionFlags[c] = flags;
  }
  const regionUserLevel = regionLevel.slice();
  return { step, regions: n, regionCode, regionLevel, regionFlags, regionUserLevel };
}

/** Direct-map level and its ptdump unit for one frame, or null when not present. */
export function frameLevel(m: Machine, pfn: number): '4K' | '2M' | '1G' | null {
  const w = m.frames.get(pfn);
  if (w & DM_UNMAPPED) return null;
  if (frameUse(w) === USE_HOLE && pfn >= 256) return null;
  return m.dm.levelOf(pfn);
}
