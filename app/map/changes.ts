/**
 * What a step changed on the map: the snapshot of the step before against this one (2 MiB
 * regions whose state, flags or mapping level differ), and, for the first few changed regions,
 * their 512 cells before and after (which 4 KiB pages changed, to what). From that: the regions
 * and frames to mark (marks.ts), the box the follow camera shows, and the sentence the map's text
 * alternative and its status line say ("tile 0x200000 split to 4K; 1 page private").
 */
import {
  CELL_FIRMWARE,
  CELL_FREE,
  CELL_KERNEL,
  CELL_PAGETABLE,
  CELL_PRIVATE,
  CELL_PRIVATE_2M,
  CELL_SEQUESTER,
  CELL_SHARED,
  CELL_UNMAPPED,
  LEVEL_4K,
  type MapSnapshot,
  RF_ASSIGNED,
  RF_RMP2M,
} from '../../src/worker/protocol';
import { CELLS_PER_REGION, type Layout, rangeBox, regionXY, TILE_H, TILE_W } from './geometry';
import type { Box } from './view-range';

/** Regions compared cell by cell (two cellsAt calls of 512 B each). */
export const MAX_CELL_REGIONS = 24;
/** Regions kept for marks: a 1 TiB launch changes ~130,000; the marks bucket them anyway. */
const MAX_REGIONS = 200_000;

export interface RegionDiff {
  /** Changed regions, ascending (at most MAX_REGIONS). */
  regions: number[];
  /** All changed regions, counted. */
  count: number;
  /** Regions whose mapping split to 4K, in the direct map and in the VMM's mapping. */
  split: number[];
  userSplit: number[];
  /** Regions whose mapping became larger again (a collapse or merge). */
  merged: number[];
  /** Regions whose 2M RMP entry was split into 4K entries (PSMASH). */
  psmash: number[];
}

/** The regions that differ between two snapshots of the same space. */
export function diffRegions(a: MapSnapshot, b: MapSnapshot): RegionDiff {
  const d: RegionDiff = { regions: [], count: 0, split: [], userSplit: [], merged: [], psmash: [] };
  if (a.regions !== b.regions) return d;
  for (let r = 0; r < b.regions; r++) {
    const la = a.regionLevel[r]!;
    const lb = b.regionLevel[r]!;
    const ua = a.regionUserLevel[r]!;
    const ub = b.regionUserLevel[r]!;
    const fa = a.regionFlags[r]!;
    const fb = b.regionFlags[r]!;
    if (a.regionCode[r] === b.regionCode[r] && fa === fb && la === lb && ua === ub) continue;
    d.count++;
    if (d.regions.length < MAX_REGIONS) d.regions.push(r);
    if (lb === LEVEL_4K && la !== LEVEL_4K && la !== 0) d.split.push(r);
    else if (lb !== 0 && la !== 0 && lb < la) d.merged.push(r);
    if (ub === LEVEL_4K && ua !== LEVEL_4K && ua !== 0) d.userSplit.push(r);
    if (fa & RF_RMP2M && !(fb & RF_RMP2M) && fb & RF_ASSIGNED) d.psmash.push(r);
  }
  return d;
}

/** How the text alternative names a cell state (one word or two: it is read per step). */
const STATE_WORD: Record<number, string> = {
  [CELL_FREE]: 'free',
  [CELL_KERNEL]: 'host kernel',
  [CELL_PAGETABLE]: 'page table',
  [CELL_SHARED]: 'hypervisor-owned',
  [CELL_PRIVATE]: 'private',
  [CELL_PRIVATE_2M]: 'private (2M RMP)',
  [CELL_SEQUESTER]: 'sequestered shared',
  [CELL_FIRMWARE]: 'firmware',
  [CELL_UNMAPPED]: 'private, unmapped',
};

export interface CellDiff {
  /** Changed frames, ascending. */
  pfns: number[];
  /** Changed frames counted by their new state (CELL_*). */
  byState: Map<number, number>;
}

