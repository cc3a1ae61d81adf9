/**
 * The physical-address ruler: each row's first address, in a gutter left of the grid (never over
 * a tile at fit zoom; the camera's fits leave the gutter free, camera.ts `gutter`). Rows closer
 * than RULER_GAP_PX are labelled every 2nd, 4th, … row, so labels never overlap. Zoomed in, with
 * the grid's left edge off screen, the ruler sticks to the canvas's left edge on a backing (an
 * axis, as a spreadsheet's row numbers stay).
 */
import { type Layout, TILE_H } from './geometry';
import type { LabelBox, OverlayState, Viewport } from './overlays';

const FONT_PX = 11;
/** Monospace advance of the label font (ui-monospace at 11 px: 6.6 px; a little spare). */
const CHAR_PX = 6.8;
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
  if (y1 < y0) return [];
  if (sticky) {
    ctx.fillStyle = s.palette.theme === 'dark' ? 'rgba(14,17,22,0.85)' : 'rgba(255,255,255,0.88)';
    ctx.fillRect(0, 0, gutter, v.height);
  }
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
