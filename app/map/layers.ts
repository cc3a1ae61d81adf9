/**
 * The map's two raster layers as canvases drawMap blits (pixels from raster.ts):
 *
 * - RegionLayer: the whole host at s × 2s px per 2 MiB tile, repainted only where a step changed
 *   it (updateRegionRaster) while the run, space, layer and theme stay;
 * - DetailLayer: the tiles around the view at 1 px per 4 KiB cell (or the mid level's 4 × 8 px
 *   per tile), built once the view has been still for DETAIL_SETTLE_MS, after fetching the mixed
 *   regions' cells.
 */
import type { MapLayer, MapSnapshot } from '../../src/worker/protocol';
import { type Layout, regionsIn, TILE_H, TILE_W } from './geometry';
import type { Loaded } from './loader';
import { type Viewport, visibleWorld } from './overlays';
import type { Palette } from './palette';
import {
  buildDetailRaster,
  buildMidRaster,
  buildRegionRaster,
  type DetailRect,
  updateRegionRaster,
} from './raster';

/** From this many screen px per 4 KiB cell the detail raster (1 px a cell) is drawn. */
const DETAIL_K = 2;
/** Between the region raster and cells: tiles at 4 × 8 px, once a tile is this many px wide. */
const MID_PX_PER_TILE = 4;
const MID_TILE_SCREEN_PX = 6;
/** The detail raster is rebuilt once the view has been still this long (not during a gesture). */
const DETAIL_SETTLE_MS = 90;
/** Regions a detail raster may cover (a 16 × 32 px tile each at 1 px a cell). */
const MAX_DETAIL_REGIONS = 12_000;

/** A raster placed in the world: pixel (0, 0) at world (x, y), `worldPerPx` cells a pixel. */
export interface Placed {
  image: CanvasImageSource & { readonly width: number; readonly height: number };
  x: number;
  y: number;
  worldPerPx: number;
}

export class RegionLayer {
  readonly canvas: HTMLCanvasElement = document.createElement('canvas');
  /** World units (cells) per raster pixel. */
  worldPerPx = 16;
  /** Bumped whenever the pixels change: a detail raster built for an older version is stale. */
  version = 0;
  private state: { base: string; image: ImageData; snap: MapSnapshot } | null = null;

  /** Px per tile column. */
  get pxPerTile(): number {
    return TILE_W / this.worldPerPx;
  }

  get placed(): Placed {
    return { image: this.canvas, x: 0, y: 0, worldPerPx: this.worldPerPx };
  }

  /**
   * Show `snap`. `base` names what the pixels depend on besides the snapshot (run, space, layout,
   * layer, theme): under the same base only the tiles the snapshot changed are repainted.
   * 'same': nothing to do; 'updated': repainted in place (`dirty` rectangles); 'rebuilt'.
   */
  show(
    base: string,
    layout: Layout,
    snap: MapSnapshot,
    layer: MapLayer,
    palette: Palette,
  ): { kind: 'same' | 'updated' | 'rebuilt'; dirty: number } {
    const r = this.state;
    if (r && r.base === base && r.snap === snap) return { kind: 'same', dirty: 0 };
    this.version++;
    if (r && r.base === base) {
      const dirty = updateRegionRaster(r.image, layout, r.snap, snap, layer, palette);
      r.snap = snap;
      const ctx = this.canvas.getContext('2d')!;
      for (const b of dirty) ctx.putImageData(r.image, 0, 0, b.x, b.y, b.w, b.h);
      return { kind: 'updated', dirty: dirty.length };
    }
    const { image, worldPerPx } = buildRegionRaster(layout, snap, layer, palette);
    this.state = { base, image, snap };
    this.worldPerPx = worldPerPx;
    this.canvas.width = image.width;
    this.canvas.height = image.height;
    this.canvas.getContext('2d')!.putImageData(image, 0, 0);
    return { kind: 'rebuilt', dirty: 0 };
  }
}

/**
 * Px per tile column of the raster a view at zoom k needs over the region raster (s px per tile
 * column): TILE_W (1 px a cell), MID_PX_PER_TILE, or 0 (the region raster is enough).
 */
export function detailLevel(k: number, s: number): number {
  if (k >= DETAIL_K) return TILE_W;
  return k * TILE_W >= MID_TILE_SCREEN_PX && s < MID_PX_PER_TILE ? MID_PX_PER_TILE : 0;
}

/** What a detail build reads, taken when the build starts (the view has settled by then). */
export interface DetailInput {
  loaded: Loaded;
  layer: MapLayer;
  palette: Palette;
  /** RegionLayer.version the detail belongs to. */
  version: number;
  viewport: Viewport;
}

