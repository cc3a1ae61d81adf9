/**
 * Vector overlays, drawn only for what is on screen and only when big enough to see: the 1 GiB
 * block grid (thick outline around an intact 1G mapping), 2 MiB tile grids inside blocks that are
 * no longer one 1G mapping, 4 KiB cell grids inside split tiles, labels, the selection, the
 * keyboard cursor and the split animation. Each kind is batched into one path.
 *
 * The import overlay (app/import/map-overlay.ts: reconcile agree/differ per region, SEV-SNP frames and
 * their 2 MiB regions) is one of drawMap's extra painters (draw.ts), drawn after the labels.
 */
import { CELL_NAMES, LEVEL_1G, type MapLayer, type MapSnapshot } from '../../src/worker/protocol';
import {
  CELLS_PER_REGION,
  type Layout,
  pfnXY,
  REGIONS_PER_BLOCK,
  regionsIn,
  regionXY,
  TILE_H,
  TILE_W,
} from './geometry';
import { inkOn, type Palette } from './palette';
import { regionStyle } from './raster';

export interface Viewport {
  /** Zoom transform: screen = x + k × world. */
  k: number;
  x: number;
  y: number;
  /** CSS pixels. */
  width: number;
  height: number;
}

export interface OverlayState {
  layout: Layout;
  snap: MapSnapshot;
  layer: MapLayer;
  palette: Palette;
  /** Cell codes of the regions fetched for the detail raster. */
  cells: ReadonlyMap<number, Uint8Array>;
  /** Address of region 0 for labels: 0 on the host, GPA 0 in the guest view. */
  addressLabel: (region: number) => string;
}

/** A region's physical address, as tile labels show it. */
export const regionAddress = (region: number): string => `0x${(region * 2 ** 21).toString(16)}`;

export const visibleWorld = (v: Viewport) => ({
  x0: -v.x / v.k,
  y0: -v.y / v.k,
  x1: (v.width - v.x) / v.k,
  y1: (v.height - v.y) / v.k,
});

/** Whether block b is one 1G mapping in this layer (its thick outline, no tile grid). */
function blockIs1G(s: OverlayState, b: number): boolean {
  const r = b * REGIONS_PER_BLOCK;
  if (r >= s.snap.regions) return false;
  if (s.layer === 'direct-map') return s.snap.regionLevel[r] === LEVEL_1G;
  if (s.layer === 'vmm') return s.snap.regionUserLevel[r] === LEVEL_1G;
  return false;
}

export const LEVEL_TEXT = ['', '1G', '2M', '4K'];

/** Tile columns and rows in view (clamped to the grid). */
function visibleTiles(l: Layout, v: Viewport) {
  const w = visibleWorld(v);
  return {
    tx0: Math.max(0, Math.floor(w.x0 / TILE_W)),
    tx1: Math.min(l.perRow - 1, Math.floor(w.x1 / TILE_W)),
    ty0: Math.max(0, Math.floor(w.y0 / TILE_H)),
    ty1: Math.min(l.rows - 1, Math.floor(w.y1 / TILE_H)),
  };
}

/** Rows in view past which the per-row grids are skipped (a whole big host: sub-pixel rows). */
const MAX_GRID_ROWS = 600;

