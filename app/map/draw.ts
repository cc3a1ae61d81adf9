/**
 * One frame of the map, drawn from a description of it (after Excalidraw's renderStaticScene):
 * drawMap reads only its arguments, so the explorer's map, compare's still maps and a test with
 * a recording context draw the same way. Order, back to front: ground, region raster, detail
 * raster, grids, labels, extra overlays (the import's), the split flash, the step's marks, the ruler, the selection, the
 * keyboard cursor, and the veil over a previous run's picture.
 */
import { CELLS_PER_REGION } from './geometry';
import type { Placed } from './layers';
import { drawMarks, type MarkFrame } from './marks';
import {
  drawFrameMark,
  drawGrids,
  drawLabels,
  drawSplitFlash,
  type LabelBox,
  type OverlayState,
  type Viewport,
  visibleWorld,
} from './overlays';
import type { Palette } from './palette';
import { drawRuler, drawTileHeads } from './ruler';

/** A painter over the labels (app/import/map-overlay.ts drawImportOverlay has this shape). */
export type MapPainter = (ctx: CanvasRenderingContext2D, s: OverlayState, v: Viewport) => void;

export interface MapFrame {
  /** Device px per CSS px; the canvas is width × height CSS px. */
  dpr: number;
  width: number;
  height: number;
  palette: Palette;
  /** Nothing but the ground until a snapshot is loaded. */
  scene: OverlayState | null;
  viewport: Viewport;
  /** CSS px of the address ruler's gutter left of the grid (0 or absent: no ruler). */
  gutter?: number;
  region: Placed | null;
  detail: Placed | null;
  overlays: readonly MapPainter[];
  /** Tiles that split at this step, and how far their flash has gone (0 → 1). */
  flash: { regions: readonly number[]; progress: number } | null;
  /** What changed at this step, ringed (marks.ts). */
  marks?: MarkFrame | null;
  selectedPfn: number | null;
  cursorPfn: number | null;
  /** The picture is a previous run's (the new run's snapshot is on its way). */
  stale: boolean;
  /** Timestamps for the phases (FrameStats); none taken without it. */
  clock?: () => number;
}

/** When each phase ended (clock() values), for the benchmark's slow-frame breakdown. */
export interface DrawTimes {
  raster: number;
  detail: number;
  grids: number;
  labels: number;
  /** Every label drawn, in CSS px (tests hit-test them against tiles). */
  labelBoxes: LabelBox[];
}

export function drawMap(ctx: CanvasRenderingContext2D, f: MapFrame): DrawTimes | null {
  const now = f.clock ?? (() => 0);
  ctx.setTransform(f.dpr, 0, 0, f.dpr, 0, 0);
  ctx.fillStyle = f.palette.background;
  ctx.fillRect(0, 0, f.width, f.height);
  const s = f.scene;
  if (!s) return null;
  const v = f.viewport;
  ctx.imageSmoothingEnabled = false;
  if (f.region) blit(ctx, f.region, v);
  const raster = now();
  if (f.detail) blit(ctx, f.detail, v);
  const detail = now();
  drawGrids(ctx, s, v);
  const grids = now();
  const labelBoxes = drawLabels(ctx, s, v);
  for (const paint of f.overlays) paint(ctx, s, v);
  const labels = now();
  if (f.flash) drawSplitFlash(ctx, s, v, f.flash.regions, f.flash.progress);
  if (f.marks) drawMarks(ctx, s, v, f.marks);
  labelBoxes.push(...drawTileHeads(ctx, s, v, f.gutter ?? 0));
  if (f.gutter) labelBoxes.push(...drawRuler(ctx, s, v, f.gutter));
  const sel = f.selectedPfn;
  if (sel !== null && sel >= 0 && sel < s.layout.regions * CELLS_PER_REGION)
    drawFrameMark(ctx, s, v, sel, 'selected');
  if (f.cursorPfn !== null && f.cursorPfn >= 0) drawFrameMark(ctx, s, v, f.cursorPfn, 'cursor');
  if (f.stale) drawStaleVeil(ctx, f.palette.background, f.width, f.height);
  return { raster, detail, grids, labels, labelBoxes };
}

/** Draw the visible part of a placed raster (never the whole host's pixels when zoomed in). */
function blit(ctx: CanvasRenderingContext2D, p: Placed, v: Viewport): void {
  const w = visibleWorld(v);
  const scale = p.worldPerPx;
  const src = p.image;
  const sx0 = Math.max(0, Math.floor((w.x0 - p.x) / scale));
  const sy0 = Math.max(0, Math.floor((w.y0 - p.y) / scale));
  const sx1 = Math.min(src.width, Math.ceil((w.x1 - p.x) / scale));
  const sy1 = Math.min(src.height, Math.ceil((w.y1 - p.y) / scale));
  if (sx1 <= sx0 || sy1 <= sy0) return;
  const k = v.k * scale;
  ctx.drawImage(
    src,
    sx0,
    sy0,
    sx1 - sx0,
    sy1 - sy0,
    v.x + (p.x + sx0 * scale) * v.k,
    v.y + (p.y + sy0 * scale) * v.k,
    (sx1 - sx0) * k,
    (sy1 - sy0) * k,
  );
}

/**
 * The previous run's picture while a new run's first snapshot is on its way (a preset switch on a
 * 1 TiB host takes a second): faded, so it is never read as the new run's.
 */
function drawStaleVeil(
  ctx: CanvasRenderingContext2D,
  background: string,
  w: number,
  h: number,
): void {
  ctx.save();
  ctx.globalAlpha = 0.75;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, w, h);
  ctx.restore();
}