/** Cells that differ, region by region (`before` and `after` hold 512 codes per listed region). */
export function diffCells(
  regions: readonly number[],
  before: Uint8Array,
  after: Uint8Array,
): CellDiff {
  const out: CellDiff = { pfns: [], byState: new Map() };
  regions.forEach((r, j) => {
    for (let i = 0; i < CELLS_PER_REGION; i++) {
      const at = j * CELLS_PER_REGION + i;
      if (before[at] === after[at]) continue;
      out.pfns.push(r * CELLS_PER_REGION + i);
      const s = after[at]! & 15;
      out.byState.set(s, (out.byState.get(s) ?? 0) + 1);
    }
  });
  return out;
}

const tiles = (rs: readonly number[], label: (r: number) => string, what: string) =>
  rs.length === 1 ? `tile ${label(rs[0]!)} ${what}` : `${rs.length} tiles ${what}`;

/**
 * The sentence for a step's change, e.g. "tile 0x200000 split to 4K; 1 page private". Cells are
 * counted only where they were compared (`cells` null: regions only).
 */
export function changeText(
  d: RegionDiff,
  cells: CellDiff | null,
  label: (region: number) => string,
): string {
  const parts: string[] = [];
  if (d.split.length) parts.push(tiles(d.split, label, 'split to 4K'));
  if (d.userSplit.length) parts.push(`VMM mapping of ${tiles(d.userSplit, label, 'split to 4K')}`);
  if (d.merged.length) parts.push(tiles(d.merged, label, 'mapped larger again'));
  if (d.psmash.length) parts.push(`2M RMP entry of ${tiles(d.psmash, label, 'split (PSMASH)')}`);
  if (cells && cells.pfns.length > 0) {
    const states = [...cells.byState.entries()].sort((a, b) => b[1] - a[1]);
    for (const [s, n] of states)
      parts.push(`${n} ${n === 1 ? 'page' : 'pages'} ${STATE_WORD[s] ?? 'changed'}`);
    const rest = d.count - Math.min(d.count, MAX_CELL_REGIONS);
    if (rest > 0) parts.push(`${rest} more tiles changed`);
  } else if (parts.length === 0 && d.count > 0) {
    parts.push(d.count === 1 ? `tile ${label(d.regions[0]!)} changed` : `${d.count} tiles changed`);
  }
  return parts.length ? parts.join('; ') : 'nothing changed on the map';
}

/**
 * The world box the follow camera shows: the changed cells (or regions) widened to at least
 * `minTiles` tiles each way, so the 4K cells and some context are in view.
 */
export function focusBox(l: Layout, d: RegionDiff, cells: CellDiff | null): Box | null {
  let b: Box | null = null;
  const add = (x: Box) => {
    b = b
      ? {
          x0: Math.min(b.x0, x.x0),
          y0: Math.min(b.y0, x.y0),
          x1: Math.max(b.x1, x.x1),
          y1: Math.max(b.y1, x.y1),
        }
      : x;
  };
  // The tiles that split or merged are what the step is about: the camera goes there first (a
  // page-table page allocated elsewhere for the split is a changed cell, not the story).
  for (const r of [...d.split, ...d.userSplit, ...d.psmash, ...d.merged].slice(0, 64)) {
    const [x, y] = regionXY(l, r);
    add({ x0: x, y0: y, x1: x + TILE_W, y1: y + TILE_H });
  }
  if (!b && cells && cells.pfns.length > 0) {
    const f = cells.pfns;
    for (const pfn of [f[0]!, f[f.length - 1]!]) add(rangeBox(l, pfn, pfn + 1));
  }
  if (!b && d.regions.length > 0 && d.regions.length <= 64)
    for (const r of d.regions) {
      const [x, y] = regionXY(l, r);
      add({ x0: x, y0: y, x1: x + TILE_W, y1: y + TILE_H });
    }
  if (!b) return null;
  const box: Box = b;
  // At least two and a half tiles across and a fifth more than one down: on a 16:9 stage the
  // middle tile's 4K cells are ~8 px.
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const w = Math.max(box.x1 - box.x0, TILE_W * 2.5);
  const h = Math.max(box.y1 - box.y0, TILE_H * 1.2);
  return { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 };
}
