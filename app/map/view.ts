/**
 * The map's controller, outside React: it owns the canvases, the d3-zoom transform, the data
 * fetched from the worker and one requestAnimationFrame scheduler. Pan and zoom only change the
 * transform and request a frame; React renders once per prop change and never per frame.
 *
 * Level of detail: the region raster (up to 8 × 16 px per 2 MiB tile) is always drawn; from 1 px per
 * 4 KiB cell the detail raster (1 px per cell, fetched for the tiles around the view) covers it;
 * vector overlays follow what is big enough to see (overlays.ts).
 */
import { select } from 'd3-selection';
import { type ZoomBehavior, type ZoomTransform, zoom, zoomIdentity } from 'd3-zoom';
import {
  CELL_NAMES,
  LEVEL_4K,
  type MapLayer,
  type MapSnapshot,
  RF_MIXED,
} from '../../src/worker/protocol';
import { currentRun, type Engine, getEngine, onRunChange } from '../engine-client';
import {
  CELLS_PER_REGION,
  type Layout,
  layoutFor,
  pfnAt,
  regionAt,
  regionsIn,
  TILE_H,
  TILE_W,
} from './geometry';
import {
  drawFrameMark,
  drawGrids,
  drawLabels,
  drawSplitFlash,
  type OverlayState,
  type Viewport,
  visibleWorld,
} from './overlays';
import { paletteFor, type Theme } from './palette';
import {
  buildDetailRaster,
  buildMidRaster,
  buildRegionRaster,
  type DetailRect,
  updateRegionRaster,
} from './raster';
import { FrameStats } from './stats';
import { type Box, boxOfRange, rangeOfView } from './view-range';

export interface MapViewProps {
  snapshotStep: number;
  layer: MapLayer;
  selectedPfn: number | null;
  onSelect(pfn: number | null): void;
  zoom?: { start: number; end: number };
  onZoomChange?(z: { start: number; end: number }): void;
  guestIndex?: number;
  theme: Theme;
  animate: boolean;
}

export interface MapElements {
  canvas: HTMLCanvasElement;
  minimap: HTMLCanvasElement;
  tooltip: HTMLElement;
}

/** From this many screen px per 4 KiB cell the detail raster (1 px a cell) is drawn. */
const DETAIL_K = 2;
/** Between the region raster and cells: tiles at 4 × 8 px, once a tile is this many px wide. */
const MID_PX_PER_TILE = 4;
const MID_TILE_SCREEN_PX = 6;
/** The detail raster is rebuilt once the view has been still this long (not during a gesture). */
const DETAIL_SETTLE_MS = 90;
const FLASH_MS = 320;
const MAX_FLASH = 3000;
const MAX_CACHED_REGIONS = 24_000;
const MINIMAP_PX = 150;
const MINIMAP_MS = 250;

interface Loaded {
  key: string;
  gen: number;
  step: number;
  space: string;
  snap: MapSnapshot;
  layout: Layout;
}

