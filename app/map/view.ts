/**
 * The map's controller, outside React: it wires the parts and holds what joins them (the props,
 * the split flash, the share link's range). Pan and zoom only change the camera's transform and
 * request a frame; React renders once per prop change and never per frame.
 *
 * - camera.ts: the one viewport (d3-zoom), fits and keys;
 * - loader.ts: snapshots and cells from the engine (injected: MapDeps.source);
 * - layers.ts: the region raster and, from 1 px per 4 KiB cell, the detail raster around the view;
 * - draw.ts: drawMap, one frame from a MapFrame; overlays.ts: what it draws over the rasters;
 * - minimap.ts, hover.ts: the overview and the tip, each owning its element;
 * - input.ts: click, keys and focus; zoom-link.ts: the share link's range; flash.ts: what split;
 * - describe.ts: the words for a frame under the pointer.
 */
import type { MapLayer } from '../../src/worker/protocol';
import { Camera } from './camera';
import { describeAt, frameAt } from './describe';
import { drawMap, type MapPainter } from './draw';
import { SplitFlash } from './flash';
import { regionAt } from './geometry';
import { Hover } from './hover';
import { MapInput } from './input';
import { type DetailInput, DetailLayer, detailLevel, RegionLayer } from './layers';
import { type Loaded, MapLoader, type MapRun, type MapSource } from './loader';
import { Minimap } from './minimap';
import { regionAddress } from './overlays';
import { paletteFor, type Theme } from './palette';
import { FrameStats } from './stats';
import { ZoomLink } from './zoom-link';

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

/** What the map needs from the rest of the app (MemoryMap.tsx passes the engine client's). */
export interface MapDeps {
  source: MapSource;
  run(): MapRun;
  /** Called after every successful load; returns the unsubscribe function. */
  onRunChange(fn: () => void): () => void;
  /** Painted over the labels of the host layers (the import overlay). */
  hostOverlays?: readonly MapPainter[];
}

export class MapView {
  private readonly ctx: CanvasRenderingContext2D;
  private readonly camera: Camera;
  private readonly loader: MapLoader;
  private readonly region = new RegionLayer();
  private readonly detail: DetailLayer;
  private readonly minimap: Minimap;
  private readonly hover: Hover;
  private readonly input: MapInput;
  private readonly link: ZoomLink;
  private readonly flash = new SplitFlash();
  private readonly stats = new FrameStats();
  private readonly unsub: () => void;
  private props: MapViewProps;
  private frame = 0;

  constructor(
    el: MapElements,
    props: MapViewProps,
    private readonly deps: MapDeps,
  ) {
    performance.mark('fracture:map');
    this.props = props;
    this.ctx = el.canvas.getContext('2d', { alpha: false })!;
    const stage = el.canvas.parentElement ?? el.canvas;
    this.camera = new Camera({
      canvas: el.canvas,
      stage,
      overFoot: () => stage.querySelector<HTMLElement>('.fmap-legend'),
      onMove: () => {
        this.flash.clear();
        this.request();
      },
      onGestureEnd: () => this.reportZoom(),
      onResize: () => this.resized(),
    });
    this.loader = new MapLoader({
      source: deps.source,
      run: deps.run,
      want: () => ({
        step: this.props.snapshotStep,
        guest: this.props.layer === 'guest' ? (this.props.guestIndex ?? 0) : null,
      }),
      onLoad: (next, prev) => this.apply(next, prev),
    });
    this.detail = new DetailLayer(
      this.loader,
      () => this.detailInput(),
      () => this.request(),
    );
    this.minimap = new Minimap(el.minimap, {
      onJump: (wx, wy) => this.jump(wx, wy),
      request: () => this.request(),
    });
    this.hover = new Hover(el.canvas, el.tooltip, {
      textAt: (x, y) => this.describe(x, y),
      stage: () => ({ width: this.camera.cssW, height: this.camera.cssH }),
    });
    this.input = new MapInput(el.canvas, {
      camera: this.camera,
      frameAt: (x, y) => this.frameAt(x, y),
      canSelect: () => this.loader.loaded?.space === 'host',
      select: (pfn) => this.props.onSelect(pfn),
      onKey: () => this.flash.clear(),
      onHandled: () => this.reportZoom(),
      onFocusChange: () => this.request(),
    });
    this.link = new ZoomLink(this.camera);
    this.unsub = deps.onRunChange(() => {
      this.loader.sync();
      // A new run: veil the previous one's picture until the new snapshot arrives.
      this.request();
    });
    this.camera.measure();
    this.resized();
    this.loader.sync();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.camera.dispose();
    this.detail.dispose();
    this.minimap.dispose();
    this.hover.dispose();
    this.input.dispose();
    this.unsub();
  }

