/**
 * The physical-address ruler: each row's first address, in a gutter left of the grid (the
 * camera's fits leave the gutter free, camera.ts `gutter`). Rows closer than RULER_GAP_PX are
 * labelled every 2nd, 4th, … row, so labels never overlap. Zoomed in, with the grid's left edge
 * off screen, the gutter stays: an opaque strip at the canvas's left edge that hides the tiles
 * under it, as a spreadsheet's row numbers do, so a label never covers a tile.
 */
import { type Layout, TILE_H, TILE_W } from './geometry';
import { type LabelBox, LEVEL_TEXT, type OverlayState, type Viewport } from './overlays';

const FONT_PX = 12;
/** Monospace advance of the label font (ui-monospace at 12 px: 7.2 px; a little spare). */
const CHAR_PX = 7.4;
const RULER_GAP_PX = 16;
const PAD_PX = 6;

/** CSS px the ruler needs left of the grid: the longest row address plus padding. */
export function gutterPx(l: Layout, addressLabel: (region: number) => string): number {
  const last = (l.rows - 1) * l.perRow;
  return Math.ceil(addressLabel(last).length * CHAR_PX + 2 * PAD_PX);
}

/** Every how many rows a label goes, for rows `rowPx` tall: 1, 2, 4, … */
export function rulerEvery(rowPx: number): number {
  let m = 1;
  while (m * rowPx < RULER_GAP_PX && m < 2 ** 30) m *= 2;
  return m;
}

export function drawRuler(
  ctx: CanvasRenderingContext2D,
  s: OverlayState,
  v: Viewport,
  gutter: number,
): LabelBox[] {
  const l = s.layout;
  const rowPx = TILE_H * v.k;
  const every = rulerEvery(rowPx);
  const right = Math.max(gutter, v.x) - PAD_PX;
  const sticky = v.x < gutter;
  const y0 = Math.max(0, Math.floor(-v.y / rowPx / every) * every);
  const y1 = Math.min(l.rows - 1, Math.ceil((v.height - v.y) / rowPx));
  if (sticky) {
    ctx.fillStyle = s.palette.background;
    ctx.fillRect(0, 0, gutter, v.height);
    ctx.fillStyle = s.palette.faint;
    ctx.fillRect(gutter - 1, 0, 1, v.height);
  }
  if (y1 < y0) return [];
  ctx.font = `${FONT_PX}px ui-monospace, monospace`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillStyle = s.palette.ink;
  const out: LabelBox[] = [];
  for (let ty = y0; ty <= y1; ty += every) {
    const text = s.addressLabel(ty * l.perRow);
    // The label's middle on the row's first band, at least half a label inside the canvas.
    const cy = Math.max(FONT_PX / 2, v.y + ty * rowPx + Math.min(rowPx, RULER_GAP_PX) / 2);
    ctx.fillText(text, right, cy);
    const w = text.length * CHAR_PX;
    out.push({ x: right - w, y: cy - FONT_PX / 2 - 1, w, h: FONT_PX + 2, text });
  }
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  return out;
}

/** From this many CSS px a tile, each column of tiles gets a head: the tile's address and level. */
const HEAD_TILE_PX = 72;
export const HEAD_PX = 18;

/** CSS px at the canvas's top the column heads' strip hides (0: they sit above the grid). */
export function headStrip(v: Viewport): number {
  return TILE_W * v.k >= HEAD_TILE_PX && v.y < HEAD_PX ? HEAD_PX : 0;
}

/**
 * Column heads: above the grid (or, zoomed in past its top, in an opaque strip at the canvas's
 * top that hides the tiles under it), the address and mapping level of each visible column's
 * tile in the topmost visible row: zoomed onto a tile, its name sits right above it and covers
 * none of its cells.
 */
export function drawTileHeads(
  ctx: CanvasRenderingContext2D,
  s: OverlayState,
  v: Viewport,
  gutter: number,
): LabelBox[] {
  const l = s.layout;
  const { k } = v;
  const tilePx = TILE_W * k;
  if (tilePx < HEAD_TILE_PX) return [];
  const rowPx = TILE_H * k;
  const ty = Math.max(0, Math.min(l.rows - 1, Math.floor((HEAD_PX - v.y) / rowPx)));
  const top = Math.max(0, v.y + ty * rowPx - HEAD_PX);
  if (headStrip(v) > 0) {
    ctx.fillStyle = s.palette.background;
    ctx.fillRect(0, 0, v.width, HEAD_PX);
    ctx.fillStyle = s.palette.faint;
    ctx.fillRect(0, HEAD_PX - 1, v.width, 1);
  }
  const tx0 = Math.max(0, Math.floor((gutter - v.x) / tilePx));
  const tx1 = Math.min(l.perRow - 1, Math.floor((v.width - v.x) / tilePx));
  ctx.font = `${FONT_PX}px ui-monospace, monospace`;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = s.palette.ink;
  const out: LabelBox[] = [];
  for (let tx = tx0; tx <= tx1; tx++) {
    const r = ty * l.perRow + tx;
    if (r >= l.regions) break;
    const level =
      s.layer === 'vmm' || s.layer === 'guest'
        ? s.snap.regionUserLevel[r]!
        : s.snap.regionLevel[r]!;
    const x = Math.max(gutter + 3, v.x + tx * tilePx + 3);
    const room = v.x + (tx + 1) * tilePx - x;
    // The address and level, or the address alone where the tile is too narrow for both.
    const full = `${s.addressLabel(r)} ${LEVEL_TEXT[level] ?? ''}`.trim();
    const text = full.length * CHAR_PX <= room ? full : s.addressLabel(r);
    const w = text.length * CHAR_PX;
    if (w > room) continue;
    ctx.fillText(text, x, top + HEAD_PX / 2);
    out.push({ x, y: top + 2, w, h: HEAD_PX - 4, text });
  }
  ctx.textBaseline = 'top';
  return out;
}