export class MapView {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly miniCtx: CanvasRenderingContext2D;
  private readonly zoomer: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly engine: Engine = getEngine();
  private t: ZoomTransform = zoomIdentity;
  private cssW = 1;
  private cssH = 1;
  private dpr = 1;
  private props: MapViewProps;
  private loaded: Loaded | null = null;
  private prevHost: Loaded | null = null;
  private fetching: string | null = null;
  private readonly raster = document.createElement('canvas');
  private readonly miniBase = document.createElement('canvas');
  private rasterKey = '';
  /** The region raster's pixels and the snapshot they show, kept for incremental updates. */
  private region: { base: string; image: ImageData; snap: MapSnapshot } | null = null;
  /** World units (cells) per region-raster pixel. */
  private rasterScale = 16;
  /** Px per tile column in the region raster. */
  private rasterS = 1;
  private detail: {
    canvas: HTMLCanvasElement;
    rect: DetailRect;
    key: string;
    /** Px per tile column: 16 (one per cell) or MID_PX_PER_TILE. */
    q: number;
  } | null = null;
  private detailBusy = false;
  private cells = new Map<number, Uint8Array>();
  private cellsKey = '';
  private frame = 0;
  private flash: { regions: number[]; t0: number } | null = null;
  private focused = false;
  private lastReported = '';
  private appliedZoom = '';
  private fitted = '';
  /** Until the user zooms or pans, a resize refits the view (the layout settles after load). */
  private userMoved = false;
  private readonly stats = new FrameStats();
  private readonly unsub: () => void;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly el: MapElements,
    props: MapViewProps,
  ) {
    performance.mark('fracture:map');
    this.props = props;
    this.ctx = el.canvas.getContext('2d', { alpha: false })!;
    this.miniCtx = el.minimap.getContext('2d')!;
    this.zoomer = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1e-3, 64])
      .on('zoom', (e: { transform: ZoomTransform; sourceEvent: unknown }) => {
        this.t = e.transform;
        if (e.sourceEvent) this.userMoved = true;
        this.flash = null;
        this.request();
      })
      // Only a gesture's end changes the link: a zoom the view applies itself (a fit, a link's
      // range) must not rewrite the range it was given.
      .on('end', (e: { sourceEvent: unknown }) => {
        if (e.sourceEvent) this.reportZoom();
      });
    select(el.canvas).call(this.zoomer).on('dblclick.zoom', null);
    el.canvas.addEventListener('pointermove', this.onHover);
    el.canvas.addEventListener('pointerleave', this.hideTip);
    el.canvas.addEventListener('click', this.onClick);
    el.canvas.addEventListener('keydown', this.onKey);
    el.canvas.addEventListener('focus', this.onFocus);
    el.canvas.addEventListener('blur', this.onBlur);
    el.minimap.addEventListener('pointerdown', this.onMinimap);
    this.resize = new ResizeObserver(() => this.measure());
    this.resize.observe(el.canvas.parentElement ?? el.canvas);
    // The legend's height is part of the view's box (zoomTo keeps it clear): follow it too.
    const legend = this.legend();
    if (legend) this.resize.observe(legend);
    this.unsub = onRunChange(() => {
      this.sync();
      // A new run: veil the previous one's picture until the new snapshot arrives.
      this.request();
    });
    this.measure();
    this.sync();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    cancelAnimationFrame(this.hoverFrame);
    clearTimeout(this.detailTimer);
    clearTimeout(this.minimapTimer);
    this.resize.disconnect();
    this.unsub();
    select(this.el.canvas).on('.zoom', null);
    this.el.canvas.removeEventListener('pointermove', this.onHover);
    this.el.canvas.removeEventListener('pointerleave', this.hideTip);
    this.el.canvas.removeEventListener('click', this.onClick);
    this.el.canvas.removeEventListener('keydown', this.onKey);
    this.el.canvas.removeEventListener('focus', this.onFocus);
    this.el.canvas.removeEventListener('blur', this.onBlur);
    this.el.minimap.removeEventListener('pointerdown', this.onMinimap);
  }

  setProps(p: MapViewProps): void {
    const old = this.props;
    this.props = p;
    if (
      old.snapshotStep !== p.snapshotStep ||
      old.layer !== p.layer ||
      old.guestIndex !== p.guestIndex
    )
      this.sync();
    if (old.theme !== p.theme || old.layer !== p.layer) this.rebuildRaster();
    if (p.zoom && `${p.zoom.start}-${p.zoom.end}` !== this.appliedZoom) this.applyZoomProp();
    this.request();
  }

  // ---- data ---------------------------------------------------------------------------------

  private space(): string {
    return this.props.layer === 'guest' ? `g${this.props.guestIndex ?? 0}` : 'host';
  }

  private wantKey(): string {
    return `${currentRun().generation}|${this.props.snapshotStep}|${this.space()}`;
  }

  /** Fetch the snapshot the props ask for; one request in flight, the latest wins. */
  private sync(): void {
    const run = currentRun();
    if (!run.info) return;
    const key = this.wantKey();
    if (this.loaded?.key === key || this.fetching !== null) return;
    this.fetching = key;
    const step = this.props.snapshotStep;
    const space = this.space();
    const gen = run.generation;
    const req =
      space === 'host'
        ? this.engine.snapshot(step)
        : this.engine.guestSnapshot(step, this.props.guestIndex ?? 0);
    req
      .then((snap) => {
        performance.mark('fracture:snapshot');
        this.fetching = null;
        if (gen === currentRun().generation)
          this.apply({ key, gen, step, space, snap, layout: layoutFor(snap.regions) });
        if (this.wantKey() !== key) this.sync();
      })
      .catch(() => {
        this.fetching = null;
      });
  }

  private apply(next: Loaded): void {
    const prev = next.space === 'host' ? this.prevHost : null;
    this.flash = null;
    if (
      prev &&
      prev.gen === next.gen &&
      next.step > prev.step &&
      this.props.animate &&
      !matchMedia('(prefers-reduced-motion: reduce)').matches
    ) {
      const changed = splitRegions(prev.snap, next.snap, this.props.layer);
      if (changed.length > 0) this.flash = { regions: changed, t0: performance.now() };
    }
    if (next.space === 'host') this.prevHost = next;
    const refit =
      this.loaded?.layout.regions !== next.layout.regions || this.loaded.gen !== next.gen;
    this.loaded = next;
    this.rebuildRaster();
    if (refit && this.fitted !== `${next.gen}|${next.space}`) {
      this.fitted = `${next.gen}|${next.space}`;
      // A new run starts from the view its link or source asks for; resizes follow that again.
      this.userMoved = false;
      if (this.props.zoom && next.space === 'host') this.applyZoomProp();
      else this.fit();
    }
    this.stats.markData();
    this.request();
  }

  private rebuildRaster(): void {
    const d = this.loaded;
    if (!d) return;
    const key = `${d.key}|${this.props.layer}|${this.props.theme}`;
    if (key === this.rasterKey) return;
    this.rasterKey = key;
    const palette = paletteFor(this.props.theme);
    // Same run, space, layer and theme as the raster on screen: repaint only what the step changed.
    const base = `${d.gen}|${d.space}|${d.layout.regions}|${this.props.layer}|${this.props.theme}`;
    const r = this.region;
    if (r && r.base === base) {
      const dirty = updateRegionRaster(
        r.image,
        d.layout,
        r.snap,
        d.snap,
        this.props.layer,
        palette,
      );
      r.snap = d.snap;
      const ctx = this.raster.getContext('2d')!;
      for (const b of dirty) ctx.putImageData(r.image, 0, 0, b.x, b.y, b.w, b.h);
      if (dirty.length > 0) this.scheduleMinimap();
    } else {
      const { image, worldPerPx } = buildRegionRaster(d.layout, d.snap, this.props.layer, palette);
      this.region = { base, image, snap: d.snap };
      this.rasterScale = worldPerPx;
      this.rasterS = TILE_W / worldPerPx;
      this.raster.width = image.width;
      this.raster.height = image.height;
      this.raster.getContext('2d')!.putImageData(image, 0, 0);
      this.rebuildMinimap();
    }
    if (this.cellsKey !== d.key) {
      this.cells.clear();
      this.cellsKey = d.key;
    }
    this.detail = null;
  }

  /** While playing, the overview follows at most every MINIMAP_MS (a full-raster downscale). */
  private minimapTimer = 0;

  private scheduleMinimap(): void {
    if (this.minimapTimer !== 0) return;
    this.minimapTimer = window.setTimeout(() => {
      this.minimapTimer = 0;
      this.rebuildMinimap();
      this.request();
    }, MINIMAP_MS);
  }

  private detailTimer = 0;

  private scheduleDetail(q: number): void {
    clearTimeout(this.detailTimer);
    this.detailTimer = window.setTimeout(() => void this.buildDetail(q), DETAIL_SETTLE_MS);
  }

  /** The minimap keeps a downscaled copy so each frame blits ~150² px, not the whole host. */
  private rebuildMinimap(): void {
    if (!this.loaded) return;
    const { mw, mh } = this.miniSize();
    this.miniBase.width = mw;
    this.miniBase.height = mh;
    const mctx = this.miniBase.getContext('2d')!;
    mctx.imageSmoothingEnabled = true;
    mctx.drawImage(this.raster, 0, 0, mw, mh);
  }

  /** Build the detail raster around the view (async: fetches the mixed regions' cells). */
  private async buildDetail(q: number): Promise<void> {
    const d = this.loaded;
    if (!d || this.detailBusy) return;
    this.detailBusy = true;
    try {
      const key = this.rasterKey;
      const w = visibleWorld(this.viewport());
      const mx = (w.x1 - w.x0) * 0.2;
      const my = (w.y1 - w.y0) * 0.2;
      const rect: DetailRect = {
        x0: Math.max(0, Math.floor((w.x0 - mx) / TILE_W) * TILE_W),
        y0: Math.max(0, Math.floor((w.y0 - my) / TILE_H) * TILE_H),
        x1: Math.min(d.layout.width, Math.ceil((w.x1 + mx) / TILE_W) * TILE_W),
        y1: Math.min(d.layout.height, Math.ceil((w.y1 + my) / TILE_H) * TILE_H),
      };
      if (rect.x1 <= rect.x0 || rect.y1 <= rect.y0) return;
      const regions = regionsIn(d.layout, rect.x0, rect.y0, rect.x1, rect.y1, 12_000);
      const palette = paletteFor(this.props.theme);
      if (q !== TILE_W) {
        const img = buildMidRaster(d.layout, d.snap, this.props.layer, palette, rect, regions, q);
        this.putDetail(img, rect, key, q);
        return;
      }
      const need = regions.filter((r) => d.snap.regionFlags[r]! & RF_MIXED && !this.cells.has(r));
      if (this.cells.size + need.length > MAX_CACHED_REGIONS) this.cells.clear();
      for (let i = 0; i < need.length; i += 4096) {
        const part = need.slice(i, i + 4096);
        const buf =
          d.space === 'host'
            ? await this.engine.cellsAt(d.step, part)
            : await this.engine.guestCellsAt(d.step, this.props.guestIndex ?? 0, part);
        if (this.rasterKey !== key) return;
        part.forEach((r, j) => {
          this.cells.set(r, buf.subarray(j * CELLS_PER_REGION, (j + 1) * CELLS_PER_REGION));
        });
      }
      if (this.rasterKey !== key) return;
      const img = buildDetailRaster(
        d.layout,
        d.snap,
        this.props.layer,
        palette,
        rect,
        regions,
        this.cells,
      );
      this.putDetail(img, rect, key, q);
    } finally {
      this.detailBusy = false;
    }
  }

  private putDetail(img: ImageData, rect: DetailRect, key: string, q: number): void {
    const canvas = this.detail?.canvas ?? document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.getContext('2d')!.putImageData(img, 0, 0);
    this.detail = { canvas, rect, key, q };
    this.request();
  }

  // ---- view ---------------------------------------------------------------------------------

  private measure(): void {
    const parent = this.el.canvas.parentElement ?? this.el.canvas;
    const r = parent.getBoundingClientRect();
    this.cssW = Math.max(1, Math.floor(r.width));
    this.cssH = Math.max(1, Math.floor(r.height));
    this.dpr = Math.min(2, window.devicePixelRatio || 1);
    this.el.canvas.width = Math.round(this.cssW * this.dpr);
    this.el.canvas.height = Math.round(this.cssH * this.dpr);
    this.el.canvas.style.width = `${this.cssW}px`;
    this.el.canvas.style.height = `${this.cssH}px`;
    const { mw, mh } = this.miniSize();
    this.el.minimap.width = Math.round(mw * this.dpr);
    this.el.minimap.height = Math.round(mh * this.dpr);
    this.el.minimap.style.width = `${mw}px`;
    this.el.minimap.style.height = `${mh}px`;
    if (this.loaded && !this.userMoved) {
      if (this.props.zoom && this.loaded.space === 'host') {
        this.appliedZoom = '';
        this.lastReported = '';
        this.applyZoomProp();
      } else this.fit();
    }
    this.rebuildMinimap();
    this.request();
  }

  private miniSize(): { mw: number; mh: number } {
    const l = this.loaded?.layout;
    const px = Math.max(60, Math.min(MINIMAP_PX, this.cssW * 0.2, this.cssH * 0.3));
    if (!l) return { mw: px, mh: px };
    const s = px / Math.max(l.width, l.height);
    return { mw: Math.max(8, Math.round(l.width * s)), mh: Math.max(8, Math.round(l.height * s)) };
  }

  private viewport(): Viewport {
    return { k: this.t.k, x: this.t.x, y: this.t.y, width: this.cssW, height: this.cssH };
  }

  private fitK(): number {
    const l = this.loaded?.layout;
    if (!l) return 1;
    return Math.min(this.cssW / l.width, this.cssH / l.height) * 0.96;
  }

  private fit(): void {
    const l = this.loaded?.layout;
    if (!l) return;
    this.zoomTo({ x0: 0, y0: 0, x1: l.width, y1: l.height });
  }

  private legend(): HTMLElement | null {
    return this.el.canvas.parentElement?.querySelector<HTMLElement>('.fmap-legend') ?? null;
  }

  /**
   * CSS px of the canvas above the legend, which sits over its bottom: the part a fit or a zoom
   * fills and a link's range describes (one layout read, on a fit, a zoom or a gesture's end).
   */
  private availH(): number {
    const legend = this.legend();
    const bottom = legend ? legend.offsetHeight + 12 : 0;
    return Math.max(this.cssH / 2, this.cssH - bottom);
  }

  /** Show box b, whole, in the part of the canvas the legend does not cover. */
  private zoomTo(b: Box, pad = 0.04): void {
    // A view's own box can be under one cell wide (up to 64 px a cell).
    const w = Math.max(1 / 64, b.x1 - b.x0);
    const h = Math.max(1 / 64, b.y1 - b.y0);
    const availH = this.availH();
    const k = Math.min(64, Math.min(this.cssW / w, availH / h) * (1 - 2 * pad));
    const x = (this.cssW - k * (b.x0 + b.x1)) / 2;
    const y = (availH - k * (b.y0 + b.y1)) / 2;
    this.zoomer.scaleExtent([Math.min(this.fitK() / 2, k), 64]);
    select(this.el.canvas).call(this.zoomer.transform, zoomIdentity.translate(x, y).scale(k));
  }

  private applyZoomProp(): void {
    const z = this.props.zoom;
    const d = this.loaded;
    if (!z || !d || d.space !== 'host') return;
    const tag = `${z.start}-${z.end}`;
    this.appliedZoom = tag;
    if (tag === this.lastReported) return;
    const r = boxOfRange(d.layout, z);
    // A view's corners are shown as they were (at another canvas size: fitted, centred).
    if (r) this.zoomTo(r.box, r.exact ? 0 : 0.02);
  }

  /** The view above the legend as an address range, for share links (view-range.ts). */
  private reportZoom(): void {
    const d = this.loaded;
    const cb = this.props.onZoomChange;
    if (!d || !cb || d.space !== 'host') return;
    const box = visibleWorld({ ...this.viewport(), height: this.availH() });
    const z = rangeOfView(d.layout, box, this.t.k);
    if (!z) return;
    const tag = `${z.start}-${z.end}`;
    if (tag === this.lastReported) return;
    this.lastReported = tag;
    this.appliedZoom = tag;
    cb(z);
  }

  // ---- drawing ------------------------------------------------------------------------------

  request(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(this.draw);
  }

  private readonly draw = (now: number): void => {
    this.frame = 0;
    const t0 = performance.now();
    const ctx = this.ctx;
    const palette = paletteFor(this.props.theme);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, this.cssW, this.cssH);
    const d = this.loaded;
    if (!d) return;
    const v = this.viewport();
    ctx.imageSmoothingEnabled = false;
    this.blit(this.raster, 0, 0, this.rasterScale, v);
    const tRaster = performance.now();
    const q =
      v.k >= DETAIL_K
        ? TILE_W
        : v.k * TILE_W >= MID_TILE_SCREEN_PX && this.rasterS < MID_PX_PER_TILE
          ? MID_PX_PER_TILE
          : 0;
    if (q > 0) {
      const det = this.detail;
      const w = visibleWorld(v);
      const usable = det !== null && det.key === this.rasterKey && det.q === q;
      const covers =
        usable &&
        det.rect.x0 <= Math.max(0, w.x0) &&
        det.rect.y0 <= Math.max(0, w.y0) &&
        det.rect.x1 >= Math.min(d.layout.width, w.x1) &&
        det.rect.y1 >= Math.min(d.layout.height, w.y1);
      const tooBig = usable && (det.rect.x1 - det.rect.x0) * v.k > this.cssW * 4;
      // A stale level still beats nothing while the right one is built.
      if (det && det.key === this.rasterKey)
        this.blit(det.canvas, det.rect.x0, det.rect.y0, TILE_W / det.q, v);
      if (!covers || tooBig) this.scheduleDetail(q);
    }
    const tDetail = performance.now();
    const s: OverlayState = {
      layout: d.layout,
      snap: d.snap,
      layer: this.props.layer,
      palette,
      cells: this.cells,
      addressLabel: (r) => `0x${(r * 2 ** 21).toString(16)}`,
    };
    drawGrids(ctx, s, v);
    const tGrids = performance.now();
    drawLabels(ctx, s, v);
    const tLabels = performance.now();
    if (this.flash) {
      const p = (now - this.flash.t0) / FLASH_MS;
      if (p >= 1) this.flash = null;
      else {
        drawSplitFlash(ctx, s, v, this.flash.regions, Math.max(0, p));
        this.request();
      }
    }
    const sel = this.props.selectedPfn;
    if (sel !== null && d.space === 'host' && sel >= 0 && sel < d.layout.regions * 512)
      drawFrameMark(ctx, s, v, sel, 'selected');
    if (this.focused) {
      const c = this.centerPfn();
      if (c >= 0) drawFrameMark(ctx, s, v, c, 'cursor');
    }
    if (d.gen !== currentRun().generation)
      drawStaleVeil(ctx, palette.background, this.cssW, this.cssH);
    this.drawMinimap(v);
    const t1 = performance.now();
    this.stats.frame(t1 - t0, {
      k: v.k,
      raster: tRaster - t0,
      detail: tDetail - tRaster,
      grids: tGrids - tDetail,
      labels: tLabels - tGrids,
      rest: t1 - tLabels,
    });
  };

  /** Draw the visible part of a raster whose pixel (0,0) is world (wx, wy), `scale` world/px. */
  private blit(src: HTMLCanvasElement, wx: number, wy: number, scale: number, v: Viewport): void {
    const w = visibleWorld(v);
    const sx0 = Math.max(0, Math.floor((w.x0 - wx) / scale));
    const sy0 = Math.max(0, Math.floor((w.y0 - wy) / scale));
    const sx1 = Math.min(src.width, Math.ceil((w.x1 - wx) / scale));
    const sy1 = Math.min(src.height, Math.ceil((w.y1 - wy) / scale));
    if (sx1 <= sx0 || sy1 <= sy0) return;
    const k = v.k * scale;
    this.ctx.drawImage(
      src,
      sx0,
      sy0,
      sx1 - sx0,
      sy1 - sy0,
      v.x + (wx + sx0 * scale) * v.k,
      v.y + (wy + sy0 * scale) * v.k,
      (sx1 - sx0) * k,
      (sy1 - sy0) * k,
    );
  }

  private drawMinimap(v: Viewport): void {
    const d = this.loaded;
    const m = this.miniCtx;
    if (!d) return;
    const { mw, mh } = this.miniSize();
    m.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    m.clearRect(0, 0, mw, mh);
    m.drawImage(this.miniBase, 0, 0, mw, mh);
    const s = mw / d.layout.width;
    const w = visibleWorld(v);
    const x0 = Math.max(0, w.x0 * s);
    const y0 = Math.max(0, w.y0 * s);
    const x1 = Math.min(mw, w.x1 * s);
    const y1 = Math.min(mh, w.y1 * s);
    const whole = x0 <= 0.5 && y0 <= 0.5 && x1 >= mw - 0.5 && y1 >= mh - 0.5;
    this.el.minimap.style.opacity = whole ? '0.55' : '1';
    if (whole) return;
    m.lineWidth = 2;
    m.strokeStyle = '#e5484d';
    m.strokeRect(x0, y0, Math.max(3, x1 - x0), Math.max(3, y1 - y0));
  }

  // ---- interaction --------------------------------------------------------------------------

  private pfnAtScreen(px: number, py: number): number {
    const d = this.loaded;
    if (!d) return -1;
    const [wx, wy] = this.t.invert([px, py]);
    return pfnAt(d.layout, wx, wy);
  }

  private centerPfn(): number {
    return this.pfnAtScreen(this.cssW / 2, this.cssH / 2);
  }

  /** Hover is handled once per frame at most, and never reads layout (no forced reflow). */
  private hover: { x: number; y: number } | null = null;
  private hoverFrame = 0;
  private tipText = '';

  private readonly onHover = (e: PointerEvent): void => {
    this.hover = { x: e.offsetX, y: e.offsetY };
    if (this.hoverFrame === 0) this.hoverFrame = requestAnimationFrame(this.updateTip);
  };

  private readonly updateTip = (): void => {
    this.hoverFrame = 0;
    const d = this.loaded;
    const h = this.hover;
    const tip = this.el.tooltip;
    const pfn = h ? this.pfnAtScreen(h.x, h.y) : -1;
    if (!d || !h || pfn < 0) return this.hideTip();
    const text = this.describe(d, pfn);
    if (text !== this.tipText) {
      tip.textContent = text;
      this.tipText = text;
    }
    tip.hidden = false;
    // Flip to the pointer's other side near the right and bottom edges.
    const fx = h.x > this.cssW - 380 ? 'calc(-100% - 14px)' : '14px';
    const fy = h.y > this.cssH - 80 ? 'calc(-100% - 10px)' : '16px';
    tip.style.transform = `translate(${h.x}px, ${h.y}px) translate(${fx}, ${fy})`;
  };

  private describe(d: Loaded, pfn: number): string {
    const r = Math.floor(pfn / CELLS_PER_REGION);
    const cells = this.cells.get(r);
    const exact = cells !== undefined || !(d.snap.regionFlags[r]! & RF_MIXED);
    const code = cells ? cells[pfn - r * CELLS_PER_REGION]! : d.snap.regionCode[r]!;
    const guests = currentRun().info?.guests ?? [];
    const state = CELL_NAMES[code & 15] ?? '?';
    const guestStates = ((code & 15) >= 4 && (code & 15) <= 7) || (code & 15) === 9;
    const owner = guestStates ? guestName(guests, code >> 4) : '';
    const levelName = ['not mapped', '1G', '2M', '4K'];
    const guestView = d.space !== 'host';
    const addr = `${guestView ? 'GPA' : 'PFN'} 0x${pfn.toString(16)} · ${guestView ? '' : 'phys '}0x${(pfn * 4096).toString(16)}`;
    const what = `${exact ? '' : 'mostly '}${state}${owner ? ` · ${owner}` : ''}`;
    const level = guestView
      ? `VMM mapping ${levelName[d.snap.regionUserLevel[r]!]}`
      : `direct map ${levelName[d.snap.regionLevel[r]!]}${d.snap.regionLevel[r] === LEVEL_4K ? ' (split)' : ''} · VMM ${levelName[d.snap.regionUserLevel[r]!] === 'not mapped' ? '—' : levelName[d.snap.regionUserLevel[r]!]}`;
    return `${addr}\n${what}\n${level}`;
  }

  private readonly hideTip = (): void => {
    this.hover = null;
    this.el.tooltip.hidden = true;
  };

  private readonly onClick = (e: MouseEvent): void => {
    if (this.loaded?.space !== 'host') return;
    const pfn = this.pfnAtScreen(e.offsetX, e.offsetY);
    this.props.onSelect(pfn >= 0 ? pfn : null);
  };

  private readonly onKey = (e: KeyboardEvent): void => {
    const sel = select(this.el.canvas);
    const step = 0.15 / this.t.k;
    this.flash = null;
    const pan = (dx: number, dy: number) =>
      this.zoomer.translateBy(sel, dx * this.cssW * step, dy * this.cssH * step);
    let handled = true;
    if (e.key === 'ArrowLeft') pan(1, 0);
    else if (e.key === 'ArrowRight') pan(-1, 0);
    else if (e.key === 'ArrowUp') pan(0, 1);
    else if (e.key === 'ArrowDown') pan(0, -1);
    else if (e.key === '+' || e.key === '=') this.zoomer.scaleBy(sel, 1.6);
    else if (e.key === '-' || e.key === '_') this.zoomer.scaleBy(sel, 1 / 1.6);
    else if (e.key === '0') this.fit();
    else if (e.key === 'Enter' && this.loaded?.space === 'host') {
      const pfn = this.centerPfn();
      this.props.onSelect(pfn >= 0 ? pfn : null);
    } else if (e.key === 'Escape') this.props.onSelect(null);
    else handled = false;
    if (handled) {
      this.userMoved = true;
      e.preventDefault();
      e.stopPropagation();
      this.reportZoom();
    }
  };

  private readonly onFocus = (): void => {
    this.focused = true;
    this.request();
  };

  private readonly onBlur = (): void => {
    this.focused = false;
    this.request();
  };

  private readonly onMinimap = (e: PointerEvent): void => {
    const d = this.loaded;
    if (!d) return;
    const { mw } = this.miniSize();
    const s = d.layout.width / mw;
    const wx = e.offsetX * s;
    const wy = e.offsetY * s;
    this.userMoved = true;
    const k = Math.max(this.t.k, this.fitK() * 4);
    select(this.el.canvas).call(
      this.zoomer.transform,
      zoomIdentity.translate(this.cssW / 2 - wx * k, this.cssH / 2 - wy * k).scale(k),
    );
    this.reportZoom();
  };

  /** For benchmarks and tests: draw statistics and programmatic zoom. */
  debugHandle() {
    const sel = select(this.el.canvas);
    return {
      stats: this.stats,
      zoomBy: (f: number) => {
        this.userMoved = true;
        this.zoomer.scaleBy(sel, f);
      },
      panBy: (dx: number, dy: number) => {
        this.userMoved = true;
        this.zoomer.translateBy(sel, dx / this.t.k, dy / this.t.k);
      },
      fit: () => this.fit(),
      transform: () => ({ k: this.t.k, x: this.t.x, y: this.t.y }),
      ready: () => this.loaded !== null && this.fetching === null,
      regionAt: (x: number, y: number) => (this.loaded ? regionAt(this.loaded.layout, x, y) : -1),
    };
  }
}

function guestName(guests: readonly { name: string }[], hue: number): string {
  const names = guests.filter((_, i) => i % 16 === hue).map((g) => g.name);
  if (names.length === 0) return '';
  return names.length === 1
    ? names[0]!
    : `${names[0]} (or ${names.length - 1} more sharing its colour)`;
}

/** Regions that split (in the layer's sense) between two snapshots of one run. */
function splitRegions(a: MapSnapshot, b: MapSnapshot, layer: MapLayer): number[] {
  if (a.regions !== b.regions) return [];
  const la = layer === 'vmm' ? a.regionUserLevel : a.regionLevel;
  const lb = layer === 'vmm' ? b.regionUserLevel : b.regionLevel;
  const out: number[] = [];
  for (let r = 0; r < b.regions && out.length < MAX_FLASH; r++)
    if (lb[r]! > la[r]! && la[r]! !== 0) out.push(r);
  return out;
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
