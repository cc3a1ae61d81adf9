/**
 * Pixel buffers for the map (toolchain.md: one pixel per cell through a palette costs ~1 ms per
 * 262,144 cells; one fillRect per cell costs 200×). Two rasters:
 *
 * - the region raster: the whole host, s × 2s px per 2 MiB tile. A split tile is drawn in its
 *   state's split shade (Palette.shade: darker on light themes, lighter on dark), one colour;
 * - the detail raster: one px per 4 KiB cell for the tiles around the viewport, built when the
 *   view is close enough to see cells. Inside a split tile the cells in the tile's own state keep
 *   the split shade and every other cell (the page that went shared, or private) is drawn in its
 *   state colour, so the one cell that matters stands out and the legend's swatches are exact.
 */
import {
  CELL_PRIVATE,
  CELL_PRIVATE_2M,
  CELL_UNMAPPED,
  LEVEL_4K,
  LEVEL_NONE,
  type MapLayer,
  type MapSnapshot,
  RF_ASSIGNED,
  RF_RMP2M,
} from '../../src/worker/protocol';
import { type Layout, regionXY, TILE_H, TILE_W } from './geometry';
import type { Palette } from './palette';

/** How a layer shows a region: textured (split to 4K in that layer's sense) and dimmed. */
export function regionStyle(
  snap: MapSnapshot,
  layer: MapLayer,
  r: number,
): { textured: boolean; dimmed: boolean } {
  const flags = snap.regionFlags[r]!;
  if (layer === 'vmm') {
    const u = snap.regionUserLevel[r]!;
    return { textured: u === LEVEL_4K, dimmed: u === LEVEL_NONE };
  }
  if (layer === 'rmp') {
    const assigned = (flags & RF_ASSIGNED) !== 0;
    return { textured: assigned && !(flags & RF_RMP2M), dimmed: !assigned };
  }
  return { textured: snap.regionLevel[r] === LEVEL_4K, dimmed: false };
}

const isAssignedCode = (code: number) => {
  const s = code & 15;
  return s === CELL_PRIVATE || s === CELL_PRIVATE_2M || s === CELL_UNMAPPED;
};

/**
 * Raster pixels a region raster may hold: 4 Mi px is 16 MiB, ~20 ms to fill and cheap to blit;
 * a 1 TiB host (1 Mi tiles) gets 1 × 2 px a tile, 256 GiB 2 × 4, 64 GiB 4 × 8.
 */
const MAX_RASTER_PX = 4 * 2 ** 20;

/**
 * Pixels per tile column in the region raster (a tile is s × 2s px): as fine as the budget allows,
 * up to 8 (half a pixel per cell).
 */
export function rasterPxPerTile(l: Layout): number {
  let s = 8;
  while (s > 1 && l.perRow * l.rows * 2 * s * s >= MAX_RASTER_PX) s /= 2;
  return s;
}

/**
 * The whole map with s × 2s px per region (s from rasterPxPerTile); split (textured) tiles in
 * their state's split shade.
 */
export function buildRegionRaster(
  l: Layout,
  snap: MapSnapshot,
  layer: MapLayer,
  p: Palette,
): { image: ImageData; worldPerPx: number } {
  const s = rasterPxPerTile(l);
  const img = new ImageData(l.perRow * s, l.rows * 2 * s);
  const px = new Uint32Array(img.data.buffer);
  const n = Math.min(snap.regions, l.regions);
  for (let r = 0; r < n; r++) paintRegion(px, img.width, s, l, snap, layer, p, r);
  return { image: img, worldPerPx: TILE_W / s };
}

/** A pixel rectangle of a raster. */
export interface PxRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Repaint, in a region raster built for `before`, the tiles whose look differs in `after` (same
 * layout, layer and palette). Returns the changed pixels as one rectangle per band of 16 tile
 * rows, for putImageData's dirty rectangle: a step changes a few hundred tiles at most, so a
 * 1 TiB host costs one compare pass (~1 ms for 512 Ki tiles) instead of a repaint (~40 ms).
 */