export interface CellSource {
  readonly cells: ReadonlyMap<number, Uint8Array>;
  fetchCells(d: Loaded, regions: readonly number[], stale: () => boolean): Promise<boolean>;
}

interface Detail {
  canvas: HTMLCanvasElement;
  rect: DetailRect;
  version: number;
  /** Px per tile column: TILE_W (one per cell) or MID_PX_PER_TILE. */
  q: number;
}

export class DetailLayer {
  private detail: Detail | null = null;
  private busy = false;
  private timer = 0;
  /** The view the pending build was scheduled for. */
  private pending = '';

  constructor(
    private readonly cells: CellSource,
    /** The input of a build, read when it starts (null: nothing to show). */
    private readonly input: () => DetailInput | null,
    /** A new detail raster is ready to draw. */
    private readonly onReady: () => void,
  ) {}

  dispose(): void {
    clearTimeout(this.timer);
  }

  clear(): void {
    this.detail = null;
  }

  /**
   * The raster to draw over the region raster at level q (a stale level still beats nothing
   * while the right one is built), scheduling a build when it does not cover the view or covers
   * far more than it (a zoom in from afar).
   */
  forView(q: number, v: Viewport, layout: Layout, version: number): Placed | null {
    if (q === 0) return null;
    const det = this.detail;
    const w = visibleWorld(v);
    const usable = det !== null && det.version === version && det.q === q;
    const covers =
      usable &&
      det.rect.x0 <= Math.max(0, w.x0) &&
      det.rect.y0 <= Math.max(0, w.y0) &&
      det.rect.x1 >= Math.min(layout.width, w.x1) &&
      det.rect.y1 >= Math.min(layout.height, w.y1);
    const tooBig = usable && (det.rect.x1 - det.rect.x0) * v.k > v.width * 4;
    if (!covers || tooBig) this.schedule(q, v);
    if (!det || det.version !== version) return null;
    return { image: det.canvas, x: det.rect.x0, y: det.rect.y0, worldPerPx: TILE_W / det.q };
  }

  /**
   * Build once the view has been still for DETAIL_SETTLE_MS: a draw of the same view (the step's
   * marks fading, a hover) does not push the build back; a move does.
   */
  private schedule(q: number, v: Viewport): void {
    const key = `${q}|${v.k}|${v.x}|${v.y}|${v.width}|${v.height}`;
    if (this.timer !== 0 && key === this.pending) return;
    this.pending = key;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      void this.build(q);
    }, DETAIL_SETTLE_MS);
  }

  /** Build the detail raster around the view, with a fifth of the view's size around it. */
  private async build(q: number): Promise<void> {
    const input = this.input();
    if (!input || this.busy) return;
    this.busy = true;
    try {
      const { loaded: d, layer, palette, version } = input;
      const w = visibleWorld(input.viewport);
      const mx = (w.x1 - w.x0) * 0.2;
      const my = (w.y1 - w.y0) * 0.2;
      const rect: DetailRect = {
        x0: Math.max(0, Math.floor((w.x0 - mx) / TILE_W) * TILE_W),
        y0: Math.max(0, Math.floor((w.y0 - my) / TILE_H) * TILE_H),
        x1: Math.min(d.layout.width, Math.ceil((w.x1 + mx) / TILE_W) * TILE_W),
        y1: Math.min(d.layout.height, Math.ceil((w.y1 + my) / TILE_H) * TILE_H),
      };
      if (rect.x1 <= rect.x0 || rect.y1 <= rect.y0) return;
      const { x0, y0, x1, y1 } = rect;
      const regions = regionsIn(d.layout, x0, y0, x1, y1, MAX_DETAIL_REGIONS);
      if (q !== TILE_W) {
        const img = buildMidRaster(d.layout, d.snap, layer, palette, rect, regions, q);
        this.put(img, rect, version, q);
        return;
      }
      const stale = () => this.input()?.version !== version;
      if (!(await this.cells.fetchCells(d, regions, stale))) return;
      const cells = this.cells.cells;
      const img = buildDetailRaster(d.layout, d.snap, layer, palette, rect, regions, cells);
      this.put(img, rect, version, q);
    } finally {
      this.busy = false;
    }
  }

  private put(img: ImageData, rect: DetailRect, version: number, q: number): void {
    const canvas = this.detail?.canvas ?? document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.getContext('2d')!.putImageData(img, 0, 0);
    this.detail = { canvas, rect, version, q };
    this.onReady();
  }
}