  setProps(p: MapViewProps): void {
    const old = this.props;
    this.props = p;
    if (
      old.snapshotStep !== p.snapshotStep ||
      old.layer !== p.layer ||
      old.guestIndex !== p.guestIndex
    )
      this.loader.sync();
    if (old.theme !== p.theme || old.layer !== p.layer) this.rebuildRaster();
    if (this.link.isNew(p.zoom)) this.link.show(this.loader.loaded, p.zoom);
    this.request();
  }

  private apply(next: Loaded, prev: Loaded | null): void {
    this.flash.loaded(next, this.props.layer, this.props.animate);
    this.camera.setWorld(next.layout);
    this.minimap.setLayout(next.layout);
    this.rebuildRaster();
    this.link.loaded(next, prev, this.props.zoom);
    this.stats.markData();
    this.request();
  }

  private rebuildRaster(): void {
    const d = this.loader.loaded;
    if (!d) return;
    const { layer, theme } = this.props;
    const base = `${d.gen}|${d.space}|${d.layout.regions}|${layer}|${theme}`;
    const r = this.region.show(base, d.layout, d.snap, layer, paletteFor(theme));
    if (r.kind === 'same') return;
    if (r.kind === 'rebuilt') this.minimap.rebuild(this.region.canvas);
    else if (r.dirty > 0) this.minimap.schedule(this.region.canvas);
    this.detail.clear();
  }

  private resized(): void {
    const c = this.camera;
    this.minimap.resize(c.cssW, c.cssH, c.dpr);
    this.link.resized(this.loader.loaded, this.props.zoom);
    this.minimap.rebuild(this.region.canvas);
    this.request();
  }

  /** The view above the legend as an address range, for share links (view-range.ts). */
  private reportZoom(): void {
    this.link.report(this.loader.loaded, this.props.onZoomChange);
  }

  request(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(this.draw);
  }

  private readonly draw = (now: number): void => {
    this.frame = 0;
    const t0 = performance.now();
    const { camera: c, props: p } = this;
    const d = this.loader.loaded;
    const palette = paletteFor(p.theme);
    const v = c.viewport();
    const q = detailLevel(v.k, this.region.pxPerTile);
    const detail = d ? this.detail.forView(q, v, d.layout, this.region.version) : null;
    const flash = d ? this.flash.at(now) : null;
    if (flash) this.request();
    const times = drawMap(this.ctx, {
      dpr: c.dpr,
      width: c.cssW,
      height: c.cssH,
      palette,
      scene: d && {
        ...d,
        layer: p.layer,
        palette,
        cells: this.loader.cells,
        addressLabel: regionAddress,
      },
      viewport: v,
      region: this.region.placed,
      detail,
      overlays: p.layer === 'guest' ? [] : (this.deps.hostOverlays ?? []),
      flash,
      selectedPfn: d?.space === 'host' ? p.selectedPfn : null,
      cursorPfn: this.input.focused ? this.input.centerFrame() : null,
      stale: d !== null && d.gen !== this.deps.run().generation,
      clock: () => performance.now(),
    });
    if (!times) return;
    this.minimap.draw(v);
    const t1 = performance.now();
    this.stats.frame(t1 - t0, {
      k: v.k,
      raster: times.raster - t0,
      detail: times.detail - times.raster,
      grids: times.grids - times.detail,
      labels: times.labels - times.grids,
      rest: t1 - times.labels,
    });
  };

  private detailInput(): DetailInput | null {
    const d = this.loader.loaded;
    if (!d) return null;
    const { layer, theme } = this.props;
    const version = this.region.version;
    return {
      loaded: d,
      layer,
      palette: paletteFor(theme),
      version,
      viewport: this.camera.viewport(),
    };
  }

  private describe(x: number, y: number): string | null {
    const d = this.loader.loaded;
    if (!d) return null;
    const guests = this.deps.run().info?.guests ?? [];
    return describeAt({ ...d, cells: this.loader.cells, guests }, this.camera.transform(), x, y);
  }

  private frameAt(px: number, py: number): number {
    const d = this.loader.loaded;
    return d ? frameAt(d.layout, this.camera.transform(), px, py) : -1;
  }

  /** The minimap's click: centre there, close enough to tell tiles apart. */
  private jump(wx: number, wy: number): void {
    const c = this.camera;
    c.userMoved = true;
    const k = Math.max(c.k, c.fitK() * 4);
    c.set(c.cssW / 2 - wx * k, c.cssH / 2 - wy * k, k);
    this.reportZoom();
  }

  /** For benchmarks and tests: draw statistics and programmatic zoom. */
  debugHandle() {
    const c = this.camera;
    return {
      stats: this.stats,
      zoomBy: (f: number) => {
        c.userMoved = true;
        c.zoomBy(f);
      },
      panBy: (dx: number, dy: number) => {
        c.userMoved = true;
        c.panBy(dx, dy);
      },
      fit: () => c.fit(),
      transform: () => c.transform(),
      ready: () => this.loader.settled,
      regionAt: (x: number, y: number) => {
        const d = this.loader.loaded;
        return d ? regionAt(d.layout, x, y) : -1;
      },
    };
  }
}