export function updateRegionRaster(
  image: ImageData,
  l: Layout,
  before: MapSnapshot,
  after: MapSnapshot,
  layer: MapLayer,
  p: Palette,
): PxRect[] {
  const s = image.width / l.perRow;
  const px = new Uint32Array(image.data.buffer);
  const n = Math.min(after.regions, before.regions, l.regions);
  const la = layer === 'vmm' ? before.regionUserLevel : before.regionLevel;
  const lb = layer === 'vmm' ? after.regionUserLevel : after.regionLevel;
  const ca = before.regionCode;
  const cb = after.regionCode;
  const fa = before.regionFlags;
  const fb = after.regionFlags;
  // Per band of BAND tile rows: the first and last tile column that changed (-1: none).
  const bands = Math.ceil(l.rows / BAND);
  const lo = new Int32Array(bands).fill(-1);
  const hi = new Int32Array(bands).fill(-1);
  const ka = before.regionCause;
  const kb = after.regionCause;
  const visit = (r: number) => {
    if (ca[r] === cb[r] && fa[r] === fb[r] && la[r] === lb[r] && ka?.[r] === kb?.[r]) return;
    paintRegion(px, image.width, s, l, after, layer, p, r);
    const ty = Math.floor(r / l.perRow);
    const row = Math.floor(ty / BAND);
    const c = r - ty * l.perRow;
    if (lo[row]! < 0 || c < lo[row]!) lo[row] = c;
    if (c > hi[row]!) hi[row] = c;
  };
  // Four regions per compare where the arrays allow it: this loop runs a few times a second on
  // 512 Ki regions, often before the JIT has optimised it, so fewer iterations matter.
  const w = [ca, cb, fa, fb, la, lb, ka ?? cb, kb ?? cb].map(words);
  let from = 0;
  if (w.every((x) => x !== null)) {
    const [wca, wcb, wfa, wfb, wla, wlb, wka, wkb] = w as Int32Array[];
    const nw = n >> 2;
    for (let i = 0; i < nw; i++) {
      if (wca![i] === wcb![i] && wfa![i] === wfb![i] && wla![i] === wlb![i] && wka![i] === wkb![i])
        continue;
      for (let r = i * 4; r < i * 4 + 4; r++) visit(r);
    }
    from = nw * 4;
  }
  for (let r = from; r < n; r++) visit(r);
  const bh = BAND * 2 * s;
  const out: PxRect[] = [];
  for (let row = 0; row < bands; row++)
    if (lo[row]! >= 0)
      out.push({
        x: lo[row]! * s,
        y: row * bh,
        w: (hi[row]! - lo[row]! + 1) * s,
        h: Math.min(bh, image.height - row * bh),
      });
  return out;
}

/** Tile rows per dirty rectangle of updateRegionRaster. */
const BAND = 16;

/** A view of a byte array as 32-bit words (its length rounded down), or null if misaligned. */
function words(a: Uint8Array): Int32Array | null {
  return a.byteOffset % 4 === 0 ? new Int32Array(a.buffer, a.byteOffset, a.length >> 2) : null;
}

/** Paint region r's tile (s × 2s px) into a region raster `width` px wide. */
function paintRegion(
  px: Uint32Array,
  width: number,
  s: number,
  l: Layout,
  snap: MapSnapshot,
  layer: MapLayer,
  p: Palette,
  r: number,
): void {
  const ty = Math.floor(r / l.perRow);
  const x0 = (r - ty * l.perRow) * s;
  const y0 = ty * 2 * s;
  const code = snap.regionCode[r]!;
  // regionStyle(), inlined: this runs once per tile of a multi-TiB host.
  let textured: boolean;
  let dimmed: boolean;
  if (layer === 'rmp') {
    const f = snap.regionFlags[r]!;
    dimmed = !(f & RF_ASSIGNED);
    textured = !dimmed && !(f & RF_RMP2M);
  } else {
    const level = layer === 'vmm' ? snap.regionUserLevel[r] : snap.regionLevel[r];
    textured = level === LEVEL_4K;
    dimmed = layer === 'vmm' && level === LEVEL_NONE;
  }
  const c = p.byCause
    ? causeColourOf(p, snap, r, layer)
    : dimmed
      ? p.dim[code]!
      : textured
        ? p.shade[code]!
        : p.plain[code]!;
  paintTile(px, width, x0, y0, s, c);
}

/**
 * Coloured by cause (cause-colours.ts): a region a cause split in its colour (full to 4K, light
 * for a 2M region of a split 1 GiB block), every other tile dimmed; other layers as they are.
 */
