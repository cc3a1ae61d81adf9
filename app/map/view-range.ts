/**
 * The map's view as a share link's `zoom` (a physical address range) and back. A link must reopen
 * exactly what was shared, so the range is the view's two corners, not the frames it covers
 * rounded out to whole tiles: `start` is the byte under the top-left corner of the view, `end − 1`
 * the byte under its bottom-right corner. Every frame on screen lies in [start, end), because
 * addresses grow rightwards and downwards at every level of the layout (geometry.ts).
 *
 * Within a 4 KiB cell the byte offset places the corner to 1/64 of a cell (4096 = 64 × 64: row,
 * then column), which at the deepest zoom (64 px a cell) is one screen pixel. Coarser views
 * round to a quarter pixel (the scale comes back from the box's shorter side, which multiplies a
 * rounding error across the longer one), down to whole pages from 1/4 px a cell, so links of
 * zoomed-out views keep page-aligned addresses.
 *
 * Two 2 MiB-aligned ends are read as a plain address range (a hand-written
 * `zoom=0x40000000-0x80000000`, the import sheet's context ranges, older links): the tiles that
 * hold it. The encoder never writes two aligned ends unless those tiles are exactly the view.
 */
import { PAGE_SIZE as PAGE } from '../../src/scenario/index';
import { CELLS_PER_REGION, type Layout, rangeBox, regionXY, TILE_H, TILE_W } from './geometry';

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface ByteRange {
  start: number;
  end: number;
}

/** Positions within a cell a byte offset can name, per axis (64 × 64 = 4096 bytes). */
const SUB = 64;
const REGION_BYTES = CELLS_PER_REGION * PAGE;

/** The byte whose 1/64-cell square holds world point (x, y); the point must lie in the grid. */
function byteAt(l: Layout, x: number, y: number): number {
  const cx = Math.floor(x);
  const cy = Math.floor(y);
  const tx = Math.floor(cx / TILE_W);
  const ty = Math.floor(cy / TILE_H);
  // Unchecked: a corner over the empty end of the last row still gets the address it would have.
  const region = ty * l.perRow + tx;
  const cell = (cy - ty * TILE_H) * TILE_W + (cx - tx * TILE_W);
  const sx = Math.min(SUB - 1, Math.floor((x - cx) * SUB));
  const sy = Math.min(SUB - 1, Math.floor((y - cy) * SUB));
  return (region * CELLS_PER_REGION + cell) * PAGE + sy * SUB + sx;
}

/** Top-left world point of a byte's 1/64-cell square. */
function pointOf(l: Layout, byte: number): { x: number; y: number } {
  const pfn = Math.floor(byte / PAGE);
  const offset = byte - pfn * PAGE;
  const region = Math.floor(pfn / CELLS_PER_REGION);
  const cell = pfn - region * CELLS_PER_REGION;
  const [rx, ry] = regionXY(l, region);
  return {
    x: rx + (cell % TILE_W) + (offset % SUB) / SUB,
    y: ry + Math.floor(cell / TILE_W) + Math.floor(offset / SUB) / SUB,
  };
}

const sameBox = (a: Box, b: Box) =>
  a.x0 === b.x0 && a.y0 === b.y0 && a.x1 === b.x1 && a.y1 === b.y1;

/**
 * The range for a view that shows world box `view` at `k` screen px per cell, or null when the
 * view shows nothing of the map. Parts of the view beyond the map's edges are left out.
 */
export function rangeOfView(l: Layout, view: Box, k: number): ByteRange | null {
  // Steps per cell: a quarter pixel or finer, a power of two, from 1 to 64.
  const n = Math.min(SUB, 2 ** Math.max(0, Math.ceil(Math.log2(Math.max(1, 4 * k)))));
  const x0 = Math.max(0, Math.floor(view.x0 * n) / n);
  const y0 = Math.max(0, Math.floor(view.y0 * n) / n);
  const x1 = Math.min(l.width, Math.ceil(view.x1 * n) / n);
  const y1 = Math.min(l.height, Math.ceil(view.y1 * n) / n);
  if (x1 <= x0 || y1 <= y0) return null;
  const start = byteAt(l, x0, y0);
  let end = byteAt(l, x1 - 1 / SUB, y1 - 1 / SUB) + 1;
  // Two aligned ends would read as the tiles that hold the range: keep it a corner range.
  if (start % REGION_BYTES === 0 && end % REGION_BYTES === 0) {
    const tiles = rangeBox(l, start / PAGE, end / PAGE);
    if (!sameBox(tiles, { x0, y0, x1, y1 })) end -= 1;
  }
  return { start, end };
}

/**
 * The world box a range asks to show. `exact` when it is a view's corners (show it as is);
 * otherwise the tiles holding a plain address range (show them with a margin). Null when the
 * range lies beyond the map.
 */
export function boxOfRange(l: Layout, z: ByteRange): { box: Box; exact: boolean } | null {
  if (z.start % REGION_BYTES !== 0 || z.end % REGION_BYTES !== 0) {
    const a = pointOf(l, z.start);
    const b = pointOf(l, z.end - 1);
    const box = {
      x0: Math.max(0, a.x),
      y0: Math.max(0, a.y),
      x1: Math.min(l.width, b.x + 1 / SUB),
      y1: Math.min(l.height, b.y + 1 / SUB),
    };
    if (box.x1 > box.x0 && box.y1 > box.y0) return { box, exact: true };
  }
  const start = Math.max(0, Math.floor(z.start / PAGE));
  const end = Math.min(l.regions * CELLS_PER_REGION, Math.ceil(z.end / PAGE));
  if (end <= start) return null;
  return { box: rangeBox(l, start, end), exact: false };
}
