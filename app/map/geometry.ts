/**
 * Where every frame sits on the map. World units are 4 KiB cells. Same rule at every level:
 *
 *   a 1 GiB block is a square of 512 × 512 cells: 32 columns × 16 rows of 2 MiB tiles,
 *   a 2 MiB tile is 16 × 32 cells: 16 columns × 32 rows of 4 KiB cells,
 *
 * all in address order, row-major. Blocks sit row-major in a near-square grid.
 */

export const CELLS_PER_REGION = 512;
export const TILE_W = 16;
export const TILE_H = 32;
export const TILES_X = 32;
export const TILES_Y = 16;
export const BLOCK = 512;
export const REGIONS_PER_BLOCK = 512;

export interface Layout {
  regions: number;
  blocks: number;
  cols: number;
  rows: number;
  /** World size in cells. */
  width: number;
  height: number;
}

export function layoutFor(regions: number): Layout {
  const blocks = Math.max(1, Math.ceil(regions / REGIONS_PER_BLOCK));
  const cols = Math.ceil(Math.sqrt(blocks));
  const rows = Math.ceil(blocks / cols);
  return { regions, blocks, cols, rows, width: cols * BLOCK, height: rows * BLOCK };
}

/** Top-left world position of a region's tile. */
export function regionXY(l: Layout, r: number): [number, number] {
  const b = Math.floor(r / REGIONS_PER_BLOCK);
  const t = r - b * REGIONS_PER_BLOCK;
  return [
    (b % l.cols) * BLOCK + (t % TILES_X) * TILE_W,
    Math.floor(b / l.cols) * BLOCK + Math.floor(t / TILES_X) * TILE_H,
  ];
}

/**
 * A region's tile as a column and row of the whole grid of tiles (TILES_X × TILES_Y a block): the
 * pixel index of rasters drawn at one pixel (or q × q) per tile. Two numbers, not a pair: the
 * difference map asks once per region of a 16 TiB host (8 Mi).
 */
export function tileColumn(l: Layout, r: number): number {
  const b = Math.floor(r / REGIONS_PER_BLOCK);
  return (b % l.cols) * TILES_X + ((r - b * REGIONS_PER_BLOCK) % TILES_X);
}

export function tileRow(l: Layout, r: number): number {
  const b = Math.floor(r / REGIONS_PER_BLOCK);
  return Math.floor(b / l.cols) * TILES_Y + Math.floor((r - b * REGIONS_PER_BLOCK) / TILES_X);
}

/** Top-left world position of a frame's cell. */
export function pfnXY(l: Layout, pfn: number): [number, number] {
  const r = Math.floor(pfn / CELLS_PER_REGION);
  const i = pfn - r * CELLS_PER_REGION;
  const [x, y] = regionXY(l, r);
  return [x + (i % TILE_W), y + Math.floor(i / TILE_W)];
}

/** The region under a world point, or -1. */
export function regionAt(l: Layout, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= l.width || y >= l.height) return -1;
  const bx = Math.floor(x / BLOCK);
  const by = Math.floor(y / BLOCK);
  const tx = Math.floor((x - bx * BLOCK) / TILE_W);
  const ty = Math.floor((y - by * BLOCK) / TILE_H);
  const r = (by * l.cols + bx) * REGIONS_PER_BLOCK + ty * TILES_X + tx;
  return r < l.regions ? r : -1;
}

/** The frame under a world point, or -1. */
export function pfnAt(l: Layout, x: number, y: number): number {
  const r = regionAt(l, x, y);
  if (r < 0) return -1;
  const [rx, ry] = regionXY(l, r);
  return r * CELLS_PER_REGION + Math.floor(y - ry) * TILE_W + Math.floor(x - rx);
}

/** Regions whose tiles intersect a world rectangle, in ascending order (bounded by `max`). */
export function regionsIn(
  l: Layout,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  max: number,
): number[] {
  const out: number[] = [];
  const bx0 = Math.max(0, Math.floor(x0 / BLOCK));
  const bx1 = Math.min(l.cols - 1, Math.floor((x1 - 1e-9) / BLOCK));
  const by0 = Math.max(0, Math.floor(y0 / BLOCK));
  const by1 = Math.min(l.rows - 1, Math.floor((y1 - 1e-9) / BLOCK));
  for (let by = by0; by <= by1; by++)
    for (let bx = bx0; bx <= bx1; bx++) {
      const b = by * l.cols + bx;
      if (b >= l.blocks) continue;
      const ox = bx * BLOCK;
      const oy = by * BLOCK;
      const tx0 = Math.max(0, Math.floor((x0 - ox) / TILE_W));
      const tx1 = Math.min(TILES_X - 1, Math.floor((x1 - ox - 1e-9) / TILE_W));
      const ty0 = Math.max(0, Math.floor((y0 - oy) / TILE_H));
      const ty1 = Math.min(TILES_Y - 1, Math.floor((y1 - oy - 1e-9) / TILE_H));
      for (let ty = ty0; ty <= ty1; ty++)
        for (let tx = tx0; tx <= tx1; tx++) {
          const r = b * REGIONS_PER_BLOCK + ty * TILES_X + tx;
          if (r >= l.regions) continue;
          out.push(r);
          if (out.length >= max) return out.sort((a, c) => a - c);
        }
    }
  return out.sort((a, c) => a - c);
}

/** World bounding box of the frames [startPfn, endPfn). */
export function rangeBox(
  l: Layout,
  startPfn: number,
  endPfn: number,
): { x0: number; y0: number; x1: number; y1: number } {
  const last = Math.max(startPfn, endPfn - 1);
  const r0 = Math.floor(startPfn / CELLS_PER_REGION);
  const r1 = Math.floor(last / CELLS_PER_REGION);
  if (r0 === r1) {
    const [ax, ay] = pfnXY(l, startPfn);
    const [bx, by] = pfnXY(l, last);
    if (ay === by) return { x0: ax, y0: ay, x1: bx + 1, y1: by + 1 };
    const [rx] = regionXY(l, r0);
    return { x0: rx, y0: ay, x1: rx + TILE_W, y1: by + 1 };
  }
  const b0 = Math.floor(r0 / REGIONS_PER_BLOCK);
  const b1 = Math.floor(r1 / REGIONS_PER_BLOCK);
  if (b0 === b1) {
    const [, ay] = regionXY(l, r0);
    const [, by] = regionXY(l, r1);
    const bx = (b0 % l.cols) * BLOCK;
    if (ay === by) {
      const [ax] = regionXY(l, r0);
      const [cx] = regionXY(l, r1);
      return { x0: ax, y0: ay, x1: cx + TILE_W, y1: ay + TILE_H };
    }
    return { x0: bx, y0: ay, x1: bx + BLOCK, y1: by + TILE_H };
  }
  const row0 = Math.floor(b0 / l.cols);
  const row1 = Math.floor(b1 / l.cols);
  if (row0 === row1)
    return {
      x0: (b0 % l.cols) * BLOCK,
      y0: row0 * BLOCK,
      x1: ((b1 % l.cols) + 1) * BLOCK,
      y1: (row0 + 1) * BLOCK,
    };
  return { x0: 0, y0: row0 * BLOCK, x1: l.width, y1: (row1 + 1) * BLOCK };
}
