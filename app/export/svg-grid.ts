/**
 * The map part of a slide as SVG: 2 MiB tiles in rows that wrap to the box (tiles are twice as
 * tall as wide, 16 × 32 cells of 4 KiB, as on the map: app/map/geometry.ts TILE_W × TILE_H), and
 * inside a tile whose cells are given and drawn at least 1 px each, its 512 cells in their state
 * colours, with the cell grid drawn when cells are 4 px or more (so a zoomed export of one tile
 * shows 512 distinguishable cells).
 *
 * Drawn like the canvas renderer draws: batched by colour. Each colour is one <path> whose
 * subpaths are runs of equal tiles (or cells) along a row, so a 1 TiB host (524,288 regions)
 * costs a few hundred subpaths when it is mostly intact, and never more than MAX_TILES tiles when
 * it is not: past that, 2^k regions share a tile (the most common code wins, a split anywhere
 * marks the tile). Mapping size is not colour: 4K-mapped tiles get a hatch, or an outline when
 * their cells are shown.
 */
import { LEVEL_4K } from '../../src/worker/protocol';
import { TILE_H, TILE_W } from '../map/geometry';

/** Tiles at most, whatever the host: bounds the output (about 30 bytes per run). */
export const MAX_TILES = 65536;
const CELLS = TILE_W * TILE_H;

export interface TileGrid {
  regionsPerTile: number;
  tiles: number;
  cols: number;
  rows: number;
  /** Tile width in px (its height is twice this). */
  tilePx: number;
}

/** The largest tiles (w × 2w, whole px) that fit `tiles` tiles row-major in a box `cols` wide. */
function fitted(tiles: number, width: number, height: number, cols: number): number {
  const rows = Math.ceil(tiles / cols);
  return Math.max(1, Math.floor(Math.min(width / cols, height / (2 * rows))));
}

/**
 * The largest tiles (w × 2w, whole px) that fit `regions` tiles row-major in a box. Rows of a
 * round size read better on the ruler (a row of 64 MiB, not 86): a column count that is a
 * multiple of 8 is taken when its tiles are at most 15% smaller.
 */
export function tileGrid(regions: number, width: number, height: number): TileGrid {
  let regionsPerTile = 1;
  while (Math.ceil(regions / regionsPerTile) > MAX_TILES) regionsPerTile *= 2;
  const tiles = Math.max(1, Math.ceil(regions / regionsPerTile));
  let best = 1;
  let bestPx = 0;
  const most = Math.max(1, Math.min(tiles, Math.floor(width)));
  for (let cols = 1; cols <= most; cols++) {
    const w = fitted(tiles, width, height, cols);
    if (w > bestPx) {
      bestPx = w;
      best = cols;
    }
  }
  // Rows of a round size: the largest tiles among column counts that are multiples of 8.
  let round = 0;
  let roundPx = 0;
  for (let cols = 8; cols <= most; cols += 8) {
    const w = fitted(tiles, width, height, cols);
    if (w > roundPx) {
      roundPx = w;
      round = cols;
    }
  }
  if (round > 0 && roundPx >= bestPx * 0.85) {
    best = round;
    bestPx = roundPx;
  }
  return { regionsPerTile, tiles, cols: best, rows: Math.ceil(tiles / best), tilePx: bestPx };
}

export interface GridInput {
  regionCode: ArrayLike<number>;
  regionLevel: ArrayLike<number>;
  first: number;
  end: number;
  /** 512 cell codes of the regions whose cells are to be drawn (mixed ones, in view). */
  cells?: ReadonlyMap<number, Uint8Array>;
  /** Regions that changed at this step (ringed). */
  changed?: ReadonlySet<number>;
}