function causeColourOf(p: Palette, snap: MapSnapshot, r: number, layer: MapLayer): number {
  const code = snap.regionCode[r]!;
  const k = layer === 'direct-map' ? (snap.regionCause?.[r] ?? 0) : 0;
  if (k === 0 || !p.byCause) return p.dim[code]!;
  return snap.regionLevel[r] === LEVEL_4K ? p.byCause.solid[k]! : p.byCause.light[k]!;
}

/** One tile of s × 2s px in one colour (a split tile's is its state's split shade). */
function paintTile(
  px: Uint32Array,
  width: number,
  x0: number,
  y0: number,
  s: number,
  c: number,
): void {
  for (let y = 0; y < 2 * s; y++) {
    const row = (y0 + y) * width + x0;
    px.fill(c, row, row + s);
  }
}

/**
 * The tiles of a tile-aligned world rectangle at s × 2s px each (no cells): the hatch that marks
 * split tiles stays crisp between the coarse region raster and the 1 px-per-cell detail.
 */
export function buildMidRaster(
  l: Layout,
  snap: MapSnapshot,
  layer: MapLayer,
  p: Palette,
  rect: DetailRect,
  regions: readonly number[],
  s: number,
): ImageData {
  const per = TILE_W / s;
  const w = (rect.x1 - rect.x0) / per;
  const h = (rect.y1 - rect.y0) / per;
  const img = new ImageData(w, h);
  const px = new Uint32Array(img.data.buffer);
  px.fill(p.plain[0]!);
  for (const r of regions) {
    const [rx, ry] = regionXY(l, r);
    const x0 = (rx - rect.x0) / per;
    const y0 = (ry - rect.y0) / per;
    if (x0 < 0 || y0 < 0 || x0 + s > w || y0 + 2 * s > h) continue;
    const st = regionStyle(snap, layer, r);
    const code = snap.regionCode[r]!;
    const c = p.byCause
      ? causeColourOf(p, snap, r, layer)
      : st.dimmed
        ? p.dim[code]!
        : st.textured
          ? p.shade[code]!
          : p.plain[code]!;
    paintTile(px, w, x0, y0, s, c);
  }
  return img;
}

export interface DetailRect {
  /** World rectangle in cells, aligned to tiles. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One px per 4 KiB cell over a tile-aligned world rectangle. */
export function buildDetailRaster(
  l: Layout,
  snap: MapSnapshot,
  layer: MapLayer,
  p: Palette,
  rect: DetailRect,
  regions: readonly number[],
  cells: ReadonlyMap<number, Uint8Array>,
): ImageData {
  const w = rect.x1 - rect.x0;
  const h = rect.y1 - rect.y0;
  const img = new ImageData(w, h);
  const px = new Uint32Array(img.data.buffer);
  px.fill(p.plain[0]!);
  for (const r of regions) {
    const [rx, ry] = regionXY(l, r);
    const ox = rx - rect.x0;
    const oy = ry - rect.y0;
    if (ox < 0 || oy < 0 || ox + TILE_W > w || oy + TILE_H > h) continue;
    const s = regionStyle(snap, layer, r);
    const c = cells.get(r);
    const regionCode = snap.regionCode[r]!;
    if (p.byCause) {
      // By cause, a tile is one colour at every zoom: whose split it is, not its cells' states.
      const colour = causeColourOf(p, snap, r, layer);
      for (let cy = 0; cy < TILE_H; cy++) {
        const at = (oy + cy) * w + ox;
        px.fill(colour, at, at + TILE_W);
      }
      continue;
    }
    if (!c && !s.textured) {
      // A uniform, unsplit tile: 32 row fills instead of 512 cell writes.
      const colour = (s.dimmed ? p.dim : p.plain)[regionCode]!;
      for (let cy = 0; cy < TILE_H; cy++) {
        const at = (oy + cy) * w + ox;
        px.fill(colour, at, at + TILE_W);
      }
      continue;
    }
    for (let cy = 0; cy < TILE_H; cy++) {
      const row = (oy + cy) * w + ox;
      for (let cx = 0; cx < TILE_W; cx++) {
        const code = c ? c[cy * TILE_W + cx]! : regionCode;
        const dim = layer === 'rmp' ? !isAssignedCode(code) : s.dimmed;
        // A split tile: its own state in the split shade, every other cell in its state colour.
        const split = s.textured && code === regionCode;
        px[row + cx] = dim ? p.dim[code]! : split ? p.shade[code]! : p.plain[code]!;
      }
    }
  }
  return img;
}
