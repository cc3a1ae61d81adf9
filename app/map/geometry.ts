/**
 * Where every frame sits on the map. World units are 4 KiB cells:
 *
 *   a 2 MiB tile is 16 × 32 cells: 16 columns × 32 rows of 4 KiB cells, in address order;
 *   tiles sit `perRow` to a row, rows of consecutive addresses wrapping like text,
 *
 * so addresses grow rightwards and downwards everywhere, and a physical-address ruler at the row
 * starts names every row. `perRow` follows the stage's aspect (layoutFor): a 1 GiB host on a
 * 2:1 stage is 48 tiles × 11 rows, not a square that leaves half the stage white. Row lengths
 * are multiples of 8 tiles (16 MiB, so row starts are round hex: 0x1000000 apart) and, past 512,
 * of 256.
 */

export const CELLS_PER_REGION = 512;
export const TILE_W = 16;
export const TILE_H = 32;
/** Regions in a 1 GiB block (one 1G mapping). */
export const REGIONS_PER_BLOCK = 512;
/** Row lengths are multiples of this many tiles (16 MiB). */
const ROW_STEP = 8;

export interface Layout {
  regions: number;
  /** 1 GiB blocks, the last possibly partial. */
  blocks: number;
  /** Tiles per row. */
  perRow: number;
  /** Rows of tiles. */
  rows: number;
  /** World size in cells. */
  width: number;
  height: number;
}

/** The layout of `regions` tiles in rows of `perRow`. */
export function rowLayout(regions: number, perRow: number): Layout {
  const rows = Math.max(1, Math.ceil(regions / perRow));
  return {
    regions,
    blocks: Math.max(1, Math.ceil(regions / REGIONS_PER_BLOCK)),
    perRow,
    rows,
    width: perRow * TILE_W,
    height: rows * TILE_H,
  };
}

/** Row lengths layoutFor weighs: multiples of 8 tiles up to 512, then of 256. */
function* rowLengths(regions: number): Generator<number> {
  const most = Math.max(ROW_STEP, Math.ceil(regions / ROW_STEP) * ROW_STEP);
  for (let n = ROW_STEP; n <= Math.min(512, most); n += ROW_STEP) yield n;
  for (let n = 768; n <= most; n += 256) yield n;
}

/**
 * How well a world of w × h cells fills a stage of the given aspect (width / height): the fit
 * scale for a stage 1 unit tall, times, on a host of several 1 GiB blocks, a 10% preference for
 * rows that hold whole blocks (perRow divides 512 or is a multiple of it), so block boundaries
 * stay straight when the gain is small. A one-block host has no boundary to keep: it fills.
 */
export function layoutScore(l: Layout, aspect: number): number {
  const k = Math.min(aspect / l.width, 1 / l.height);
  const aligned = 512 % l.perRow === 0 || l.perRow % 512 === 0;
  return k * (aligned && l.blocks > 1 ? 1.1 : 1);
}

/**
 * The layout whose fitted grid fills a stage of `aspect` (width / height) best. The default,
 * 1, gives a 1 GiB host its square of 32 × 16 tiles.
 */
export function layoutFor(regions: number, aspect = 1): Layout {
  const a = Number.isFinite(aspect) && aspect > 0 ? aspect : 1;
  let best = rowLayout(regions, 32);
  let bestScore = layoutScore(best, a);
  for (const n of rowLengths(regions)) {
    const l = rowLayout(regions, n);
    const s = layoutScore(l, a);
    if (s > bestScore * (1 + 1e-9)) {
      best = l;
      bestScore = s;
    }
  }
  return best;
}

/** Top-left world position of a region's tile. */
export function regionXY(l: Layout, r: number): [number, number] {
  return [(r % l.perRow) * TILE_W, Math.floor(r / l.perRow) * TILE_H];
}

/**
 * A region's tile as a column and row of the grid of tiles: the pixel index of rasters drawn at
 * one pixel (or q × q) per tile. Two numbers, not a pair: the difference map asks once per
 * region of a 16 TiB host (8 Mi).
 */
export function tileColumn(l: Layout, r: number): number {
  return r % l.perRow;
}

export function tileRow(l: Layout, r: number): number {
  return Math.floor(r / l.perRow);
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
  const r = Math.floor(y / TILE_H) * l.perRow + Math.floor(x / TILE_W);
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
  const tx0 = Math.max(0, Math.floor(x0 / TILE_W));
  const tx1 = Math.min(l.perRow - 1, Math.floor((x1 - 1e-9) / TILE_W));
  const ty0 = Math.max(0, Math.floor(y0 / TILE_H));
  const ty1 = Math.min(l.rows - 1, Math.floor((y1 - 1e-9) / TILE_H));
  for (let ty = ty0; ty <= ty1; ty++)
    for (let tx = tx0; tx <= tx1; tx++) {
      const r = ty * l.perRow + tx;
      if (r >= l.regions) break;
      out.push(r);
      if (out.length >= max) return out;
    }
  return out;
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
  const [ax, ay] = regionXY(l, r0);
  const [cx, cy] = regionXY(l, r1);
  if (ay === cy) return { x0: ax, y0: ay, x1: cx + TILE_W, y1: ay + TILE_H };
  return { x0: 0, y0: ay, x1: l.width, y1: cy + TILE_H };
}

/** Bytes as the scale line says them: 2 MiB, 96 MiB, 3 GiB. */
export function sizeText(bytes: number): string {
  const GiB = 2 ** 30;
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  return `${bytes / 2 ** 20} MiB`;
}

/** The scale said on screen: "one tile = 2 MiB · one row = 64 MiB". */
export const scaleText = (l: Layout): string =>
  `one tile = 2 MiB · one row = ${sizeText(l.perRow * 2 * 2 ** 20)}`;
