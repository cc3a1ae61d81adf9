/**
 * What an import puts on the memory map: a reconcile's verdict per 2 MiB region (agree / differ,
 * from a ptdump next to the model) and SEV-SNP frames with their 2 MiB regions (from RMP
 * messages). One overlay at a time, held by the run session; the import panel sets and clears it and
 * the map draws it every frame through overlays.ts drawLabels (host layers only).
 *
 * The overlay belongs to the run it was made for (RunInfo.scenarioDigest): a different scenario
 * does not draw it. A reconcile is made at one step of the model; the legend says which.
 */
import { currentRun } from '../engine-client';
import {
  type Layout,
  regionsIn,
  regionXY,
  TILE_H,
  TILE_W,
  tileColumn,
  tileRow,
} from '../map/geometry';
import type { OverlayState, Viewport } from '../map/overlays';
import { getImportOverlay } from '../run/session';
import { testHooks } from '../test-hooks';

/** Per-region reconcile codes (tools-host ReconcileResult.overlay). */
export const OV_NONE = 0;
export const OV_AGREE = 1;
export const OV_DIFFER = 2;

export interface ImportOverlay {
  /** RunInfo.scenarioDigest of the run it was made for. */
  scenarioDigest: string;
  /** What was imported, for the legend ("ptdump", "SEV-SNP RMP messages"). */
  title: string;
  /** Reconcile: the model's step, and OV_* per 2 MiB region (null: no reconcile). */
  reconcile: { step: number; regions: Uint8Array; agree: number; differ: number } | null;
  /** SEV-SNP: frames named by the messages (each drawn with its 2 MiB region). */
  pfns: number[];
}

// The overlay is run state, held by the run session; the import panel sets and clears it there.
export { getImportOverlay, setImportOverlay, useImportOverlay } from '../run/session';

export type { OverlayDrawStats } from '../test-hooks';

const COLORS = {
  light: { differ: [214, 40, 40, 150], agree: [22, 163, 74, 36], line: '#b91c1c', snp: '#a21caf' },
  dark: { differ: [255, 92, 92, 150], agree: [74, 222, 128, 34], line: '#ff8080', snp: '#f0abfc' },
} as const;

/**
 * The reconcile as a raster of 1 × 1 px per 2 MiB tile (drawn scaled 16 × 32: a tile's shape),
 * built once per overlay, layout and theme; a 16 TiB host is 4096 × 2048 px.
 */
let raster: { of: ImportOverlay; key: string; canvas: HTMLCanvasElement } | null = null;

function reconcileRaster(o: ImportOverlay, l: Layout, theme: 'light' | 'dark'): HTMLCanvasElement {
  const key = `${l.regions}|${l.perRow}|${theme}`;
  if (raster?.of === o && raster.key === key) return raster.canvas;
  const canvas = document.createElement('canvas');
  const w = l.perRow;
  const h = l.rows;
  canvas.width = w;
  canvas.height = h;
  const img = new ImageData(w, h);
  const c = COLORS[theme];
  const regions = o.reconcile?.regions ?? new Uint8Array(0);
  const n = Math.min(regions.length, l.regions);
  for (let r = 0; r < n; r++) {
    const code = regions[r]!;
    if (code === OV_NONE) continue;
    const x = tileColumn(l, r);
    const y = tileRow(l, r);
    img.data.set(code === OV_DIFFER ? c.differ : c.agree, (y * w + x) * 4);
  }
  canvas.getContext('2d')?.putImageData(img, 0, 0);
  raster = { of: o, key, canvas };
  return canvas;
}

export function drawImportOverlay(
  ctx: CanvasRenderingContext2D,
  s: OverlayState,
  v: Viewport,
): void {
  const o = getImportOverlay();
  if (!o || currentRun().info?.scenarioDigest !== o.scenarioDigest) return;
  const theme = s.palette.theme;
  const c = COLORS[theme];
  const l = s.layout;
  let outlined = 0;
  if (o.reconcile) {
    const img = reconcileRaster(o, l, theme);
    const smooth = ctx.imageSmoothingEnabled;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, v.x, v.y, img.width * TILE_W * v.k, img.height * TILE_H * v.k);
    ctx.imageSmoothingEnabled = smooth;
    outlined = outlineDiffers(ctx, o.reconcile.regions, l, v, c.line);
  }
  const pages = l.regions * 512;
  const marks = o.pfns.filter((p) => p >= 0 && p < pages).slice(0, 256);
  for (const pfn of marks) markFrame(ctx, l, v, pfn, c.snp, theme);
  legend(ctx, s, o, c);
  const hooks = testHooks();
  hooks.importOverlay = {
    frames: (hooks.importOverlay?.frames ?? 0) + 1,
    step: o.reconcile?.step ?? s.snap.step,
    differ: o.reconcile?.differ ?? 0,
    agree: o.reconcile?.agree ?? 0,
    outlined,
    pfns: marks.length,
  };
}