export function drawGrids(ctx: CanvasRenderingContext2D, s: OverlayState, v: Viewport): void {
  const l = s.layout;
  const { k } = v;
  const n = l.perRow;
  const rowPx = TILE_H * k;
  const tilePx = TILE_W * k;
  const { tx0, tx1, ty0, ty1 } = visibleTiles(l, v);
  if (tx1 < tx0 || ty1 < ty0 || rowPx < 2 || ty1 - ty0 > MAX_GRID_ROWS) return;
  const sx = (tx: number) => Math.round(v.x + tx * tilePx) + 0.5;
  const sy = (ty: number) => Math.round(v.y + ty * rowPx) + 0.5;
  const tiles = new Path2D();
  const blocks = new Path2D();
  const thick = new Path2D();
  let any1G = false;
  for (let ty = ty0; ty <= ty1; ty++) {
    const rowStart = ty * n;
    const last = Math.min(tx1, l.regions - rowStart - 1);
    // The row's tiles, one 1 GiB block's segment at a time.
    for (let a = tx0; a <= last; ) {
      const b = Math.floor((rowStart + a) / REGIONS_PER_BLOCK);
      const end = Math.min(last + 1, (b + 1) * REGIONS_PER_BLOCK - rowStart);
      const is1G = blockIs1G(s, b);
      if (is1G) any1G = true;
      else if (tilePx >= 5) {
        for (let tx = a + 1; tx < end; tx++) {
          tiles.moveTo(sx(tx), sy(ty));
          tiles.lineTo(sx(tx), sy(ty + 1));
        }
        if (ty > 0) {
          tiles.moveTo(sx(a), sy(ty));
          tiles.lineTo(sx(end), sy(ty));
        }
      }
      // The block's edges in this row: its start, and its top where the row above is another block.
      if ((rowStart + a) % REGIONS_PER_BLOCK === 0 && a > 0) {
        blocks.moveTo(sx(a), sy(ty));
        blocks.lineTo(sx(a), sy(ty + 1));
      }
      if (ty > 0) {
        // Tiles whose upper neighbour lies in the block before: [a, topTo).
        const topTo = Math.min(end, b * REGIONS_PER_BLOCK + n - rowStart);
        if (topTo > a) {
          blocks.moveTo(sx(a), sy(ty));
          blocks.lineTo(sx(topTo), sy(ty));
        }
      }
      a = end;
    }
  }
  if (any1G) {
    const b0 = Math.floor((ty0 * n + tx0) / REGIONS_PER_BLOCK);
    const b1 = Math.floor((ty1 * n + tx1) / REGIONS_PER_BLOCK);
    for (let b = b0; b <= b1 && b < l.blocks; b++)
      if (blockIs1G(s, b)) blockOutline(thick, l, b, v);
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = s.palette.faint;
  ctx.stroke(tiles);
  ctx.strokeStyle = s.palette.ink;
  ctx.globalAlpha = 0.45;
  ctx.stroke(blocks);
  ctx.globalAlpha = 1;
  if (any1G) {
    // A block under ~16 px tall (a 64 GiB host at overview zoom): thick edges of neighbouring
    // blocks would stripe the map black, so they are drawn as a faint hairline instead.
    const blockPx = Math.max(rowPx, (REGIONS_PER_BLOCK / n) * rowPx);
    const fine = blockPx < 16;
    ctx.lineWidth = fine ? 1 : Math.max(1.5, Math.min(4, rowPx / 6));
    ctx.globalAlpha = fine ? 0.5 : 1;
    ctx.stroke(thick);
    ctx.globalAlpha = 1;
  }
  if (k >= 5) drawCellGrids(ctx, s, v);
}

/**
 * The outline of 1 GiB block b: its rows wrap like a text selection (a partial first row, whole
 * rows, a partial last row), so the outline is that shape's eight corners.
 */
function blockOutline(path: Path2D, l: Layout, b: number, v: Viewport): void {
  const n = l.perRow;
  const p0 = b * REGIONS_PER_BLOCK;
  const p1 = Math.min(l.regions, p0 + REGIONS_PER_BLOCK);
  const r0 = Math.floor(p0 / n);
  const c0 = p0 - r0 * n;
  const r1 = Math.floor((p1 - 1) / n);
  const c1 = p1 - r1 * n;
  const sx = (c: number) => v.x + c * TILE_W * v.k;
  const sy = (r: number) => v.y + r * TILE_H * v.k;
  if (r0 === r1) {
    path.rect(sx(c0), sy(r0), sx(c1) - sx(c0), sy(r0 + 1) - sy(r0));
    return;
  }
  const pts: [number, number][] = [
    [c0, r0],
    [n, r0],
    [n, r1],
    [c1, r1],
    [c1, r1 + 1],
    [0, r1 + 1],
    [0, r0 + 1],
    [c0, r0 + 1],
  ];
  path.moveTo(sx(c0), sy(r0));
  for (const [c, r] of pts.slice(1)) path.lineTo(sx(c), sy(r));
  path.closePath();
}

/** Split tiles show their 512 cells: the shattered look, at 5 px a cell and closer. */
function drawCellGrids(ctx: CanvasRenderingContext2D, s: OverlayState, v: Viewport): void {
  const w = visibleWorld(v);
  const regions = regionsIn(s.layout, w.x0, w.y0, w.x1, w.y1, 4000);
  const path = new Path2D();
  const { k } = v;
  for (const r of regions) {
    if (!regionStyle(s.snap, s.layer, r).textured) continue;
    const [rx, ry] = regionXY(s.layout, r);
    const ox = v.x + rx * k;
    const oy = v.y + ry * k;
    for (let i = 1; i < TILE_W; i++) {
      const x = Math.round(ox + i * k) + 0.5;
      path.moveTo(x, Math.max(0, oy));
      path.lineTo(x, Math.min(v.height, oy + TILE_H * k));
    }
    for (let j = 1; j < TILE_H; j++) {
      const y = Math.round(oy + j * k) + 0.5;
      path.moveTo(Math.max(0, ox), y);
      path.lineTo(Math.min(v.width, ox + TILE_W * k), y);
    }
  }
  ctx.strokeStyle = s.palette.theme === 'dark' ? 'rgba(0,0,0,0.35)' : 'rgba(255,255,255,0.55)';
  ctx.lineWidth = 1;
  ctx.stroke(path);
}

const SHORT: Record<string, string> = {
  hole: 'hole',
  free: 'free',
  'host kernel': 'kern',
  'page table': 'PT',
  'hypervisor-owned (not yet accepted)': 'hv',
  'guest private (4K RMP)': 'priv',
  'guest private (2M RMP)': 'priv2M',
  'sequestered shared': 'seq',
  firmware: 'fw',
  'private, unmapped': 'unmap',
};

/** A label's box on screen (CSS px): tests hit-test them against tiles. */
export interface LabelBox {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
  /** A cell's own text, drawn inside that cell (PFN): it covers no other frame. */
  cell?: number;
}

/**
 * Labels inside the grid, only where they sit in their own cell: a cell's PFN and state from
 * 34 px a cell. Rows' addresses are the ruler's and tiles' the column heads' (ruler.ts), in strips
 * beside and above the grid that never lie over a tile. Returns the boxes drawn.
 */
export function drawLabels(
  ctx: CanvasRenderingContext2D,
  s: OverlayState,
  v: Viewport,
): LabelBox[] {
  const out: LabelBox[] = [];
  const { k } = v;
  const w = visibleWorld(v);
  ctx.textBaseline = 'top';
  if (k >= 34) {
    const cx0 = Math.max(0, Math.floor(w.x0));
    const cy0 = Math.max(0, Math.floor(w.y0));
    const regions = regionsIn(s.layout, w.x0, w.y0, w.x1, w.y1, 64);
    ctx.font = `${Math.min(13, Math.floor(k / 4.2))}px ui-monospace, monospace`;
    for (const r of regions) {
      const [rx, ry] = regionXY(s.layout, r);
      const cells = s.cells.get(r);
      for (let i = 0; i < CELLS_PER_REGION; i++) {
        const x = rx + (i % TILE_W);
        const y = ry + Math.floor(i / TILE_W);
        if (x + 1 < cx0 || y + 1 < cy0 || x > w.x1 || y > w.y1) continue;
        const code = cells ? cells[i]! : s.snap.regionCode[r]!;
        const pfn = r * CELLS_PER_REGION + i;
        ctx.fillStyle = inkOn(s.palette, code);
        const px = v.x + x * k + 3;
        const py = v.y + y * k + 3;
        ctx.fillText(pfn.toString(16), px, py);
        ctx.fillText(SHORT[CELL_NAMES[code & 15] ?? ''] ?? '', px, py + k / 3);
        out.push({ x: px, y: py, w: k - 6, h: k / 3 + 13, text: pfn.toString(16), cell: pfn });
      }
    }
  }
  return out;
}
/** A frame's outline (or its tile's, when cells are too small to see), with a halo. */
export function drawFrameMark(
  ctx: CanvasRenderingContext2D,
  s: OverlayState,
  v: Viewport,
  pfn: number,
  style: 'selected' | 'cursor',
): void {
  const [x, y] = pfnXY(s.layout, pfn);
  const small = v.k < 4;
  const [rx, ry] = regionXY(s.layout, Math.floor(pfn / CELLS_PER_REGION));
  const px = v.x + (small ? rx : x) * v.k;
  const py = v.y + (small ? ry : y) * v.k;
  const w = Math.max(6, (small ? TILE_W : 1) * v.k);
  const h = Math.max(6, (small ? TILE_H : 1) * v.k);
  ctx.lineWidth = style === 'selected' ? 4 : 3;
  ctx.strokeStyle = s.palette.theme === 'dark' ? '#000' : '#fff';
  ctx.strokeRect(px - 1, py - 1, w + 2, h + 2);
  ctx.lineWidth = 2;
  ctx.strokeStyle = style === 'selected' ? s.palette.accent : s.palette.ink;
  if (style === 'cursor') ctx.setLineDash([4, 3]);
  ctx.strokeRect(px - 1, py - 1, w + 2, h + 2);
  ctx.setLineDash([]);
  if (style === 'selected' && w < 10) {
    // A cross hair makes a tiny selection findable at any zoom.
    const cx = px + w / 2;
    const cy = py + h / 2;
    ctx.beginPath();
    ctx.moveTo(cx - 18, cy);
    ctx.lineTo(cx - 6, cy);
    ctx.moveTo(cx + 6, cy);
    ctx.lineTo(cx + 18, cy);
    ctx.moveTo(cx, cy - 18);
    ctx.lineTo(cx, cy - 6);
    ctx.moveTo(cx, cy + 6);
    ctx.lineTo(cx, cy + 18);
    ctx.stroke();
  }
}

/** Tiles that split at this step flash and shatter for a moment (progress 0 → 1). */
export function drawSplitFlash(
  ctx: CanvasRenderingContext2D,
  s: OverlayState,
  v: Viewport,
  regions: readonly number[],
  progress: number,
): void {
  const a = 1 - progress;
  const { k } = v;
  const grow = 1 + 0.35 * progress;
  const cells = new Path2D();
  ctx.fillStyle = `rgba(255, 196, 0, ${0.7 * a})`;
  for (const r of regions) {
    const [rx, ry] = regionXY(s.layout, r);
    const w = Math.max(3, TILE_W * k);
    const h = Math.max(6, TILE_H * k);
    const cx = v.x + rx * k + (TILE_W * k) / 2;
    const cy = v.y + ry * k + (TILE_H * k) / 2;
    if (cx < -w || cy < -h || cx > v.width + w || cy > v.height + h) continue;
    const gw = w * grow;
    const gh = h * grow;
    ctx.fillRect(cx - gw / 2, cy - gh / 2, gw, gh);
    if (w >= 24) {
      for (let i = 1; i < 4; i++) {
        cells.moveTo(cx - gw / 2 + (gw * i) / 4, cy - gh / 2);
        cells.lineTo(cx - gw / 2 + (gw * i) / 4, cy + gh / 2);
      }
      for (let j = 1; j < 8; j++) {
        cells.moveTo(cx - gw / 2, cy - gh / 2 + (gh * j) / 8);
        cells.lineTo(cx + gw / 2, cy - gh / 2 + (gh * j) / 8);
      }
    }
  }
  ctx.strokeStyle = `rgba(120, 60, 0, ${a})`;
  ctx.lineWidth = 1;
  ctx.stroke(cells);
}
