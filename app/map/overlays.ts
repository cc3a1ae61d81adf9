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
  BLOCK,
  CELLS_PER_REGION,
  type Layout,
  pfnXY,
  REGIONS_PER_BLOCK,
  regionsIn,
  regionXY,
  TILE_H,
  TILE_W,
  TILES_X,
  TILES_Y,
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

/** Mapping level a block shows as one piece in this layer (1G intact), or 0. */
function blockIs1G(s: OverlayState, b: number): boolean {
  const r = b * REGIONS_PER_BLOCK;
  if (r >= s.snap.regions) return false;
  if (s.layer === 'direct-map') return s.snap.regionLevel[r] === LEVEL_1G;
  if (s.layer === 'vmm') return s.snap.regionUserLevel[r] === LEVEL_1G;
  return false;
}

const LEVEL_TEXT = ['', '1G', '2M', '4K'];

function visibleBlocks(s: OverlayState, v: Viewport) {
  const w = visibleWorld(v);
  const l = s.layout;
  return {
    bx0: Math.max(0, Math.floor(w.x0 / BLOCK)),
    bx1: Math.min(l.cols - 1, Math.floor(w.x1 / BLOCK)),
    by0: Math.max(0, Math.floor(w.y0 / BLOCK)),
    by1: Math.min(l.rows - 1, Math.floor(w.y1 / BLOCK)),
  };
}

export function drawGrids(ctx: CanvasRenderingContext2D, s: OverlayState, v: Viewport): void {
  const l = s.layout;
  const { k } = v;
  const blockPx = BLOCK * k;
  const { bx0, bx1, by0, by1 } = visibleBlocks(s, v);
  const sx = (wx: number) => v.x + wx * k;
  const sy = (wy: number) => v.y + wy * k;
  // Thin block grid as whole lines: cols + rows strokes whatever the host size.
  if (blockPx >= 3) {
    ctx.beginPath();
    for (let bx = bx0; bx <= bx1 + 1; bx++) {
      ctx.moveTo(Math.round(sx(bx * BLOCK)) + 0.5, sy(by0 * BLOCK));
      ctx.lineTo(Math.round(sx(bx * BLOCK)) + 0.5, sy((by1 + 1) * BLOCK));
    }
    for (let by = by0; by <= by1 + 1; by++) {
      ctx.moveTo(sx(bx0 * BLOCK), Math.round(sy(by * BLOCK)) + 0.5);
      ctx.lineTo(sx((bx1 + 1) * BLOCK), Math.round(sy(by * BLOCK)) + 0.5);
    }
    ctx.strokeStyle = s.palette.faint;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  const tilePx = TILE_W * k;
  const tiles = new Path2D();
  const thick = new Path2D();
  let anyTiles = false;
  let any1G = false;
  for (let by = by0; by <= by1; by++)
    for (let bx = bx0; bx <= bx1; bx++) {
      const b = by * l.cols + bx;
      if (b >= l.blocks) continue;
      const ox = sx(bx * BLOCK);
      const oy = sy(by * BLOCK);
      if (blockIs1G(s, b)) {
        if (blockPx >= 6) {
          const inset = Math.min(3, blockPx / 16);
          thick.rect(ox + inset, oy + inset, blockPx - 2 * inset, blockPx - 2 * inset);
          any1G = true;
        }
        continue;
      }
      if (tilePx < 5) continue;
      anyTiles = true;
      // The last block of a host (or guest) may hold only some rows of tiles.
      const present = Math.min(REGIONS_PER_BLOCK, s.snap.regions - b * REGIONS_PER_BLOCK);
      const rows = Math.ceil(present / TILES_X);
      const bottom = oy + rows * TILE_H * k;
      for (let i = 1; i < TILES_X; i++) {
        const x = Math.round(ox + i * tilePx) + 0.5;
        tiles.moveTo(x, Math.max(0, oy));
        tiles.lineTo(x, Math.min(v.height, bottom));
      }
      for (let j = 1; j <= Math.min(rows, TILES_Y - 1); j++) {
        const y = Math.round(oy + j * TILE_H * k) + 0.5;
        tiles.moveTo(Math.max(0, ox), y);
        tiles.lineTo(Math.min(v.width, ox + blockPx), y);
      }
    }
  if (anyTiles) {
    ctx.strokeStyle = s.palette.faint;
    ctx.lineWidth = 1;
    ctx.stroke(tiles);
  }
  if (any1G) {
    ctx.strokeStyle = s.palette.ink;
    ctx.lineWidth = Math.max(1.5, Math.min(4, blockPx / 60));
    ctx.stroke(thick);
  }
  if (k >= 5) drawCellGrids(ctx, s, v);
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
  'guest shared': 'shared',
  'guest private (4K RMP)': 'priv',
  'guest private (2M RMP)': 'priv2M',
  'sequestered shared': 'seq',
  firmware: 'fw',
  'private, unmapped': 'unmap',
};

export function drawLabels(ctx: CanvasRenderingContext2D, s: OverlayState, v: Viewport): void {
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
      }
    }
    return;
  }
  const tilePx = TILE_W * k;
  if (tilePx >= 72) {
    const regions = regionsIn(s.layout, w.x0, w.y0, w.x1, w.y1, 400);
    ctx.font = '11px ui-monospace, monospace';
    for (const r of regions) {
      const [rx, ry] = regionXY(s.layout, r);
      const level =
        s.layer === 'vmm' || s.layer === 'guest'
          ? s.snap.regionUserLevel[r]!
          : s.snap.regionLevel[r]!;
      tag(
        ctx,
        s,
        `${s.addressLabel(r)} ${LEVEL_TEXT[level] ?? ''}`,
        v.x + rx * k + 2,
        v.y + ry * k + 2,
      );
    }
    return;
  }
  const blockPx = BLOCK * k;
  if (blockPx >= 110) {
    const { bx0, bx1, by0, by1 } = visibleBlocks(s, v);
    ctx.font = '11px ui-monospace, monospace';
    for (let by = by0; by <= by1; by++)
      for (let bx = bx0; bx <= bx1; bx++) {
        const b = by * s.layout.cols + bx;
        if (b >= s.layout.blocks) continue;
        const text = `${s.addressLabel(b * REGIONS_PER_BLOCK)}${blockIs1G(s, b) ? ' 1G' : ''}`;
        tag(ctx, s, text, v.x + bx * BLOCK * k + 5, v.y + by * BLOCK * k + 5);
      }
  }
}

/** Width of one character of the 11 px monospace label font (measured once: measureText is slow). */
let charPx = 0;

function tag(ctx: CanvasRenderingContext2D, s: OverlayState, text: string, x: number, y: number) {
  if (charPx === 0) charPx = ctx.measureText('0123456789').width / 10;
  const w = text.length * charPx;
  ctx.fillStyle = s.palette.theme === 'dark' ? 'rgba(14,17,22,0.78)' : 'rgba(255,255,255,0.82)';
  ctx.fillRect(x, y, w + 6, 15);
  ctx.fillStyle = s.palette.ink;
  ctx.fillText(text, x + 3, y + 2);
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