/** A red outline around each visible differing tile, once tiles are 6 px wide or more. */
function outlineDiffers(
  ctx: CanvasRenderingContext2D,
  regions: Uint8Array,
  l: Layout,
  v: Viewport,
  color: string,
): number {
  if (TILE_W * v.k < 6) return 0;
  const x0 = -v.x / v.k;
  const y0 = -v.y / v.k;
  const visible = regionsIn(l, x0, y0, x0 + v.width / v.k, y0 + v.height / v.k, 8000);
  const path = new Path2D();
  let n = 0;
  for (const r of visible) {
    if (regions[r] !== OV_DIFFER) continue;
    const [rx, ry] = regionXY(l, r);
    path.rect(v.x + rx * v.k + 1, v.y + ry * v.k + 1, TILE_W * v.k - 2, TILE_H * v.k - 2);
    n++;
  }
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.stroke(path);
  return n;
}

/** The frame's 2 MiB region dashed, the frame itself filled (at least 6 px), with a halo. */
function markFrame(
  ctx: CanvasRenderingContext2D,
  l: Layout,
  v: Viewport,
  pfn: number,
  color: string,
  theme: 'light' | 'dark',
): void {
  const r = Math.floor(pfn / 512);
  const [rx, ry] = regionXY(l, r);
  const i = pfn - r * 512;
  const tw = Math.max(8, TILE_W * v.k);
  const th = Math.max(16, TILE_H * v.k);
  const tx = v.x + rx * v.k - (tw - TILE_W * v.k) / 2;
  const ty = v.y + ry * v.k - (th - TILE_H * v.k) / 2;
  ctx.lineWidth = 4;
  ctx.strokeStyle = theme === 'dark' ? '#000' : '#fff';
  ctx.strokeRect(tx - 1, ty - 1, tw + 2, th + 2);
  ctx.lineWidth = 2;
  ctx.strokeStyle = color;
  ctx.setLineDash([5, 3]);
  ctx.strokeRect(tx - 1, ty - 1, tw + 2, th + 2);
  ctx.setLineDash([]);
  if (v.k >= 1.5) {
    const size = Math.max(6, v.k);
    const fx = v.x + (rx + (i % TILE_W) + 0.5) * v.k - size / 2;
    const fy = v.y + (ry + Math.floor(i / TILE_W) + 0.5) * v.k - size / 2;
    ctx.fillStyle = color;
    ctx.fillRect(fx, fy, size, size);
  }
}

function legend(
  ctx: CanvasRenderingContext2D,
  s: OverlayState,
  o: ImportOverlay,
  c: (typeof COLORS)['light' | 'dark'],
): void {
  const parts: [string, string | null][] = [[`Imported ${o.title}`, null]];
  if (o.reconcile) {
    const r = o.reconcile;
    parts.push([
      `differ from the model at step ${r.step}: ${r.differ.toLocaleString('en-US')}`,
      rgba(c.differ, 1),
    ]);
    parts.push([`agree: ${r.agree.toLocaleString('en-US')} (2 MiB regions)`, rgba(c.agree, 0.9)]);
    if (s.snap.step !== r.step) parts.push([`map at step ${s.snap.step}`, null]);
  }
  if (o.pfns.length > 0)
    parts.push([`RMP messages: ${o.pfns.length} frame(s) and their 2 MiB regions`, c.snp]);
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  let x = 8;
  const y = 8;
  const h = 20;
  const widths = parts.map(([t, sw]) => ctx.measureText(t).width + (sw ? 16 : 0) + 12);
  ctx.fillStyle = s.palette.theme === 'dark' ? 'rgba(14,17,22,0.86)' : 'rgba(255,255,255,0.9)';
  ctx.fillRect(x, y, widths.reduce((a, b) => a + b, 0) + 4, h);
  parts.forEach(([text, swatch], k) => {
    let tx = x + 6;
    if (swatch) {
      ctx.fillStyle = swatch;
      ctx.fillRect(tx, y + 5, 10, 10);
      tx += 16;
    }
    ctx.fillStyle = s.palette.ink;
    ctx.fillText(text, tx, y + h / 2 + 1);
    x += widths[k]!;
  });
}

const rgba = (c: readonly number[], a: number) => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${a})`;