export interface GridPaint {
  /** Subpaths per cell code. */
  fills: Map<number, string[]>;
  /** 4K-mapped tiles drawn whole (hatched). */
  hatch: string[];
  /** 4K-mapped tiles drawn with their cells (outlined). */
  outline: string[];
  /** Lines between tiles, and between the cells of detailed tiles, in the background colour. */
  gaps: string[];
  cellGaps: string[];
  /** Codes drawn, and how many tiles or cells each covers (for the legend). */
  used: Map<number, number>;
  /** Rings around the tiles that changed at this step (never smaller than `minRing` px). */
  rings: string[];
  /** Tiles drawn with their 512 cells. */
  detailed: number;
  cellPx: number;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

function rect(list: string[], x: number, y: number, w: number, h: number): void {
  list.push(`M${r2(x)} ${r2(y)}h${r2(w)}v${r2(h)}h${r2(-w)}z`);
}

function push(map: Map<number, string[]>, key: number): string[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** Per tile: its code (most common in the tile) and whether any region is 4K-mapped. */
export function tileCodes(g: GridInput, k: number): { code: Uint8Array; split: Uint8Array } {
  const n = Math.ceil((g.end - g.first) / k);
  const code = new Uint8Array(n);
  const split = new Uint8Array(n);
  const tally = new Uint16Array(256);
  for (let t = 0; t < n; t++) {
    const a = g.first + t * k;
    const b = Math.min(a + k, g.end);
    let best = g.regionCode[a] ?? 0;
    if (k > 1) {
      let bestN = 0;
      for (let r = a; r < b; r++) {
        const x = g.regionCode[r] ?? 0;
        tally[x]!++;
        if (tally[x]! > bestN) {
          bestN = tally[x]!;
          best = x;
        }
      }
      for (let r = a; r < b; r++) tally[g.regionCode[r] ?? 0] = 0;
    }
    code[t] = best;
    for (let r = a; r < b && !split[t]; r++) if (g.regionLevel[r] === LEVEL_4K) split[t] = 1;
  }
  return { code, split };
}

/** Paint the grid at (x0, y0): which paths each colour, hatch, outline and gap layer get. */
export function paintGrid(
  input: GridInput,
  grid: TileGrid,
  x0: number,
  y0: number,
  minRing = 12,
): GridPaint {
  const k = grid.regionsPerTile;
  const { code, split } = tileCodes(input, k);
  const w = grid.tilePx;
  const h = 2 * w;
  const cellPx = w / TILE_W;
  const withCells = k === 1 && cellPx >= 1 && input.cells !== undefined;
  const p: GridPaint = {
    fills: new Map(),
    hatch: [],
    outline: [],
    gaps: [],
    cellGaps: [],
    rings: [],
    used: new Map(),
    detailed: 0,
    cellPx: k === 1 ? cellPx : 0,
  };
  const count = (c: number, n: number) => p.used.set(c, (p.used.get(c) ?? 0) + n);
  for (let row = 0; row < grid.rows; row++) {
    const a = row * grid.cols;
    const b = Math.min(a + grid.cols, code.length);
    const y = y0 + row * h;
    let t = a;
    while (t < b) {
      const cells = withCells ? input.cells!.get(input.first + t) : undefined;
      if (cells) {
        paintCells(p, cells, x0 + (t - a) * w, y, cellPx);
        if (split[t]) rect(p.outline, x0 + (t - a) * w, y, w, h);
        t++;
        continue;
      }
      const key = code[t]!;
      let e = t + 1;
      while (e < b && code[e] === key && !(withCells && input.cells!.has(input.first + e))) e++;
      rect(push(p.fills, key), x0 + (t - a) * w, y, (e - t) * w, h);
      count(key, (e - t) * CELLS);
      for (let s = t; s < e; s++) if (split[s]) rect(p.hatch, x0 + (s - a) * w, y, w, h);
      t = e;
    }
  }
  if (w >= 6) gridLines(p.gaps, x0, y0, grid.cols, grid.rows, w, h);
  if (input.changed) ringChanged(p, input.changed, input.first, grid, x0, y0, minRing);
  return p;
}

/** A ring per changed tile, centred on it and at least `min` px, so a sub-pixel tile shows. */
function ringChanged(
  p: GridPaint,
  changed: ReadonlySet<number>,
  first: number,
  grid: TileGrid,
  x0: number,
  y0: number,
  min: number,
): void {
  const w = grid.tilePx;
  const seen = new Set<number>();
  for (const r of changed) {
    const t = Math.floor((r - first) / grid.regionsPerTile);
    if (t < 0 || t >= grid.tiles || seen.has(t)) continue;
    seen.add(t);
    const cx = x0 + (t % grid.cols) * w + w / 2;
    const cy = y0 + Math.floor(t / grid.cols) * 2 * w + w;
    const rw = Math.max(min, w + 4);
    const rh = Math.max(min, 2 * w + 4);
    rect(p.rings, cx - rw / 2, cy - rh / 2, rw, rh);
    if (seen.size >= 4096) break;
  }
}

function paintCells(p: GridPaint, cells: Uint8Array, x: number, y: number, px: number): void {
  p.detailed++;
  for (let row = 0; row < TILE_H; row++) {
    let c = 0;
    while (c < TILE_W) {
      const key = cells[row * TILE_W + c] ?? 0;
      let e = c + 1;
      while (e < TILE_W && cells[row * TILE_W + e] === key) e++;
      rect(push(p.fills, key), x + c * px, y + row * px, (e - c) * px, px);
      p.used.set(key, (p.used.get(key) ?? 0) + (e - c));
      c = e;
    }
  }
  if (px >= 4) {
    const g = p.cellGaps;
    for (let c = 1; c < TILE_W; c++) g.push(`M${r2(x + c * px)} ${r2(y)}v${r2(TILE_H * px)}`);
    for (let r = 1; r < TILE_H; r++) g.push(`M${r2(x)} ${r2(y + r * px)}h${r2(TILE_W * px)}`);
  }
}

/** Lines between tiles: one vertical per column boundary, one horizontal per row boundary. */
function gridLines(
  out: string[],
  x0: number,
  y0: number,
  cols: number,
  rows: number,
  w: number,
  h: number,
): void {
  for (let c = 1; c < cols; c++) out.push(`M${x0 + c * w} ${y0}v${rows * h}`);
  for (let r = 1; r < rows; r++) out.push(`M${x0} ${y0 + r * h}h${cols * w}`);
}
